using System.Diagnostics;
using System.Text.Json.Nodes;
using MoralGap.Notebooks;
using MoralGap.Runner.Notebooks;
using MoralGap.Tests.Notebooks;

namespace MoralGap.Tests.Runner;

/// <summary>
/// Every generated app (notebooks/apps/NN-name.cs) run with the SDK alone, as a reader without a kernel would:
/// <c>dotnet run notebooks/apps/NN-name.cs -- --out DIR</c> from the repository root, on the embedded sample (the
/// notebooks' defaults). Each exits 0, writes its HTML report, and prints the text of the notebook's committed
/// outputs (console text, tables, reports) wherever that text is deterministic; chapters whose outside data is absent
/// print the runner's skip line instead. One chapter's report is opened in headless Chromium with its figures shown.
/// Slow (each app compiles on its first run): in the notebook category, like <see cref="EveryNotebookTests"/>.
/// </summary>
[Trait("Category", "Notebooks")]
public sealed class EveryAppTests
{
    /// <summary>
    /// Committed outputs the app is not expected to print word for word, and why. Matched by notebook and by a piece of
    /// the output's text.
    /// </summary>
    private static readonly (string Notebook, string Output, string Why)[] NotCompared =
    [
        // None today: every committed text output is deterministic (seeded, no clock), and the apps print the same text.
    ];

    [Fact]
    public async Task EveryAppRunsAndPrintsTheNotebooksText()
    {
        var root = TestPaths.RepoRoot;
        var notebooks = Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(notebooks);
        var outRoot = RunnerHarness.NewTempFolder("apps");
        var failures = new List<string>();
        string? reportWithFigures = null;
        foreach (var path in notebooks)
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var notebook = NotebookFile.Load(path);
            var app = AppExporter.AppPath(path);
            Assert.True(File.Exists(app), $"{app} is missing; run the export verb");
            var outDir = Path.Combine(outRoot, name);
            var run = await RunAppAsync(root, app, outDir);
            if (run.ExitCode != 0)
            {
                failures.Add($"{name}: {run}");
                continue;
            }
            var absent = NotebookRequirements.Missing(NotebookRequirements.Resolve(notebook, []), root);
            if (absent.Count > 0)
            {
                var skip = RequiredData.SkipLine(name + ".cs", absent);
                if (!run.Output.Contains(skip)) failures.Add($"{name}: required data is absent but the app did not print '{skip}'\n{run}");
                if (Directory.Exists(outDir)) failures.Add($"{name}: skipped, but it wrote {outDir}");
                continue;
            }
            var report = Path.Combine(outDir, AppReport.ReportFileName);
            if (!File.Exists(report)) failures.Add($"{name}: no report at {report}");
            else if (reportWithFigures is null && Directory.GetFiles(outDir, "figure-*.png").Length > 0) reportWithFigures = report;
            if (!run.Output.Contains($"report: {report}") && !run.Output.Contains("report: " + Path.GetRelativePath(root, report)))
                failures.Add($"{name}: the report's path is not printed");
            // What the app printed (stdout, and stderr where progress lines go outside a kernel), made stable as the runner
            // makes cell outputs: the repository root as seen from notebooks/ ("../"), the package's build stamp dropped.
            var printed = Normalize(CellOutputs.Normalize(run.Output + "\n" + run.Error, [], CellOutputs.MachinePaths(root, Path.GetDirectoryName(path)!)));
            foreach (var (cell, text) in ExpectedTexts(notebook))
            {
                if (printed.Contains(text, StringComparison.Ordinal)) continue;
                if (NotCompared.Any(n => n.Notebook == name && text.Contains(n.Output, StringComparison.Ordinal))) continue;
                failures.Add($"{name}, cell {cell}: the app did not print the notebook's output\n{text}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));

        Assert.NotNull(reportWithFigures);
        var shown = HeadlessChromium.ImagesShown(reportWithFigures!);
        if (shown is null) return; // Chromium is not installed (.ci/run installs it)
        var (loaded, total) = shown.Value;
        Assert.True(total > 0 && loaded == total, $"{reportWithFigures}: {loaded} of {total} figures shown in headless Chromium");
    }

    /// <summary>The text of every deterministic text output of the notebook's code cells (the setup cell's package messages left out), normalised.</summary>
    private static IEnumerable<(int Cell, string Text)> ExpectedTexts(NotebookFile notebook)
    {
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i]!;
            if (NotebookFile.CellType(cell) != "code" || AppExporter.IsSetupCell(NotebookFile.Source(cell))) continue;
            foreach (var output in (JsonArray?)cell["outputs"] ?? [])
            {
                var text = output!["output_type"]!.GetValue<string>() switch
                {
                    "stream" when output["name"]?.GetValue<string>() == "stdout" => NotebookFile.JoinText(output["text"]),
                    "display_data" or "execute_result" => NotebookFile.JoinText(output["data"]?["text/plain"]),
                    _ => "",
                };
                text = Normalize(text);
                if (text.Length > 0) yield return (i + 1, text);
            }
        }
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Replace("\r\n", "\n").Split('\n').Select(l => l.TrimEnd())).Trim('\n');

    private static async Task<CliRun> RunAppAsync(string root, string app, string outDir)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", app, "--", "--out", outDir }) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return new CliRun(-1, await stdout, "timed out after 20 min\n" + await stderr, sw.Elapsed);
        }
        return new CliRun(process.ExitCode, await stdout, await stderr, sw.Elapsed);
    }
}
