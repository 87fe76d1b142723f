using System.Globalization;
using MoralGap.Data;
using Xunit.Abstractions;

namespace MoralGap.Tests.Data;

/// <summary>Imports the real files of ../shared/data when present; skipped otherwise.</summary>
public class RealDataTests(ITestOutputHelper output)
{
    private static string? Votes => TestPaths.SharedData is { } d ? Path.Combine(d, "aita-2020", "aita-2020-votes.csv") : null;
    private static string? Paired => TestPaths.SharedData is { } d ? Path.Combine(d, "aita-judge", "paired-rationales.csv") : null;

    /// <summary>Column sums of the vote CSV computed independently (a plain RFC 4180 split, not our importer).</summary>
    private static (int Rows, long[] Sums, int AtLeast32) ColumnSums(string path)
    {
        using var reader = CsvHelper.CsvReader.FromFile(path);
        int rows = 0, atLeast32 = 0;
        var sums = new long[5];
        string[] cols = ["n_yta", "n_nta", "n_esh", "n_nah", "n_total"];
        while (reader.Read())
        {
            rows++;
            for (var i = 0; i < 5; i++) sums[i] += long.Parse(reader.GetString(cols[i])!, CultureInfo.InvariantCulture);
            if (long.Parse(reader.GetString("n_total")!, CultureInfo.InvariantCulture) >= 32) atLeast32++;
        }
        return (rows, sums, atLeast32);
    }

    [SkippableFact]
    public void VoteCountsImportWithTotalsEqualToTheColumnSums()
    {
        Skip.If(Votes is null || !File.Exists(Votes), "../shared/data is absent");
        var (rows, sums, atLeast32) = ColumnSums(Votes!);
        var all = Importers.Import("votes-csv", [Votes!], ImportOptions.KeepAll);
        output.WriteLine(all.Report.ToString());
        Assert.Equal(rows, all.Report.DilemmasRead);
        Assert.Equal(rows, all.Dilemmas.Count);
        Assert.Equal(sums[4], all.Report.JudgmentsRead);
        Assert.Equal(sums[4], all.Judgments.Count);
        Assert.Equal(sums[0], all.Judgments.Count(j => j.RawLabel == "YTA"));
        Assert.Equal(sums[1], all.Judgments.Count(j => j.RawLabel == "NTA"));
        Assert.Equal(sums[2], all.Judgments.Count(j => j.RawLabel == "ESH"));
        Assert.Equal(sums[3], all.Judgments.Count(j => j.RawLabel == "NAH"));
        Assert.Equal(sums[0] + sums[2], all.Judgments.Count(j => j.Verdict == Verdict.Unacceptable));

        var paper = Importers.Import("votes-csv", [Votes!], ImportOptions.Paper);
        output.WriteLine(paper.Report.ToString());
        Assert.True(paper.Report.IsBalanced);
        Assert.Equal(atLeast32, paper.Dilemmas.Count);
        Assert.Equal(32L * atLeast32, paper.Judgments.Count);
        var ds = paper.ToDataset("aita-2020");
        var hist = ds.ConsensusHistogram();
        output.WriteLine("consensus bins " + string.Join(" ", ConsensusBins.Labels().Zip(hist, (l, n) => $"{l}:{n}")));
        Assert.Equal(paper.Dilemmas.Count, hist.Sum());
        Assert.All(ds.Distributions(), d => Assert.Equal(32, d.N));
    }

    [SkippableFact]
    public void PairedRationalesImportOneHumanAndOneModelAnswerPerPost()
    {
        Skip.If(Paired is null || !File.Exists(Paired), "../shared/data is absent");
        var r = Importers.Import("paired", [Paired!], ImportOptions.KeepAll);
        output.WriteLine(r.Report.ToString());
        Assert.True(r.Report.IsBalanced);
        Assert.Equal(100, r.Report.DilemmasRead);
        Assert.Equal(200, r.Report.JudgmentsRead);
        Assert.Equal(100, r.Dilemmas.Count + r.Report.DilemmasDropped);
        Assert.Equal(["human", "gpt-4o-2024-11-20"], r.Judgments.Select(j => j.Author).Distinct());
        Assert.All(r.Dilemmas, d => Assert.Equal(1, r.Judgments.Count(j => j.DilemmaId == d.Id && j.Author == "human")));
        Assert.All(r.Judgments, j => Assert.False(string.IsNullOrWhiteSpace(j.Rationale)));
        var hist = r.ToDataset().ConsensusHistogram();
        Assert.Equal(r.Dilemmas.Count, hist.Sum());
        var human = r.Judgments.Where(j => j.Author == "human").ToDictionary(j => j.DilemmaId, j => j.Verdict);
        var agree = r.Judgments.Where(j => j.Author != "human").Count(j => human[j.DilemmaId] == j.Verdict) / (double)human.Count;
        output.WriteLine($"human/model binary agreement {agree:P1} on {human.Count} posts");
        Assert.InRange(agree, 0.3, 1.0);
    }
}
