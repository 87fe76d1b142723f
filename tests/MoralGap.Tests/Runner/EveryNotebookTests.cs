using System.Text.Json.Nodes;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Tests.Runner;

/// <summary>
/// The real notebooks under notebooks/, run as a user would (build step included: tool restore + pack into
/// artifacts/feed), written to a temporary folder so the committed notebooks are never rewritten.
/// Filter with <c>--filter Category!=Notebooks</c> to leave it out.
/// </summary>
[Trait("Category", "Notebooks")]
public sealed class EveryNotebookTests
{
    [Fact]
    public async Task EveryNotebookRunsInTheOfficialKernel()
    {
        var folder = Path.Combine(TestPaths.RepoRoot, "notebooks");
        var all = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.ipynb") : [];
        Assert.True(all.Length > 0, $"no notebook under {folder}");
        // A chapter whose moralgap.requires data is absent here (a checkout without ../shared/data) is skipped, untouched.
        var absent = all.ToDictionary(p => p, p => NotebookRequirements.Missing(
            NotebookRequirements.Resolve(NotebookFile.Load(p), []), TestPaths.RepoRoot));
        var notebooks = all.Where(p => absent[p].Count == 0).ToArray();
        var outDir = RunnerHarness.NewTempFolder("notebooks");

        var run = await RunnerHarness.InvokeAsync("run", folder, "--out", outDir);

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var path in all.Where(p => absent[p].Count > 0))
        {
            Assert.Contains(NotebookRequirements.SkipLine(Path.GetFileName(path), absent[path]), run.Output);
            Assert.False(File.Exists(Path.Combine(outDir, Path.GetFileName(path))), $"{path} was skipped but written");
        }
        foreach (var path in notebooks)
        {
            var written = Path.Combine(outDir, Path.GetFileName(path));
            Assert.True(File.Exists(written), $"{written} was not written");
            var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(written));
            var errors = cells.Select((c, i) => (Cell: i + 1, Outputs: (JsonArray?)c!["outputs"] ?? []))
                .SelectMany(x => x.Outputs.Where(o => o!["output_type"]!.GetValue<string>() == "error").Select(o => $"cell {x.Cell}: {o!["evalue"]}"))
                .ToArray();
            Assert.True(errors.Length == 0, $"{Path.GetFileName(path)}: " + string.Join("; ", errors));
            Assert.All(cells.Where(c => c!["cell_type"]!.GetValue<string>() == "code" && NotebookText(c).Trim().Length > 0),
                c => Assert.NotNull(c!["execution_count"]));
        }

        // Figures: every chapter after 00's table shows at least one image (GitHub and offline readers see it), and the
        // interactive views were built by Plotly.NET in the official kernel (HTML with the chart's data) and saved as
        // offline pages with plotly.js beside them.
        var outputs = notebooks.ToDictionary(p => Path.GetFileName(p), p => RunnerHarness.Cells(RunnerHarness.ReadNotebook(Path.Combine(outDir, Path.GetFileName(p))))
            .SelectMany(c => (JsonArray?)c!["outputs"] ?? []).Select(o => o!["data"] as JsonObject).OfType<JsonObject>().ToList());
        foreach (var (name, data) in outputs)
            Assert.True(data.Any(d => d.ContainsKey("image/png")), $"{name} shows no figure as an image");
        var interactive = outputs.SelectMany(kv => kv.Value).Where(d => d["text/html"]?.ToString().Contains("Plotly.newPlot") == true).ToList();
        Assert.NotEmpty(interactive);
        var pages = Directory.GetFiles(Path.Combine(outDir, "figures"), "*.html", SearchOption.AllDirectories);
        Assert.NotEmpty(pages);
        Assert.All(pages, page => Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(page)!, "plotly-2.28.0.min.js")), $"{page} has no plotly.js beside it"));

        // Chapter 01 on a real-shaped file: a generated Reddit dump given as parameters, as a reader would bring their
        // own (the package built above is reused).
        var dumpDir = RunnerHarness.NewTempFolder("reddit-dump");
        var dumpName = "RS-chapter01-" + Environment.ProcessId;
        var (subs, coms) = (Path.Combine(dumpDir, dumpName + ".jsonl"), Path.Combine(dumpDir, "RC.jsonl"));
        var truth = MoralGap.Tests.Data.RedditDumpGenerator.Write(subs, coms, targetBytes: 1_500_000, seed: 3, commentsPerSubmission: 150);
        var saved = Path.Combine(TestPaths.RepoRoot, "artifacts", "datasets", dumpName);
        try
        {
            var chapter01 = Path.Combine(folder, "01-building-the-dilemma-dataset.ipynb");
            var reddit = await RunnerHarness.InvokeAsync("run", chapter01, "--out", RunnerHarness.NewTempFolder("chapter01-reddit"), "--no-build",
                "-p", $"DataSource={subs},{coms}", "-p", "Format=reddit", "-p", "Subsample=32");
            Assert.True(reddit.ExitCode == 0, reddit.ToString());
            var kept = truth.Kept.Count(kv => kv.Value >= 32);
            Assert.Equal(kept, MoralGap.Data.DilemmaDataset.Load(saved).Dilemmas.Count);
            Assert.All(MoralGap.Data.DilemmaDataset.Load(saved).Distributions(), d => Assert.Equal(32, d.N));
        }
        finally
        {
            if (Directory.Exists(saved)) Directory.Delete(saved, recursive: true);
        }
    }

    private static string NotebookText(JsonNode? cell) => NotebookFile.Source(cell!);
}
