using System.Globalization;
using System.Text.Json.Nodes;
using MathNet.Numerics.Statistics;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Tests.Runner;

namespace MoralGap.Tests.Judging;

/// <summary>
/// <see cref="AlignmentStudy"/> on a planted-truth simulation (every number recomputed here from the judgments, by
/// other code: MathNet's Pearson, our own binning), its JSON shape, and the <c>alignment</c> verb's usage errors.
/// </summary>
public class AlignmentStudyTests
{
    private const int D = 60;
    private const string Sim = "sim";

    /// <summary>
    /// 60 dilemmas with a true p each. People: 15–40 votes (the last dilemma has none; every 10th also has an INFO vote).
    /// Model "sim": <c>vanilla</c> verdicts, 8–12 samples at p + U(−0.15, 0.15) (2 unreadable answers on every 7th
    /// dilemma; dilemma 5 has only unreadable ones); <c>dmp</c> verdicts, 40 samples at p + U(−0.02, 0.02) (closer to
    /// people by construction); <c>elicit</c> stated shares, 3 per dilemma at p + U(−0.1, 0.1) (every 9th has one null).
    /// Model "tiny": 2 dilemmas only.
    /// </summary>
    private static DilemmaDataset Simulate(int seed = 20250717)
    {
        var rng = new Random(seed);
        var dilemmas = Enumerable.Range(0, D).Select(d => new Dilemma($"q{d:00}", "", $"Story {d}.", "sim")).ToArray();
        var js = new List<Judgment>();
        double U(double half) => (2 * rng.NextDouble() - 1) * half;
        for (var d = 0; d < D; d++)
        {
            var id = dilemmas[d].Id;
            var p = rng.NextDouble();
            if (d != D - 1)
            {
                var nh = 15 + rng.Next(26);
                for (var i = 0; i < nh; i++)
                {
                    var yes = rng.NextDouble() < p;
                    js.Add(new Judgment(id, DilemmaDataset.Human, yes ? "YTA" : "NTA", yes ? Verdict.Unacceptable : Verdict.Acceptable, "", i));
                }
                if (d % 10 == 0) js.Add(new Judgment(id, DilemmaDataset.Human, "INFO", null, "", nh));
            }
            int s = 0;
            if (d == 5)
                for (; s < 3; s++) js.Add(new Judgment(id, Sim, Judgment.UnreadableLabel, null, "", s, "vanilla"));
            else
            {
                var pv = Math.Clamp(p + U(0.15), 0, 1);
                var nm = 8 + rng.Next(5);
                for (; s < nm; s++)
                {
                    var yes = rng.NextDouble() < pv;
                    js.Add(new Judgment(id, Sim, yes ? "UNACCEPTABLE" : "ACCEPTABLE", yes ? Verdict.Unacceptable : Verdict.Acceptable, "", s, "vanilla"));
                }
                if (d % 7 == 3)
                    for (var k = 0; k < 2; k++, s++) js.Add(new Judgment(id, Sim, Judgment.UnreadableLabel, null, "", s, "vanilla"));
            }
            var pd = Math.Clamp(p + U(0.02), 0, 1);
            for (var i = 0; i < 40; i++)
            {
                var yes = rng.NextDouble() < pd;
                js.Add(new Judgment(id, Sim, yes ? "UNACCEPTABLE" : "ACCEPTABLE", yes ? Verdict.Unacceptable : Verdict.Acceptable, "", i, "dmp"));
            }
            for (var i = 0; i < 3; i++)
            {
                double? share = d % 9 == 4 && i == 1 ? null : Math.Round(Math.Clamp(p + U(0.1), 0, 1), 2);
                js.Add(new Judgment(id, Sim, Judgment.ShareLabel, null, "", i, "elicit", share));
            }
            if (d < 2) js.Add(new Judgment(id, "tiny", "ACCEPTABLE", Verdict.Acceptable, "", 0, "vanilla"));
        }
        return new DilemmaDataset(dilemmas, js, "sim");
    }

    /// <summary>Per-dilemma counts of one (model, condition), recomputed from the judgments.</summary>
    private sealed record Cell(int Answers, double Sum, int Failures);

    private static Cell[] CellsOf(DilemmaDataset ds, string model, string condition) =>
        ds.Dilemmas.Select(d =>
        {
            var mine = ds.Judgments.Where(j => j.DilemmaId == d.Id && j.Author == model && j.ConditionOrVanilla == condition).ToArray();
            var readable = mine.Where(j => j.Verdict is not null || j.Share is not null).ToArray();
            return new Cell(readable.Length,
                readable.Sum(j => j.Share ?? (j.Verdict == Verdict.Unacceptable ? 1.0 : 0.0)),
                mine.Length - readable.Length);
        }).ToArray();

    private static (int N, double P)[] HumanOf(DilemmaDataset ds) =>
        ds.Dilemmas.Select(d =>
        {
            var v = ds.Judgments.Where(j => j.DilemmaId == d.Id && j.Author == DilemmaDataset.Human && j.Verdict is not null).ToArray();
            return (v.Length, v.Length == 0 ? double.NaN : v.Count(j => j.Verdict == Verdict.Unacceptable) / (double)v.Length);
        }).ToArray();

    /// <summary>Consensus bin 0..4 of [0.5,0.6), …, [0.9,1.0], written out independently of ConsensusBins.</summary>
    private static int BinOf(double p)
    {
        var c = Math.Max(p, 1 - p);
        return c >= 0.9 - 1e-9 ? 4 : c >= 0.8 - 1e-9 ? 3 : c >= 0.7 - 1e-9 ? 2 : c >= 0.6 - 1e-9 ? 1 : 0;
    }

    private static readonly string[] BinLabels = ["[0.5,0.6)", "[0.6,0.7)", "[0.7,0.8)", "[0.8,0.9)", "[0.9,1.0]"];

    private static readonly AlignmentOptions Fast = new() { Replicates = 400, Seed = 5 };

    [Fact]
    public void Rows_match_an_independent_computation_of_every_statistic()
    {
        var ds = Simulate();
        var report = AlignmentStudy.Compute(AlignmentTally.From(ds), Fast);
        var human = HumanOf(ds);

        Assert.Equal(D - 1, report.HumanDilemmas);
        Assert.Equal([(Sim, "vanilla"), (Sim, "dmp"), (Sim, "elicit")], report.Rows.Select(r => (r.Model, r.Condition)));
        foreach (var row in report.Rows)
        {
            var cells = CellsOf(ds, Sim, row.Condition);
            var used = Enumerable.Range(0, D).Where(i => cells[i].Answers > 0 && human[i].N > 0).ToArray();
            var pm = used.Select(i => cells[i].Sum / cells[i].Answers).ToArray();
            var ph = used.Select(i => human[i].P).ToArray();
            var share = row.Condition == "elicit";

            Assert.Equal(share ? AnswerKind.Share : AnswerKind.Verdict, row.Kind);
            Assert.Equal(used.Length, row.Dilemmas);
            Assert.Equal(cells.Sum(c => (long)c.Answers), row.Answers);     // over all dilemmas, the humanless one too
            Assert.Equal(cells.Sum(c => (long)c.Failures), row.Failures);
            Assert.Equal(Correlation.Pearson(pm, ph), row.PearsonR.Value, 12);
            Assert.Equal(pm.Zip(ph, (a, b) => Math.Abs(a - b)).Average(), row.MeanAbsGap.Value, 12);
            Assert.InRange(row.MeanAbsGap.Value, row.MeanAbsGap.Low, row.MeanAbsGap.High);
            Assert.InRange(row.PearsonR.Value, row.PearsonR.Low, row.PearsonR.High);
            var floor = used.Average(i => share
                ? NoiseFloor.ExpectedOneSided(human[i].P, human[i].N)
                : NoiseFloor.Expected(human[i].P, cells[i].Answers, human[i].N));
            Assert.Equal(floor, row.NoiseFloor, 12);

            var bins = report.ByBin.Where(b => b.Model == Sim && b.Condition == row.Condition).ToArray();
            Assert.Equal(BinLabels, bins.Select(b => b.Bin));
            Assert.Equal(row.Dilemmas, bins.Sum(b => b.Dilemmas));
            for (var b = 0; b < 5; b++)
            {
                var inBin = Enumerable.Range(0, used.Length).Where(k => BinOf(ph[k]) == b).ToArray();
                Assert.Equal(inBin.Length, bins[b].Dilemmas);
                if (inBin.Length == 0) { Assert.True(double.IsNaN(bins[b].MeanAbsGap)); continue; }
                Assert.Equal(inBin.Average(k => Math.Abs(pm[k] - ph[k])), bins[b].MeanAbsGap, 12);
                Assert.Equal(inBin.Average(k => share
                    ? NoiseFloor.ExpectedOneSided(ph[k], human[used[k]].N)
                    : NoiseFloor.Expected(ph[k], cells[used[k]].Answers, human[used[k]].N)), bins[b].NoiseFloor, 12);
            }
        }

        // The simulation's planted facts: failures where planted, dilemma 5 left out of vanilla, shares' own floor.
        var vanilla = report.Rows[0];
        Assert.Equal(3 + 2 * Enumerable.Range(0, D).Count(d => d % 7 == 3), vanilla.Failures);
        Assert.Equal(D - 2, vanilla.Dilemmas);                      // no human votes on the last, no readable answer on 5
        Assert.Equal(Enumerable.Range(0, D).Count(d => d % 9 == 4), report.Rows[2].Failures);
        Assert.All(report.Rows, r => Assert.True(r.PearsonR.Value > 0.8, $"{r.Condition}: r = {r.PearsonR}"));
        Assert.True(report.Rows[1].MeanAbsGap.Value < vanilla.MeanAbsGap.Value, "dmp was planted closer to people");
        // A model on 2 dilemmas gets no row, and says so.
        Assert.DoesNotContain(report.Rows, r => r.Model == "tiny");
        Assert.Contains(report.Notes, n => n.StartsWith("tiny / vanilla: only 2 dilemma(s)", StringComparison.Ordinal));
    }

    [Fact]
    public void Paired_comparisons_use_the_dilemmas_both_conditions_share()
    {
        var ds = Simulate();
        var report = AlignmentStudy.Compute(AlignmentTally.From(ds), Fast);
        var human = HumanOf(ds);
        var baseCells = CellsOf(ds, Sim, "vanilla");

        Assert.Equal([("dmp", "vanilla"), ("elicit", "vanilla")], report.Paired.Select(p => (p.Condition, p.Baseline)));
        foreach (var pair in report.Paired)
        {
            var cells = CellsOf(ds, Sim, pair.Condition);
            var both = Enumerable.Range(0, D).Where(i => cells[i].Answers > 0 && baseCells[i].Answers > 0 && human[i].N > 0).ToArray();
            double gc = both.Average(i => Math.Abs(cells[i].Sum / cells[i].Answers - human[i].P));
            double gb = both.Average(i => Math.Abs(baseCells[i].Sum / baseCells[i].Answers - human[i].P));
            var ph = both.Select(i => human[i].P).ToArray();
            double rc = Correlation.Pearson(both.Select(i => cells[i].Sum / cells[i].Answers), ph);
            double rb = Correlation.Pearson(both.Select(i => baseCells[i].Sum / baseCells[i].Answers), ph);
            var c = pair.Comparison;
            Assert.Equal(both.Length, c.Dilemmas);
            Assert.Equal(gc - gb, c.DeltaMeanAbsGap.Value, 12);
            Assert.Equal((gb - gc) / gb, c.RelativeReduction.Value, 12);
            Assert.Equal(rc - rb, c.DeltaR.Value, 12);
            // Same as calling the paired bootstrap directly with the row's stream seed.
            var direct = PairedStatistics.Paired(both.Select(i => cells[i].Sum / cells[i].Answers).ToArray(),
                both.Select(i => baseCells[i].Sum / baseCells[i].Answers).ToArray(), ph, 0.05, 0.02, Fast.Replicates,
                AlignmentStudy.StreamSeed(Fast.Seed, Sim, pair.Condition + "\u0001vanilla"));
            Assert.Equal(direct, c);
        }
        // Planted: dmp is closer to people than vanilla; the paired interval of Δ mean |Δp| is below 0.
        var dmp = report.Paired[0].Comparison;
        Assert.True(dmp.DeltaMeanAbsGap.High < 0, $"Δ = {dmp.DeltaMeanAbsGap}");
        Assert.True(dmp.RelativeReduction.Low > 0, $"reduction = {dmp.RelativeReduction}");
    }

    [Fact]
    public void A_folder_gives_the_same_report_as_the_dataset_in_memory_and_a_seed_fixes_it()
    {
        var ds = Simulate();
        var folder = Directory.CreateTempSubdirectory("moralgap-alignment-").FullName;
        try
        {
            ds.Save(folder);
            var fromFolder = AlignmentStudy.Compute(folder, Fast).ToJson();
            var inMemory = AlignmentStudy.Compute(AlignmentTally.From(ds), Fast).ToJson();
            Assert.Equal(inMemory, fromFolder);
            Assert.Equal(fromFolder, AlignmentStudy.Compute(folder, Fast).ToJson());
            var other = AlignmentStudy.Compute(folder, Fast with { Seed = 6 });
            var first = AlignmentStudy.Compute(folder, Fast);
            Assert.Equal(first.Rows.Select(r => r.PearsonR.Value), other.Rows.Select(r => r.PearsonR.Value));
            Assert.NotEqual(first.Rows.Select(r => r.PearsonR.Low), other.Rows.Select(r => r.PearsonR.Low));
        }
        finally { Directory.Delete(folder, true); }
    }

    [Fact]
    public void Json_has_the_field_names_of_the_alignment_verb()
    {
        var report = AlignmentStudy.Compute(AlignmentTally.From(Simulate()), Fast);
        var json = JsonNode.Parse(report.ToJson())!.AsObject();

        string[] rowFields = ["model", "condition", "kind", "dilemmas", "answers", "failures", "meanAbsGap", "meanAbsGapLow", "meanAbsGapHigh",
            "pearsonR", "pearsonRLow", "pearsonRHigh", "noiseFloor"];
        string[] pairedFields = ["model", "condition", "baseline", "deltaMeanAbsGap", "deltaMeanAbsGapLow", "deltaMeanAbsGapHigh",
            "deltaR", "deltaRLow", "deltaRHigh", "relativeReduction", "relativeReductionLow", "relativeReductionHigh", "equivalentR", "equivalentGap"];
        string[] pairedExtras = ["dilemmas", "tostPR", "tostPGap"];
        string[] binFields = ["model", "condition", "bin", "dilemmas", "meanAbsGap", "noiseFloor"];

        Assert.Equal(["rows", "paired", "byBin", "notes"], json.Select(kv => kv.Key));
        var rows = json["rows"]!.AsArray();
        var paired = json["paired"]!.AsArray();
        var byBin = json["byBin"]!.AsArray();
        Assert.Equal(3, rows.Count);
        Assert.Equal(2, paired.Count);
        Assert.Equal(15, byBin.Count);
        Assert.All(rows, r => Assert.Equal(rowFields, r!.AsObject().Select(kv => kv.Key)));
        Assert.All(paired, p => Assert.Equal(pairedFields.Concat(pairedExtras).Order(StringComparer.Ordinal), p!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal)));
        Assert.All(byBin, b => Assert.Equal(binFields, b!.AsObject().Select(kv => kv.Key)));

        // Values: kinds as words, numbers rounded to 6 places, NaN (an empty bin) as null.
        Assert.Equal(["verdict", "verdict", "share"], rows.Select(r => r!["kind"]!.GetValue<string>()));
        Assert.Equal(Math.Round(report.Rows[0].PearsonR.Value, 6), rows[0]!["pearsonR"]!.GetValue<double>());
        Assert.Equal(report.Rows[0].Failures, rows[0]!["failures"]!.GetValue<long>());
        Assert.Equal(report.Paired[0].Comparison.TostGap.Equivalent, paired[0]!["equivalentGap"]!.GetValue<bool>());
        for (var i = 0; i < byBin.Count; i++)
            if (report.ByBin[i].Dilemmas == 0) Assert.Null(byBin[i]!["meanAbsGap"]);
            else Assert.Equal(Math.Round(report.ByBin[i].MeanAbsGap, 6), byBin[i]!["meanAbsGap"]!.GetValue<double>());
        Assert.Equal(report.Notes, json["notes"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Options_and_missing_data_are_refused_with_a_reason()
    {
        var tally = AlignmentTally.From(Simulate());
        Assert.Contains("'gpt-5'", Assert.Throws<ArgumentException>(() => AlignmentStudy.Compute(tally, Fast with { Models = ["gpt-5"] })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => AlignmentStudy.Compute(tally, Fast with { Replicates = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlignmentStudy.Compute(tally, Fast with { MarginR = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlignmentStudy.Compute(tally, Fast with { Level = 1 }));
        var noPeople = AlignmentTally.From(["a", "b", "c"], [new Judgment("a", "m", "ACCEPTABLE", Verdict.Acceptable, "", 0)]);
        Assert.Throws<InvalidOperationException>(() => AlignmentStudy.Compute(noPeople, Fast));
        // A condition holds one kind of answer.
        var mixed = new[]
        {
            new Judgment("a", "m", "ACCEPTABLE", Verdict.Acceptable, "", 0, "x"),
            new Judgment("a", "m", Judgment.ShareLabel, null, "", 1, "x", 0.5),
        };
        Assert.Contains("mixes verdicts and stated shares", Assert.Throws<ArgumentException>(() => AlignmentTally.From(["a"], mixed)).Message);
        // Only one model, chosen by name: the other's rows are left out.
        var one = AlignmentStudy.Compute(tally, Fast with { Models = [Sim] });
        Assert.All(one.Rows, r => Assert.Equal(Sim, r.Model));
        Assert.DoesNotContain(one.Notes, n => n.StartsWith("tiny", StringComparison.Ordinal));
    }

    // ------------------------------------------------------------------ the alignment verb's usage errors

    [Fact]
    public async Task Alignment_without_data_is_a_usage_error()
    {
        var run = await RunnerHarness.InvokeAsync("alignment", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--data", run.Error);
    }

    [Fact]
    public async Task Alignment_with_one_replicate_is_a_usage_error()
    {
        var run = await RunnerHarness.InvokeAsync("alignment", "--data", Path.Combine(TestPaths.RepoRoot, "data", "sample"), "--replicates", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bootstrap replicates", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public async Task Alignment_of_a_missing_folder_fails_and_names_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), "moralgap-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var run = await RunnerHarness.InvokeAsync("alignment", "--data", missing);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(missing, run.Error);
        Assert.Equal("", run.Output);
    }
}

/// <summary>
/// The replication's recorded GPT-4o and Llama-3-70B judgments on 150 Scruples posts (../shared/data/judge-geometry),
/// imported through the runner and compared with the Pearson r the replication published. Skipped without ../shared.
/// </summary>
[Collection("Console")]   // the import verb writes its report to Console.Out
public class AlignmentRealDataTests
{
    private static string? Folder => TestPaths.SharedData is { } d ? Path.Combine(d, "judge-geometry") : null;

    public static TheoryData<string, string, double> Published => new()
    {
        { "gpt-4o", "vanilla", 0.481 }, { "gpt-4o", "dmp_empirical", 0.469 }, { "gpt-4o", "random_persona", 0.485 }, { "gpt-4o", "elicit", 0.553 },
        { "llama70b", "vanilla", 0.425 }, { "llama70b", "dmp_empirical", 0.368 }, { "llama70b", "random_persona", 0.414 }, { "llama70b", "elicit", 0.450 },
    };

    [SkippableFact]
    public async Task Recorded_judgments_reproduce_the_replications_Pearson_r()
    {
        Skip.If(Folder is null || !File.Exists(Path.Combine(Folder, "aita-pilot-500-votes.csv")), "../shared/data is absent");
        var data = RunnerHarness.NewTempFolder("judge-geometry");
        try
        {
            var import = await RunnerHarness.InvokeAsync("import", "--format", "scruples-votes", Path.Combine(Folder!, "aita-pilot-500-votes.csv"),
                "--out", data, "--min-judgments", "1");
            Assert.True(import.ExitCode == 0, import.ToString());
            var ds = DilemmaDataset.Load(data);
            Assert.Equal(500, ds.Dilemmas.Count);
            Assert.Equal(500, ds.Distributions().Count);
            Assert.False(ds.HasText);

            foreach (var (file, model) in new[] { ("judgments_gpt4o.jsonl", "gpt-4o"), ("judgments_llama70b.jsonl", "llama70b") })
            {
                var run = await RunnerHarness.InvokeAsync("import-judgments", "--format", "recorded-jsonl", Path.Combine(Folder!, file), "--model", model, "--data", data);
                Assert.True(run.ExitCode == 0, run.ToString());
                Assert.Contains("4,050 records read", run.Output);
            }

            var alignment = await RunnerHarness.InvokeAsync("alignment", "--data", data, "--json");
            Assert.True(alignment.ExitCode == 0, alignment.ToString());
            var rows = JsonNode.Parse(alignment.Output)!["rows"]!.AsArray();
            Assert.Equal(8, rows.Count);
            foreach (var expected in Published)
            {
                var (model, condition, r) = ((string)expected[0], (string)expected[1], (double)expected[2]);
                var row = rows.Single(x => x!["model"]!.GetValue<string>() == model && x["condition"]!.GetValue<string>() == condition)!;
                var actual = row["pearsonR"]!.GetValue<double>();
                Assert.True(Math.Round(actual, 3) == r, string.Create(CultureInfo.InvariantCulture, $"{model}/{condition}: r = {actual}, published {r}"));
                Assert.Equal(150, row["dilemmas"]!.GetValue<int>());
                Assert.Equal(condition == "elicit" ? "share" : "verdict", row["kind"]!.GetValue<string>());
            }
            var llamaElicit = rows.Single(x => x!["model"]!.GetValue<string>() == "llama70b" && x["condition"]!.GetValue<string>() == "elicit")!;
            Assert.Equal(2, llamaElicit["failures"]!.GetValue<int>());
        }
        finally { Directory.Delete(data, true); }
    }
}
