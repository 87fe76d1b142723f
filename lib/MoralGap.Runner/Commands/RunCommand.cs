using System.CommandLine;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Runner.Commands;

/// <summary>The <c>run</c> verb: executes notebooks through the official .NET Interactive kernel, papermill-style.</summary>
public static class RunCommand
{
    /// <summary>Exit codes of <c>run</c>, as shown in --help.</summary>
    public const string ExitCodes =
        "Exit codes: 0 all cells succeeded (a notebook whose moralgap.requires data is absent is skipped, untouched); "
        + "1 a cell failed (exception or compile error); 2 usage error (no notebook, unknown parameter, no parameters cell, "
        + "bad value, a wrong moralgap.requires); 3 a cell timed out; 4 the build step failed; "
        + "5 the kernel could not start or died; 130 cancelled (Ctrl+C).";

    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Notebook files (.ipynb) or folders (every .ipynb in it, sorted by name). Default: the repository's notebooks/ folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var output = new Option<string?>("--out", "-o")
        {
            Description = "Write executed notebooks into this folder (same file names) instead of rewriting them in place.",
        };
        var parameters = new Option<string[]>("--parameter", "-p")
        {
            Description = "Override a parameter declared in the notebook's cell tagged 'parameters' (papermill style), e.g. -p Samples=64 -p Model=\"gpt-4o\". Repeatable.",
            AllowMultipleArgumentsPerToken = false,
            Arity = ArgumentArity.ZeroOrMore,
        };
        var timeout = new Option<double>("--timeout")
        {
            Description = "Seconds one cell may run before the kernel is stopped.",
            DefaultValueFactory = _ => 600,
        };
        var noBuild = new Option<bool>("--no-build")
        {
            Description = "Skip the preparation step (dotnet tool restore, pack lib/MoralGap into artifacts/feed).",
        };
        var command = new Command("run", "Run notebooks cell by cell in the official .NET Interactive kernel and write their outputs. " + ExitCodes)
        {
            paths, output, parameters, timeout, noBuild,
        };
        command.SetAction(async (parse, ct) =>
        {
            var log = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            var root = Repository.FindRoot();
            if (root is null)
            {
                err.WriteLine($"run: {Repository.SolutionFile} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
                return (int)RunOutcome.UsageError;
            }
            var overrides = new List<KeyValuePair<string, string>>();
            foreach (var p in parse.GetValue(parameters) ?? [])
            {
                var eq = p.IndexOf('=');
                if (eq <= 0)
                {
                    err.WriteLine($"run: -p expects Name=Value, got '{p}'");
                    return (int)RunOutcome.UsageError;
                }
                overrides.Add(new(p[..eq].Trim(), p[(eq + 1)..]));
            }
            var seconds = parse.GetValue(timeout);
            if (!(seconds > 0))
            {
                err.WriteLine($"run: --timeout must be a positive number of seconds, got {seconds}");
                return (int)RunOutcome.UsageError;
            }
            List<string> notebooks;
            try
            {
                notebooks = ResolveNotebooks(parse.GetValue(paths) is { Length: > 0 } given ? given : [Path.Combine(root, "notebooks")]);
            }
            catch (FileNotFoundException e)
            {
                err.WriteLine("run: " + e.Message);
                return (int)RunOutcome.UsageError;
            }
            if (notebooks.Count == 0)
            {
                err.WriteLine("run: no .ipynb found in " + string.Join(", ", parse.GetValue(paths) ?? ["notebooks/"]));
                return (int)RunOutcome.UsageError;
            }
            if (!parse.GetValue(noBuild) && !await Repository.PrepareAsync(root, log, ct))
            {
                err.WriteLine("run: the build step failed (see above); fix it or pass --no-build");
                return 4;
            }
            var outDir = parse.GetValue(output) is { Length: > 0 } o ? Path.GetFullPath(o) : null;
            var result = await new NotebookRunner(log).RunAsync(
                new RunOptions(notebooks, root, outDir, overrides, TimeSpan.FromSeconds(seconds)), ct);
            var skipped = result.Skipped.Count == 0 ? ""
                : $"{result.Skipped.Count} skipped (required data absent: {string.Join(", ", result.Skipped.Select(Path.GetFileName))})";
            if (result.Outcome != RunOutcome.Succeeded)
            {
                err.WriteLine("run: " + result.Message);
                if (skipped.Length > 0) log.WriteLine("run: before the failure, " + skipped);
            }
            else log.WriteLine($"run: {result.Written.Count} notebook(s) ran without error" + (skipped.Length > 0 ? "; " + skipped : ""));
            return result.ExitCode;
        });
        return command;
    }

    /// <summary>Expands files and folders into the notebooks to run: a folder gives its .ipynb files sorted by name (ordinal).</summary>
    public static List<string> ResolveNotebooks(IEnumerable<string> paths)
    {
        var result = new List<string>();
        foreach (var p in paths)
        {
            var full = Path.GetFullPath(p);
            if (Directory.Exists(full))
                result.AddRange(Directory.EnumerateFiles(full, "*.ipynb")
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal));
            else if (File.Exists(full))
                result.Add(full);
            else
                throw new FileNotFoundException($"no such notebook or folder: {p}");
        }
        return result;
    }
}
