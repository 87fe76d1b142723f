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

    /// <summary>Agreement of a verdict rule with the verdict column of real human top comments.</summary>
    private static (int Labelled, int Same, int Opposite) Agreement(IReadOnlyList<(string Verdict, string Comment)> rows, VerdictRule rule)
    {
        int labelled = 0, same = 0, opposite = 0;
        foreach (var (verdict, comment) in rows)
        {
            if (!AitaLabels.TryReadComment(comment, rule, out var label, out _, out _, out _)) continue;
            labelled++;
            if (label == verdict) same++;
            else if (label != "INFO" && AitaLabels.ToVerdict(label) != AitaLabels.ToVerdict(verdict)) opposite++;
        }
        return (labelled, same, opposite);
    }

    [SkippableFact]
    public void VerdictRulesAgreeWithTheVerdictOfRealHumanTopComments()
    {
        Skip.If(TestPaths.SharedData is null || Paired is null || !File.Exists(Paired), "../shared/data is absent");
        // The human rows of the AITA-Judge file: a real top comment and the verdict its post was given, read with a
        // plain CSV reader (not our importer).
        var rows = new List<(string Verdict, string Comment)>();
        using (var reader = CsvHelper.CsvReader.FromFile(Paired!))
            while (reader.Read())
                if (reader.GetString("author") == "human")
                    rows.Add((AitaLabels.Normalize(reader.GetString("verdict"))!, reader.GetString("rationale")!));
        Assert.Equal(100, rows.Count);
        var reference = Agreement(rows, VerdictRule.Reference);
        var start = Agreement(rows, VerdictRule.Start);
        foreach (var (name, a) in new[] { ("reference", reference), ("start", start) })
            output.WriteLine($"{name}: labelled {a.Labelled}/{rows.Count}, same label {a.Same} ({a.Same / (double)rows.Count:P0} of all, " +
                $"{a.Same / (double)Math.Max(1, a.Labelled):P1} of labelled), opposite binary verdict {a.Opposite}");
        foreach (var (verdict, comment) in rows)
            if (AitaLabels.TryReadComment(comment, VerdictRule.Reference, out var l, out _, out _, out var how) && l != verdict)
                output.WriteLine($"  column {verdict}, reference {l} ({how}): {comment[..Math.Min(140, comment.Length)].ReplaceLineEndings(" ")}");
        // Measured 2026-11-28: reference 99 of 100 same label and 1 opposite ("yta - … but ultimately … no, asshole move.":
        // "no, asshole" is "not asshole" with one character of error, and the "but" before it hands the verdict to that
        // later NTA, as the Scruples rule does); start 100 of 100 (each of these top comments opens with its verdict).
        // Bounds sit just below.
        Assert.True(reference.Labelled >= 99 && reference.Same >= 98, $"reference {reference}");
        Assert.True(reference.Opposite <= 2, $"reference {reference}");
        Assert.True(start.Labelled >= 99 && start.Same >= 99, $"start {start}");
        Assert.True(start.Opposite <= 1, $"start {start}");
    }
}
