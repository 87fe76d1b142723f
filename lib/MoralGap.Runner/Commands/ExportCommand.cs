using System.CommandLine;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Runner.Commands;

/// <summary>The <c>export</c> verb: every notebook as a .NET 10 file-based app in notebooks/apps/ (see <see cref="AppExporter"/>).</summary>
public static class ExportCommand
{
    /// <summary>Exit codes of <c>export</c>, as shown in --help.</summary>
    public const string ExitCodes =
        "Exit codes: 0 the apps are written (or, with --check, up to date); 1 --check found a missing or stale app; "
        + "2 usage error or a notebook that cannot be exported (the message names notebook and cell).";

    public static Command Create()
    {
        var paths = new Argument<string[]>("notebooks")
        {
            Description = "Notebook files (.ipynb) or folders (every .ipynb in it). Default: the repository's notebooks/ folder.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var check = new Option<bool>("--check")
        {
            Description = "Write nothing; exit 1 and name every app that is missing or differs from its notebook's export (the CI check).",
        };
        var command = new Command("export", "Turn each notebook into a file-based app, notebooks/apps/NN-name.cs (dotnet run notebooks/apps/NN-name.cs -- -p Name=Value). " + ExitCodes)
        {
            paths, check,
        };
        command.SetAction(parse =>
        {
            var log = parse.InvocationConfiguration.Output;
            var err = parse.InvocationConfiguration.Error;
            var root = Repository.FindRoot();
            if (root is null)
            {
                err.WriteLine($"export: {Repository.SolutionFile} not found above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
                return 2;
            }
            List<string> notebooks;
            try
            {
                notebooks = RunCommand.ResolveNotebooks(parse.GetValue(paths) is { Length: > 0 } given ? given : [Path.Combine(root, "notebooks")]);
            }
            catch (FileNotFoundException e)
            {
                err.WriteLine("export: " + e.Message);
                return 2;
            }
            if (notebooks.Count == 0)
            {
                err.WriteLine("export: no .ipynb found");
                return 2;
            }
            var checking = parse.GetValue(check);
            IReadOnlyList<string> changed;
            try
            {
                changed = AppExporter.ExportAll(notebooks, root, checking);
            }
            catch (InvalidDataException e)
            {
                err.WriteLine("export: " + e.Message);
                return 2;
            }
            string Rel(string p) => Path.GetRelativePath(root, p).Replace('\\', '/');
            if (checking)
            {
                foreach (var app in changed)
                    err.WriteLine($"export: stale app {Rel(app)} ({(File.Exists(app) ? "differs from" : "missing for")} its notebook); run: {AppExporter.ExportCommandLine}");
                if (changed.Count > 0) return 1;
                log.WriteLine($"export: {notebooks.Count} app(s) up to date");
                return 0;
            }
            foreach (var app in changed) log.WriteLine($"wrote {Rel(app)}");
            log.WriteLine($"export: {notebooks.Count} notebook(s), {changed.Count} app(s) written, {notebooks.Count - changed.Count} already up to date");
            return 0;
        });
        return command;
    }
}
