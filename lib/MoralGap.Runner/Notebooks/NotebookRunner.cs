using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using MoralGap.Runner.Kernel;
using MoralGap.Notebooks;

namespace MoralGap.Runner.Notebooks;

/// <summary>What <see cref="NotebookRunner.RunAsync"/> runs and how.</summary>
/// <param name="Notebooks">The .ipynb files, in the order to run them.</param>
/// <param name="RepoRoot">Folder holding MoralNotebooks.sln and .config/dotnet-tools.json.</param>
/// <param name="OutputFolder">Where executed notebooks are written (same file name); null = in place.</param>
/// <param name="Parameters">Papermill-style overrides (-p Name=Value), in order.</param>
/// <param name="CellTimeout">Longest time one cell may run.</param>
public sealed record RunOptions(
    IReadOnlyList<string> Notebooks,
    string RepoRoot,
    string? OutputFolder,
    IReadOnlyList<KeyValuePair<string, string>> Parameters,
    TimeSpan CellTimeout)
{
    /// <summary>
    /// Longest wait for the kernel's KernelReady (and again for the runner's watchdog cell, the first compile).
    /// Generous: 5–20 s is usual, but a loaded 2-core machine was measured taking minutes; a kernel that cannot
    /// start at all exits, which is reported at once.
    /// </summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(10);
}

/// <summary>How a run ended. The exit codes are the <c>run</c> verb's.</summary>
public enum RunOutcome
{
    /// <summary>
    /// Every cell of every notebook that ran succeeded (exit code 0); notebooks skipped because data they require is
    /// absent (<see cref="NotebookRequirements"/>) do not count as failures.
    /// </summary>
    Succeeded = 0,
    /// <summary>A cell failed: an exception or a compile error (exit code 1).</summary>
    CellFailed = 1,
    /// <summary>Bad input: no notebook, an unknown parameter, no parameters cell (exit code 2).</summary>
    UsageError = 2,
    /// <summary>A cell ran longer than --timeout (exit code 3).</summary>
    TimedOut = 3,
    /// <summary>The kernel could not start or died (exit code 5).</summary>
    KernelFailed = 5,
    /// <summary>Ctrl+C or SIGTERM (exit code 130).</summary>
    Cancelled = 130,
}

/// <summary>The result of a run: its outcome, the message for a failure, and the notebooks written.</summary>
public sealed record RunResult(RunOutcome Outcome, string? Message, IReadOnlyList<string> Written)
{
    /// <summary>
    /// The notebooks (as given) skipped because a path their <c>metadata.moralgap.requires</c> names is absent:
    /// no kernel was started for them and nothing was written.
    /// </summary>
    public IReadOnlyList<string> Skipped { get; init; } = [];

    /// <summary>The process exit code of the <c>run</c> verb.</summary>
    public int ExitCode => (int)Outcome;
}

/// <summary>
/// Runs notebooks through the official .NET Interactive kernel, cell by cell, as papermill does for Jupyter:
/// a fresh kernel per notebook started in the notebook's folder, outputs written back into the .ipynb, the run
/// stops at the first failing cell (whose error output is written too). A notebook whose required data is absent
/// (<see cref="NotebookRequirements"/>) is skipped with a one-line reason before its kernel starts, its file untouched.
/// </summary>
public sealed class NotebookRunner(TextWriter log)
{
    /// <summary>
    /// Runs every notebook of <paramref name="options"/> in order; stops at the first failure. A notebook with an absent
    /// required path is skipped (listed in <see cref="RunResult.Skipped"/>), which is not a failure.
    /// </summary>
    public async Task<RunResult> RunAsync(RunOptions options, CancellationToken cancellationToken)
    {
        if (options.Notebooks.Count == 0)
            return new RunResult(RunOutcome.UsageError, "no notebook to run", []);
        var written = new List<string>();
        var skipped = new List<string>();

        // Parameters are checked for every notebook before anything runs, so a typo fails fast. With one notebook every
        // -p must be one of its parameters; with several, each notebook takes the ones it declares (so
        // `run notebooks -p Dataset=…` reruns the collection on another dataset) and a name no notebook declares is
        // the typo. A wrong moralgap.requires declaration is reported here too; whether the paths exist is checked just
        // before each notebook runs, so an earlier notebook may create what a later one needs.
        var several = options.Notebooks.Count > 1;
        var used = new HashSet<string>(StringComparer.Ordinal);
        var prepared = new List<(NotebookFile Notebook, IReadOnlyList<RequiredDataPath> Requires)>();
        foreach (var path in options.Notebooks)
        {
            try
            {
                var nb = NotebookFile.Load(path);
                InjectParameters(nb, options.Parameters, several ? used : null);
                prepared.Add((nb, NotebookRequirements.Resolve(nb, options.Parameters)));
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                return new RunResult(RunOutcome.UsageError, e.Message, written);
            }
        }
        if (several && options.Parameters.Select(p => p.Key).FirstOrDefault(k => !used.Contains(k)) is { } unknown)
            return new RunResult(RunOutcome.UsageError,
                $"unknown parameter '{unknown}': none of the {options.Notebooks.Count} notebooks declares it in its parameters cell", written);

        foreach (var (notebook, requires) in prepared)
        {
            var missing = NotebookRequirements.Missing(requires, options.RepoRoot);
            if (missing.Count > 0)
            {
                log.WriteLine(NotebookRequirements.SkipLine(Path.GetFileName(notebook.Path), missing));
                skipped.Add(notebook.Path);
                continue;
            }
            var target = options.OutputFolder is null
                ? notebook.Path
                : Path.Combine(options.OutputFolder, Path.GetFileName(notebook.Path));
            var result = await RunOneAsync(notebook, target, options, cancellationToken);
            written.Add(target);
            if (result is not null) return result with { Written = written, Skipped = skipped };
        }
        return new RunResult(RunOutcome.Succeeded, null, written) { Skipped = skipped };
    }

    /// <summary>
    /// Inserts the injected-parameters cell when there are overrides; returns its index. With <paramref name="used"/>
    /// (several notebooks), only the parameters this notebook declares are injected, their names are added to
    /// <paramref name="used"/>, and a notebook without a parameters cell is left as it is.
    /// </summary>
    private static int? InjectParameters(NotebookFile nb, IReadOnlyList<KeyValuePair<string, string>> parameters, HashSet<string>? used)
    {
        if (parameters.Count == 0) return null;
        var name = Path.GetFileName(nb.Path);
        var cells = nb.Cells;
        var index = nb.ParametersCellIndex();
        if (index < 0)
            return used is not null ? null : throw new ArgumentException(
                $"{name}: -p was given but the notebook has no parameters cell (a code cell tagged \"{ParameterCell.ParametersTag}\")");
        var declared = ParameterCell.Parse(NotebookFile.Source(cells[index]!));
        if (used is not null)
        {
            parameters = parameters.Where(p => declared.Any(d => d.Name == p.Key)).ToList();
            used.UnionWith(parameters.Select(p => p.Key));
            if (parameters.Count == 0) return null;
        }
        var code = ParameterCell.RenderInjectedCell(declared, parameters, name);
        return nb.InjectParametersCell(index, code);
    }

    /// <summary>Runs one notebook; null when every cell succeeded, else the failure.</summary>
    private async Task<RunResult?> RunOneAsync(NotebookFile notebook, string target, RunOptions options, CancellationToken ct)
    {
        var name = Path.GetFileName(notebook.Path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(notebook.Path))!;
        notebook.ClearOutputs();
        var cells = notebook.Cells;
        var codeCells = Enumerable.Range(0, cells.Count).Where(i => NotebookFile.CellType(cells[i]!) == "code").ToArray();
        var total = Stopwatch.StartNew();
        var machinePaths = CellOutputs.MachinePaths(options.RepoRoot, folder);
        log.WriteLine($"{name}: starting the kernel in {folder}");
        StdioKernel? kernel = null;
        try
        {
            try
            {
                // Interactive chart views displayed by the notebook are also saved as offline pages here.
                var figures = Path.Combine(options.OutputFolder is null ? Path.Combine(options.RepoRoot, "artifacts") : Path.GetFullPath(options.OutputFolder),
                    "figures", Path.GetFileNameWithoutExtension(name));
                kernel = await StdioKernel.StartAsync(folder, options.RepoRoot, options.StartTimeout, ct,
                    new Dictionary<string, string> { ["MORALGAP_FIGURES_DIR"] = figures });
            }
            catch (KernelException e)
            {
                return new RunResult(RunOutcome.KernelFailed, $"{name}: {e.Message}", []);
            }
            log.WriteLine($"{name}: kernel ready in {kernel.StartupTime.TotalSeconds:0.0} s + {kernel.WarmupTime.TotalSeconds:0.0} s compiler warm-up (pid {kernel.ProcessId})");

            var executionCount = 0;
            foreach (var index in codeCells)
            {
                var cell = cells[index]!;
                var source = NotebookFile.Source(cell);
                var number = index + 1;
                var progress = $"{name}: cell {number}/{cells.Count}";
                if (string.IsNullOrWhiteSpace(source))
                {
                    log.WriteLine($"{progress} empty, skipped");
                    continue;
                }
                executionCount++;
                var sw = Stopwatch.StartNew();
                var result = await kernel.SubmitCodeAsync(source, notebook.KernelName(cell), options.CellTimeout, ct);
                var seconds = sw.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
                var error = result.Succeeded ? null : result.ErrorMessage ?? "the cell failed";
                NotebookFile.SetOutputs(cell, executionCount, CellOutputs.Build(result.Events, executionCount, error, machinePaths));
                if (result.Succeeded)
                {
                    log.WriteLine($"{progress} ok {seconds} s");
                    continue;
                }
                log.WriteLine($"{progress} FAILED after {seconds} s");
                notebook.Save(target);
                var outcome = result.TimedOut ? RunOutcome.TimedOut
                    : kernel.HasExited ? RunOutcome.KernelFailed
                    : RunOutcome.CellFailed;
                return new RunResult(outcome, $"{name}: cell {number} failed: {FirstLines(error!, 12)}", []);
            }
            notebook.Save(target);
            log.WriteLine($"{name}: done in {total.Elapsed.TotalSeconds:0.0} s, {executionCount} code cells -> {target}");
            return null;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            kernel?.Kill();
            notebook.Save(target);
            return new RunResult(RunOutcome.Cancelled, $"{name}: cancelled; the kernel was stopped", []);
        }
        finally
        {
            if (kernel is not null) await kernel.DisposeAsync();
        }
    }

    private static string FirstLines(string text, int count)
    {
        var lines = text.Replace("\r\n", "\n").TrimEnd().Split('\n');
        return lines.Length <= count ? string.Join('\n', lines) : string.Join('\n', lines.Take(count)) + "\n   ...";
    }
}
