using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class DmpEvaluationTests
{
    private static double[] Uniform() => Enumerable.Repeat(1.0 / PaperValues.Count, PaperValues.Count).ToArray();

    private static async Task<(DmpRunResult Run, IReadOnlyList<ConditionSummary> Summary)> Run(FakeJudge judge, int dilemmas = 30, int samples = 32)
    {
        var (ds, humanP, _) = FakeJudge.World(dilemmas);
        var run = await DmpEvaluation.RunAsync(ds, [Conditions.Vanilla(), Conditions.Dmp(_ => Uniform(), seed: 3)],
            new Dictionary<string, IChatClient> { ["fake"] = judge }, samples, maxConcurrency: 2);
        return (run, DmpEvaluation.Summarize(run, humanP));
    }

    [Theory]
    [InlineData(0.7, -1)]   // a profile pulls the fake toward human p → the gap shrinks
    [InlineData(1.0, -1)]
    [InlineData(-0.5, +1)]  // a profile pushes the fake further toward the majority → the gap grows
    public async Task Dmp_MovesTheGapInTheDirectionTheFakeImplies(double pull, int expectedSign)
    {
        var (_, _, byText) = FakeJudge.World(30);
        var (_, summary) = await Run(new FakeJudge(byText) { Sharpen = 0.8, Pull = pull });
        var vanilla = summary.Single(s => s.Condition == "vanilla");
        var dmp = summary.Single(s => s.Condition == "dmp");
        // Expected systematic gaps: vanilla 0.8·E[min(p,1−p)] ≈ 0.17; with pull 0.7 ≈ 0.05 (plus sampling noise ~0.06).
        Assert.Equal(expectedSign, Math.Sign(dmp.MeanAbsGap - vanilla.MeanAbsGap));
        Assert.True(Math.Abs(dmp.MeanAbsGap - vanilla.MeanAbsGap) > 0.04, FormatBoth(vanilla, dmp));
        Assert.Equal(expectedSign < 0, dmp.GapReduction > 0);
        Assert.Equal(0.0, vanilla.GapReduction, 12);
    }

    [Fact]
    public async Task Dmp_WithPull07_ReducesTheGapByRoughlyTheFakesAmount()
    {
        var (_, _, byText) = FakeJudge.World(30);
        var (_, summary) = await Run(new FakeJudge(byText) { Sharpen = 0.8, Pull = 0.7 });
        var vanilla = summary.Single(s => s.Condition == "vanilla");
        var dmp = summary.Single(s => s.Condition == "dmp");
        Assert.InRange(vanilla.MeanAbsGap, 0.13, 0.22);
        Assert.InRange(dmp.MeanAbsGap, 0.03, 0.10);
        Assert.InRange(dmp.GapReduction, 0.4, 0.85);
        // Vanilla gaps are largest where humans disagree (consensus 0.5–0.6), smallest near unanimity.
        var bins = vanilla.Bins;
        Assert.True(bins[0].MeanAbsoluteGap > bins[^1].MeanAbsoluteGap, DmpEvaluation.FormatSummary(summary));
        Assert.Equal(30, bins.Sum(b => b.Dilemmas));
    }

    [Fact]
    public async Task Runner_IsDeterministic_AndKeepsPromptsProfilesAndRationales()
    {
        var (_, _, byText) = FakeJudge.World(6);
        var a = await Run(new FakeJudge(byText), dilemmas: 6, samples: 4);
        var b = await Run(new FakeJudge(byText), dilemmas: 6, samples: 4);
        Assert.Equal(a.Run.Responses.Select(r => r.Response), b.Run.Responses.Select(r => r.Response));
        Assert.Equal(6 * 4 * 2, a.Run.Responses.Count);
        var dmp = a.Run.Responses.Where(r => r.Condition == "dmp").ToList();
        Assert.All(dmp, r => Assert.Equal(3, r.Profile!.Count));
        Assert.All(dmp, r => Assert.Equal($"It is about {r.Profile![0].Value}.", r.Rationale));
        Assert.All(a.Run.Responses.Where(r => r.Condition == "vanilla"), r => Assert.Null(r.Profile));
        Assert.Equal(0, a.Run.InvalidCount);
    }

    [Fact]
    public async Task Council_PoolsVanillaAnswersOfAllModels()
    {
        var (ds, humanP, byText) = FakeJudge.World(8);
        var models = new Dictionary<string, IChatClient>
        {
            ["sharp"] = new FakeJudge(byText) { Sharpen = 0.9 },
            ["soft"] = new FakeJudge(byText) { Sharpen = 0.2 },
        };
        var run = (await DmpEvaluation.RunAsync(ds, [Conditions.Vanilla()], models, 10)).WithCouncil();
        var ids = ds.Select(d => d.Id).ToArray();
        var council = run.P("council", "council", ids);
        var expected = run.P("sharp", "vanilla", ids).Zip(run.P("soft", "vanilla", ids), (x, y) => (x + y) / 2).ToArray();
        for (var i = 0; i < ids.Length; i++) Assert.Equal(expected[i], council[i], 12);
        Assert.Equal(20, run.Estimates.First(e => e.Model == "council").Valid);
        var summary = DmpEvaluation.Summarize(run, humanP);
        Assert.Contains(summary, s => s.Model == "council" && double.IsFinite(s.GapReduction));
    }

    [Fact]
    public async Task UnparseableAnswers_AreCountedNotDropped()
    {
        var (ds, humanP, byText) = FakeJudge.World(10);
        var judge = new FakeJudge(byText) { GarbageEvery = 3 };
        var run = await DmpEvaluation.RunAsync(ds, [Conditions.Vanilla()], new Dictionary<string, IChatClient> { ["f"] = judge }, 12);
        Assert.True(run.InvalidCount > 0);
        Assert.Equal(10 * 12, run.Estimates.Sum(e => e.Valid + e.Invalid));
        Assert.Equal(run.InvalidCount, DmpEvaluation.Summarize(run, humanP).Single().Invalid);
        Assert.All(run.Estimates, e => Assert.Equal(e.Valid, run.Responses.Count(r => r.DilemmaId == e.DilemmaId && r.Verdict is not null)));
    }

    [Fact]
    public async Task FailedCalls_AreRecordedWithTheirError()
    {
        var (ds, _, _) = FakeJudge.World(2);
        var run = await DmpEvaluation.RunAsync(ds, [Conditions.Vanilla()], new Dictionary<string, IChatClient> { ["bad"] = new Throwing() }, 2);
        Assert.All(run.Responses, r => Assert.StartsWith("InvalidOperationException: boom", r.Error));
        Assert.All(run.Estimates, e => Assert.True(double.IsNaN(e.P)));
        Assert.Equal(4, run.InvalidCount);
    }

    [Fact]
    public async Task DirectElicitation_EstimatesPFromStatedShares()
    {
        var (ds, humanP, byText) = FakeJudge.World(12);
        var run = await DmpEvaluation.RunAsync(ds, [Conditions.DirectElicitation()],
            new Dictionary<string, IChatClient> { ["f"] = new FakeJudge(byText) { ElicitationBias = 10 } }, 3);
        var s = DmpEvaluation.Summarize(run, humanP, baselineCondition: "none").Single();
        // The fake states 100·p + 10 percent (clamped): mean |Δp| is 0.10 except where clamping at 100% cuts it.
        Assert.InRange(s.MeanAbsGap, 0.08, 0.105);
    }

    [Fact]
    public void StandardConditions_BuildDistinctDeterministicPrompts()
    {
        var g = Priors.Global([Enumerable.Range(0, PaperValues.Count).Select(i => i == PaperValues.IndexOf("Family") ? 50 : 1).ToArray()], 1).Mean;
        var conds = Conditions.Standard(_ => g, alpha: 10, k: 3, seed: 9);
        var d = new Dilemma("id1", "t", "The main actor missed a birthday.", "test", "family");
        Assert.Equal(["vanilla", "dmp", "random-profile", "scrambled-prior", "moral-foundations", "direct-elicitation"], conds.Select(c => c.Name));
        // Distinct: the six conditions ask six different prompts of the same dilemma and sample.
        Assert.Equal(conds.Count, conds.Select(c => c.Build(d, 0).Prompt).Distinct().Count());
        // Deterministic: a second set built with the same seed gives the same prompts; another seed gives other profiles.
        var again = Conditions.Standard(_ => g, alpha: 10, k: 3, seed: 9);
        var other = Conditions.Standard(_ => g, alpha: 10, k: 3, seed: 10);
        for (var i = 0; i < 20; i++)
            Assert.Equal(conds.Select(c => c.Build(d, i).Prompt), again.Select(c => c.Build(d, i).Prompt));
        string Prompts(IReadOnlyList<Condition> set, string name) => string.Join("|", Enumerable.Range(0, 20).Select(i => set.Single(c => c.Name == name).Build(d, i).Prompt));
        Assert.NotEqual(Prompts(conds, "dmp"), Prompts(other, "dmp"));
        Assert.Equal(Prompts(conds, "vanilla"), Prompts(other, "vanilla"));
        // A profile condition draws a new profile per sample index: 20 samples show more than one prompt.
        Assert.True(Enumerable.Range(0, 20).Select(i => conds.Single(c => c.Name == "dmp").Build(d, i).Prompt).Distinct().Count() > 1);
        var mf = conds.Single(c => c.Name == "moral-foundations").Build(d, 0).Profile!;
        Assert.All(mf, v => Assert.Contains(v.Value, Conditions.MoralFoundationsMapping.Values));
        Assert.All(Conditions.MoralFoundationsMapping.Values, n => Assert.True(PaperValues.IndexOf(n) >= 0, n));
        // DMP with a Family-heavy prior shows Family far more often than the scrambled prior does.
        int Count(string name) => Enumerable.Range(0, 100).Count(i => conds.Single(c => c.Name == name).Build(d, i).Profile!.Any(v => v.Value == "Family"));
        Assert.True(Count("dmp") > 50 && Count("scrambled-prior") < 20, $"dmp {Count("dmp")}, scrambled {Count("scrambled-prior")}");
        Assert.Equal(ConditionKind.Elicitation, conds[^1].Kind);
    }

    [Fact]
    public void RelativeGapReduction_IsThePapersFormula()
    {
        Assert.Equal(1 - 8.0 / 22.0, GapMetrics.RelativeGapReduction(0.22, 0.08), 12);   // 63.6%, not the paper's 64.3%
        Assert.Equal(0.643, GapMetrics.RelativeGapReduction(0.2204, 0.0787), 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => GapMetrics.RelativeGapReduction(0, 0.1));
    }

    [Fact]
    public async Task DilemmasWithoutAValidAnswer_AreSkippedAndCountedInTheSummary()
    {
        // One sample per dilemma and about every other draw garbage: about half the dilemmas have no valid answer (p = NaN).
        var (ds, humanP, byText) = FakeJudge.World(20);
        var run = await DmpEvaluation.RunAsync(ds, [Conditions.Vanilla()], new Dictionary<string, IChatClient> { ["f"] = new FakeJudge(byText) { GarbageEvery = 2 } }, 1);
        var nan = run.Estimates.Count(e => double.IsNaN(e.P));
        Assert.InRange(nan, 1, 19);
        var s = DmpEvaluation.Summarize(run, humanP).Single();
        Assert.Equal(nan, s.SkippedDilemmas);
        Assert.Equal(20 - nan, s.Dilemmas);
        Assert.Equal(nan, s.Bins.Sum(b => b.Skipped));                      // each skipped dilemma counted in its consensus bin
        Assert.Equal(20 - nan, s.Bins.Sum(b => b.Dilemmas));
        var valid = run.Estimates.Where(e => double.IsFinite(e.P)).ToList();
        Assert.Equal(valid.Average(e => Math.Abs(e.P - humanP[e.DilemmaId])), s.MeanAbsGap, 12);
        Assert.Contains($"{nan} without a valid answer skipped", s.ToString());
        Assert.Contains("skipped", DmpEvaluation.FormatSummary([s]));
    }

    private static string FormatBoth(ConditionSummary a, ConditionSummary b) => $"{a}\n{b}";

    private sealed class Throwing : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("boom");
        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public void Conditions_are_compared_with_the_plain_prompt_on_the_same_dilemmas()
    {
        // 30 dilemmas, 10 samples each; human p = i/29. "exact" answers with the human p (rounded to tenths), "vanilla" always
        // UNACCEPTABLE, "same" answers as vanilla does.
        var humanP = Enumerable.Range(0, 30).ToDictionary(i => $"d{i:00}", i => i / 29.0);
        var responses = new List<ConditionResponse>();
        foreach (var (id, p) in humanP)
            for (var s = 0; s < 10; s++)
            {
                ConditionResponse R(string condition, bool unacceptable) => new("m", condition, id, s, "", "", unacceptable ? Verdict.Unacceptable : Verdict.Acceptable, null, "", null, null);
                responses.Add(R("vanilla", true));
                responses.Add(R("same", true));
                responses.Add(R("exact", s < Math.Round(p * 10)));
            }
        responses.Add(new ConditionResponse("m", "exact", "d00", 10, "", "", null, null, "", null, "failed")); // invalid, still counted p
        responses.Add(new ConditionResponse("m", "exact", "zz", 0, "", "", null, null, "", null, "failed"));   // no valid answer, no human p
        var run = new DmpRunResult(responses, new Dictionary<string, ConditionKind> { ["vanilla"] = ConditionKind.Verdict, ["same"] = ConditionKind.Verdict, ["exact"] = ConditionKind.Verdict });
        var compared = DmpEvaluation.CompareWithBaseline(run, humanP, "m", replicates: 500, seed: 2).ToDictionary(c => c.Condition);
        Assert.Equal(2, compared.Count);
        var exact = compared["exact"];
        Assert.Equal(30, exact.Dilemmas);
        Assert.Equal("smaller gap", exact.GapVerdict);
        Assert.True(exact.DeltaMeanAbsGap.High < 0);
        Assert.InRange(exact.RelativeReduction.Value, 0.9, 1.0); // vanilla gap ≈ 0.5, exact ≈ 0.02
        Assert.True(exact.RelativeReduction.Low <= exact.RelativeReduction.Value && exact.RelativeReduction.Value <= exact.RelativeReduction.High);
        var same = compared["same"];
        Assert.Equal(0, same.DeltaMeanAbsGap.Value);
        Assert.StartsWith("equivalent", same.GapVerdict);
        Assert.Throws<ArgumentException>(() => DmpEvaluation.CompareWithBaseline(run, humanP, "m", baseline: "absent"));
    }
}
