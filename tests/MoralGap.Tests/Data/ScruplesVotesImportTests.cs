using System.Text.Json.Nodes;
using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>
/// The <c>scruples-votes</c> format: Scruples human vote counts without the posts. Counts become human judgments,
/// INFO votes and rows whose n_binary disagrees are dropped and counted, and the dataset says it has no text.
/// </summary>
public class ScruplesVotesImportTests
{
    // a1: 3 author (YTA) + 1 other (NTA) + 2 everybody (ESH) + 0 nobody, 4 INFO; n_binary 6 agrees → 6 judgments, p = 5/6.
    // a2: 0 + 5 + 0 + 1 NAH, n_binary 6 → 6 judgments, p = 0.
    // a3: n_binary says 5, the four counts add to 4 → dropped (5 candidate votes incl. INFO).
    // a4: INFO only (3) → INFO dropped, then no human verdict left → fewer than 1 human judgment.
    private const string Csv =
        "post_id,n_author,n_other,n_everybody,n_nobody,n_info,n_binary\n" +
        "a1,3,1,2,0,4,6\n" +
        "a2,0,5,0,1,0,6\n" +
        "a3,2,2,0,0,1,5\n" +
        "a4,0,0,0,0,3,0\n";

    private const string BinaryMismatch = "n_binary differs from author + other + everybody + nobody";

    [Fact]
    public void CountsBecomeHumanJudgmentsAndInfoAndMismatchesAreDroppedAndCounted()
    {
        using var f = new Fixture();
        var csv = f.Write("votes.csv", Csv);
        var folder = f.PathOf("out");

        var summary = Importers.ImportTo(folder, ImportFormat.ScruplesVotes, [csv], ImportOptions.KeepAll);

        var r = summary.Report;
        Assert.Equal("scruples-votes", r.Format);
        Assert.Equal(4, r.DilemmasRead);
        Assert.Equal(2, r.DilemmasKept);
        Assert.Equal(10 + 6 + 5 + 3, r.JudgmentsRead);
        Assert.Equal(12, r.JudgmentsKept);
        Assert.Equal(7, r.Dropped("INFO (no binary verdict)"));   // 4 of a1 + 3 of a4
        Assert.Equal(1, r.Dropped(BinaryMismatch));
        Assert.Equal(5, r.Dropped("dilemma dropped: " + BinaryMismatch));
        Assert.Equal(1, r.Dropped("fewer than 1 human judgments"));
        Assert.Contains(r.Reasons, x => x.Reason == BinaryMismatch && x.FirstAt == "votes.csv:4 (5 vs 4)");
        Assert.True(r.IsBalanced, r.ToString());

        var ds = DilemmaDataset.Load(folder);
        Assert.Equal(["a1", "a2"], ds.Dilemmas.Select(d => d.Id));
        Assert.All(ds.Dilemmas, d => { Assert.Equal("", d.Text); Assert.Equal("", d.Title); Assert.Equal("scruples-votes", d.Source); });
        Assert.All(ds.Judgments, j => { Assert.Equal(DilemmaDataset.Human, j.Author); Assert.Equal("", j.Rationale); Assert.NotNull(j.Verdict); });
        Assert.Equal(["YTA", "YTA", "YTA", "NTA", "ESH", "ESH"], ds.JudgmentsOf("a1").Select(j => j.RawLabel));
        Assert.Equal(Enumerable.Range(0, 6), ds.JudgmentsOf("a1").Select(j => j.SampleIndex));
        Assert.Equal(["NTA", "NTA", "NTA", "NTA", "NTA", "NAH"], ds.JudgmentsOf("a2").Select(j => j.RawLabel));
        var p = ds.Distributions().ToDictionary(d => d.DilemmaId, d => d.P);
        Assert.Equal(5.0 / 6, p["a1"], 12);   // (author + everybody) / (author + other + everybody + nobody)
        Assert.Equal(0.0, p["a2"], 12);
        Assert.Equal([5.0 / 6, 0.0], summary.Human.Select(h => h.P));

        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, DatasetManifest.FileName)))!;
        Assert.False(manifest["hasText"]!.GetValue<bool>());
        Assert.Equal(DilemmaDataset.SchemaVersion, manifest["schemaVersion"]!.GetValue<int>());
        Assert.False(DatasetManifest.Read(folder).HasText);
        Assert.False(ds.HasText);
    }

    [Fact]
    public void InMemoryImportIsTextlessToo()
    {
        using var f = new Fixture();
        var result = Importers.Import("scruples-votes", [f.Write("votes.csv", Csv)], ImportOptions.KeepAll);
        Assert.Equal(12, result.Judgments.Count);
        var ds = result.ToDataset("votes");
        Assert.False(ds.HasText);
        Assert.False(ds.Manifest.HasText);
        // Once saved and loaded it stays text-less, and judgments added later (WithJudgments) keep it so.
        ds.Save(f.PathOf("saved"));
        var loaded = DilemmaDataset.Load(f.PathOf("saved"));
        Assert.False(loaded.HasText);
        Assert.False(loaded.WithJudgments([]).HasText);
    }

    [Fact]
    public void DatasetsWithTextSayNothingAboutText()
    {
        // The contrast: a votes-csv import has text, so its manifest has no hasText field and HasText is true.
        using var f = new Fixture();
        var csv = f.Write("v.csv", "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\na,T,Story one.,3,1,0,0,4\n");
        Importers.ImportTo(f.PathOf("out"), ImportFormat.VotesCsv, [csv], ImportOptions.KeepAll);
        Assert.Null(JsonNode.Parse(File.ReadAllText(Path.Combine(f.PathOf("out"), DatasetManifest.FileName)))!["hasText"]);
        Assert.True(DilemmaDataset.Load(f.PathOf("out")).HasText);
    }

    [Fact]
    public void WithoutAnNBinaryColumnNoRowIsCheckedAgainstIt()
    {
        using var f = new Fixture();
        var csv = f.Write("votes.csv", "post_id,n_author,n_other,n_everybody,n_nobody,n_info\na3,2,2,0,0,1\n");
        var result = Importers.ScruplesVotes([csv], ImportOptions.KeepAll);
        Assert.Equal(["a3"], result.Dilemmas.Select(d => d.Id));
        Assert.Equal(4, result.Judgments.Count);
        Assert.Equal(1, result.Report.Dropped("INFO (no binary verdict)"));
    }

    [Fact]
    public void AMissingCountColumnOrABadCountIsNamed()
    {
        using var f = new Fixture();
        var noInfo = f.Write("a.csv", "post_id,n_author,n_other,n_everybody,n_nobody\na1,1,1,0,0\n");
        var e = Assert.Throws<DataFormatException>(() => Importers.ScruplesVotes([noInfo], ImportOptions.KeepAll));
        Assert.Equal((1L, "n_info"), (e.Line, e.Field));
        var bad = f.Write("b.csv", "post_id,n_author,n_other,n_everybody,n_nobody,n_info\na1,1,-2,0,0,0\n");
        e = Assert.Throws<DataFormatException>(() => Importers.ScruplesVotes([bad], ImportOptions.KeepAll));
        Assert.Equal((2L, "n_other"), (e.Line, e.Field));
    }
}

/// <summary>The <c>import</c> verb on a scruples-votes file, run in-process as every verb is (Program.InvokeAsync with writers).</summary>
[Collection("Console")]   // until the import verb writes to the invoker's writers, its report goes to Console.Out
public class ScruplesVotesImportVerbTests
{
    [Fact]
    public async Task ImportVerbPrintsItsReportToTheWritersItIsGiven()
    {
        using var f = new Fixture();
        var csv = f.Write("votes.csv",
            "post_id,n_author,n_other,n_everybody,n_nobody,n_info,n_binary\na1,3,1,2,0,4,6\na2,0,5,0,1,0,6\na3,2,2,0,0,1,5\n");
        var run = await MoralGap.Tests.Runner.RunnerHarness.InvokeAsync("import", "--format", "scruples-votes", csv, "--out", f.PathOf("out"), "--min-judgments", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.False(DilemmaDataset.Load(f.PathOf("out")).HasText);
        // Program.InvokeAsync promises that output goes to the given writers (alignment, import-judgments, judge and run do so).
        Assert.Contains("wrote 2 dilemmas and 12 judgments", run.Output);
        Assert.Contains("INFO (no binary verdict)", run.Output);
    }
}
