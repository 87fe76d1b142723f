using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Notebooks;
using MoralGap.Profiles;

namespace MoralGap.Tests.Notebooks;

public class ProfileFiguresTests
{
    // Four dilemmas, one per consensus bin 0.5–0.6, 0.6–0.7, 0.8–0.9 and 0.9–1.0 (the 0.7–0.8 bin stays empty).
    private static readonly Dictionary<string, double> HumanP = new() { ["a"] = 0.5, ["b"] = 0.65, ["c"] = 0.15, ["d"] = 1.0 };
    private static readonly Dictionary<string, int> HumanN = new() { ["a"] = 32, ["b"] = 20, ["c"] = 32, ["d"] = 32 };

    // A hand-made run: "vanilla" answers UNACCEPTABLE every time; "dmp" matches the human share as closely as 8 answers allow;
    // "direct-elicitation" states the human share exactly.
    private static DmpRunResult Run()
    {
        var responses = new List<ConditionResponse>();
        foreach (var (id, p) in HumanP)
            for (var i = 0; i < 8; i++)
            {
                responses.Add(new ConditionResponse("m", "vanilla", id, i, "prompt", "Evaluation: UNACCEPTABLE", Verdict.Unacceptable, null, "care", null, null));
                var dmp = i < Math.Round(p * 8) ? Verdict.Unacceptable : Verdict.Acceptable;
                responses.Add(new ConditionResponse("m", "dmp", id, i, "prompt", "x", dmp, null, "honesty", [new ValueWeight("Honesty", 1)], null));
                responses.Add(new ConditionResponse("m", "direct-elicitation", id, i, "prompt", "x", null, p, "", null, null));
            }
        var kinds = new Dictionary<string, ConditionKind>
        {
            ["vanilla"] = ConditionKind.Verdict, ["dmp"] = ConditionKind.Verdict, ["direct-elicitation"] = ConditionKind.Elicitation,
        };
        return new DmpRunResult(responses, kinds).WithCouncil();
    }

    [Fact]
    public void GapByConsensusHasTheFiveBinsOneLinePerConditionAndTheExactNoiseFloor()
    {
        var spec = ProfileFigures.GapByConsensus(Run(), HumanP, HumanN, "m", samples: 8);
        Assert.Equal(["[0.5,0.6)", "[0.6,0.7)", "[0.7,0.8)", "[0.8,0.9)", "[0.9,1.0]"], spec.Categories);
        Assert.Equal(["council", "direct-elicitation", "dmp", "vanilla", "noise floor (N = 8 vs human votes)"], spec.Series.Select(s => s.Name));
        var floor = spec.Series.Single(s => s.Name.StartsWith("noise floor"));
        Assert.Equal(SeriesKind.DashedLine, floor.Kind);
        Assert.Equal(NoiseFloor.Expected(0.5, 8, 32), floor.Y[0], 12);
        Assert.Equal(NoiseFloor.Expected(0.65, 8, 20), floor.Y[1], 12);
        Assert.True(double.IsNaN(floor.Y[2]), "an empty bin has no floor");
        Assert.Equal(0, floor.Y[4], 12); // p = 1 on both sides: no sampling noise
        // vanilla always says UNACCEPTABLE: its gap in the bin of dilemma c (p = 0.15) is 0.85.
        Assert.Equal(0.85, spec.Series.Single(s => s.Name == "vanilla").Y[3], 12);
        var png = spec.ToFigure().ToPng();
        Assert.Equal(0x89, png[0]);
    }

    [Fact]
    public void GapTableReportsTheReductionThePapersWayAndTheCouncilEqualsASingleModel()
    {
        var rows = ProfileChapters.GapTable(Run(), HumanP, "m");
        var vanilla = rows.Single(r => r.Condition == "vanilla");
        var elicitation = rows.Single(r => r.Condition == "direct-elicitation");
        var council = rows.Single(r => r.Condition == "council");
        Assert.Equal((0.5 + 0.35 + 0.85 + 0) / 4, vanilla.MeanAbsGap, 12);
        Assert.Equal(0, vanilla.Reduction, 12);
        Assert.Equal(0, elicitation.MeanAbsGap, 12);
        Assert.Equal(1, elicitation.Reduction, 12);
        Assert.Equal(vanilla.MeanAbsGap, council.MeanAbsGap, 12);
        Assert.True(vanilla.CiLow <= vanilla.MeanAbsGap && vanilla.MeanAbsGap <= vanilla.CiHigh);
        var bars = ProfileFigures.GapByCondition(rows, 0.1);
        Assert.Equal(rows.Select(r => r.Condition.Replace('-', '\n')), bars.Categories);
        Assert.Contains(bars.Series, s => s.Kind == SeriesKind.DashedLine && s.Y.All(y => y == 0.1));
        Assert.Equal(0x89, bars.ToFigure().ToPng()[0]);
    }

    [Fact]
    public void SensitivityChartsHaveOneLinePerKOverTheAlphaGrid()
    {
        var rows = (from a in new[] { 0.1, 1, 10, 100 } from k in new[] { 1, 3 }
                    select new SensitivityRow(a, k, 0.3 / (1 + a) + k * 0.01, Math.Min(1, 1 / (1 + Math.Log10(a + 1))), 0.5, double.NaN, double.NaN, 0)).ToList();
        var gap = ProfileFigures.SensitivityGap(rows, vanillaGap: 0.25, noiseFloor: 0.08);
        Assert.Equal(["0.1", "1", "10", "100"], gap.Categories);
        Assert.Equal(["k = 1", "k = 3", "vanilla", "noise floor"], gap.Series.Select(s => s.Name));
        Assert.Equal([0, 1, 2, 3], gap.Series[0].X);
        Assert.Equal(0.3 / 11 + 0.03, gap.Series[1].Y[2], 12);
        var entropy = ProfileFigures.SensitivityEntropy(rows);
        Assert.Equal(2, entropy.Series.Count); // no rationale entropy measured → no dashed rationale lines
        Assert.Equal(0x89, gap.ToFigure().ToPng()[0]);
        Assert.Equal(0x89, entropy.ToFigure().ToPng()[0]);
    }

    [Fact]
    public void PlantedValueCountsGivePriorsAndConcentrationsOnTheEmbeddedSample()
    {
        var dataset = DilemmaDataset.LoadSample();
        var truth = SampleTruth.Load();
        var counts = ProfileChapters.ValueCounts(dataset, "planted", truth);
        Assert.Equal(truth.Judgments.Sum(j => j.Values.Count), counts.Mentions);
        Assert.Equal(dataset.Judgments.Count(j => j.Author == DilemmaDataset.Human), counts.PerJudgment.Length);
        Assert.Throws<ArgumentException>(() => ProfileChapters.ValueCounts(dataset, "guessed", truth));

        var g0 = Priors.Global(counts.PerDilemma, 1.0);
        var byTopic = Priors.ByTopic(counts.PerDilemma, counts.DilemmaTopics, 1.0);
        var charts = ProfileFigures.TopicPriors(byTopic, g0, top: 6);
        Assert.Equal(byTopic.Keys, charts.Select(c => c.Series[0].Name));
        foreach (var t in truth.Topics)
        {
            // the sample's topic prior puts its three leading (planted) values on top
            var chart = charts.Single(c => c.Series[0].Name == t.Name);
            var leading = Enumerable.Range(0, t.Alpha.Count).OrderByDescending(i => t.Alpha[i]).Take(3).Select(i => truth.Values[i].Replace(' ', '\n'));
            Assert.Equal(leading.OrderBy(x => x), chart.Categories!.Take(3).OrderBy(x => x));
            Assert.Equal(2, chart.Series.Count);
        }
        Assert.Equal(0x89, charts[0].ToFigure().ToPng()[0]);
        Assert.Equal(10, ProfileFigures.GlobalPrior(g0).Categories!.Count);

        var recovery = ProfileChapters.ConcentrationRecovery(counts, truth);
        Assert.Equal(truth.Topics.Select(t => t.Name).OrderBy(n => n, StringComparer.Ordinal), recovery.Select(r => r.Topic));
        foreach (var r in recovery)
        {
            // pooled per dilemma the counts are less dispersed than the planted α₀ implies: the fit overshoots (or is unbounded)
            Assert.True(r.PerDilemma > r.Planted, $"{r.Topic}: {r.PerDilemma} vs planted {r.Planted}");
            // no rationale names a value twice, which a Dirichlet-multinomial can only explain with α₀ → ∞
            Assert.True(double.IsPositiveInfinity(r.PerRationale), $"{r.Topic}: {r.PerRationale}");
            Assert.Contains("unbounded", r.Note);
            Assert.InRange(r.Planted, 10, 20); // 3 leading values at 3.0 + 5 featured at 1.2 + 0.03 for the rest seen
        }
        Assert.Equal(0x89, ProfileFigures.ConcentrationRecovery(recovery).ToFigure().ToPng()[0]);
    }

    [Fact]
    public void CapDilemmasSpreadsOverTheConsensusBinsAndIsSeeded()
    {
        var dataset = DilemmaDataset.LoadSample();
        var p = ProfileChapters.HumanP(dataset);
        var a = ProfileChapters.CapDilemmas(dataset, 10, 3);
        var b = ProfileChapters.CapDilemmas(dataset, 10, 3);
        Assert.Equal(a.Select(d => d.Id), b.Select(d => d.Id));
        Assert.Equal(10, a.Count);
        Assert.Equal(5, a.Select(d => ConsensusBins.IndexOf(Alignment.Consensus(p[d.Id]))).Distinct().Count());
        Assert.Equal(dataset.Dilemmas.Count, ProfileChapters.CapDilemmas(dataset, 0, 3).Count);
    }
}
