using System.Text.Json.Nodes;

namespace MoralGap.Tests.Runner;

/// <summary>Rules of the committed notebooks that need no kernel: read from the .ipynb files as they are in the repository.</summary>
public sealed class NotebookStyleTests
{
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryFigureIsFollowedByMarkdownThatSaysWhatItShows(string notebook)
    {
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(Path.Combine(TestPaths.RepoRoot, "notebooks", notebook)));
        for (var i = 0; i < cells.Count; i++)
        {
            var outputs = (JsonArray?)cells[i]!["outputs"] ?? [];
            if (!outputs.Any(o => o!["data"] is JsonObject data && data.ContainsKey("image/png"))) continue;
            var next = i + 1 < cells.Count ? cells[i + 1]!["cell_type"]!.GetValue<string>() : "(end of notebook)";
            Assert.True(next == "markdown", $"{notebook}: the figure of cell {i + 1} is followed by {next}, not by markdown saying what it shows");
        }
    }

    /// <summary>Notebooks stay thin: a code cell longer than this holds logic that belongs in lib/.</summary>
    private const int MaxCodeCellLines = 15;

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void EveryCodeCellIsShortEnoughToRead(string notebook)
    {
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(Path.Combine(TestPaths.RepoRoot, "notebooks", notebook)));
        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i]!["cell_type"]!.GetValue<string>() != "code") continue;
            var source = cells[i]!["source"] switch
            {
                JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
                var one => one?.GetValue<string>() ?? "",
            };
            var count = source.Trim().Split('\n').Length;
            Assert.True(count <= MaxCodeCellLines, $"{notebook}: code cell {i + 1} has {count} lines (at most {MaxCodeCellLines}); move its logic into lib/");
        }
    }
}
