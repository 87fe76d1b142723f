using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>The offline path: the collector driving the simulated judge, as the notebooks do on a fresh machine.</summary>
public class SimulatedCollectionTests
{
    private static SimulatedJudge Judge() => new(content => content.Contains("Planted: U") ? 0.8 : 0.25);

    [Fact]
    public async Task Collection_is_reproducible_under_concurrency_and_follows_the_simulators_chances()
    {
        var dilemmas = Dilemmas(6);
        var options = new JudgmentCollectionOptions { Samples = 200, Concurrency = 4 };
        var a = await JudgmentCollector.CollectAsync(dilemmas, LlmConfiguration.Simulated, Judge(), options);
        var b = await JudgmentCollector.CollectAsync(dilemmas, LlmConfiguration.Simulated, Judge(), options with { Concurrency = 1 });
        Assert.Equal(a.Judgments, b.Judgments);
        Assert.True(a.Simulated);
        Assert.StartsWith("[SIMULATED answers]", a.ToString());
        Assert.All(a.Judgments, j => Assert.Equal("simulated-judge", j.Author));
        Assert.All(a.Outcomes, o => Assert.Equal(OutcomeKind.Ok, o.Kind));

        var judge = Judge();
        var shares = a.UnacceptableShares("simulated-judge");
        foreach (var d in dilemmas)
        {
            var share = shares[d.Id];
            Assert.Equal(a.Judgments.Where(j => j.DilemmaId == d.Id).Count(j => j.Verdict == Verdict.Unacceptable) / 200.0, share, 12);
            var expected = judge.ChanceOfUnacceptable(PromptConventions.DilemmaContent(d));
            Assert.InRange(share, expected - 0.1, expected + 0.1);
        }
        var other = await JudgmentCollector.CollectAsync(dilemmas, LlmConfiguration.Simulated, new SimulatedJudge(content => content.Contains("Planted: U") ? 0.8 : 0.25, new SimulatedJudgeOptions(Seed: 1)), options);
        Assert.NotEqual(a.Judgments, other.Judgments);
    }

    [Fact]
    public async Task A_profile_per_dilemma_reaches_the_simulator_through_the_prompt()
    {
        var dilemmas = Dilemmas(3);
        var options = new JudgmentCollectionOptions { Samples = 100, Profile = _ => [new ValueWeight("Loyalty", 0.6), new ValueWeight("Tradition", 0.4)] };
        var guided = await JudgmentCollector.CollectAsync(dilemmas, LlmConfiguration.Simulated, Judge(), options);
        var plain = await JudgmentCollector.CollectAsync(dilemmas, LlmConfiguration.Simulated, Judge(), options with { Profile = null });
        int Loyal(JudgmentCollection c) => c.Judgments.Count(j => j.Rationale.Contains("loyalty"));
        Assert.True(Loyal(guided) > 3 * Math.Max(1, Loyal(plain)), $"{Loyal(guided)} vs {Loyal(plain)}");
    }

    [Fact]
    public async Task The_simulator_needs_a_judge_and_bad_options_are_named()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => JudgmentCollector.CollectAsync(Dilemmas(1), LlmConfiguration.Simulated));
        var e = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            JudgmentCollector.CollectAsync(Dilemmas(1), LlmConfiguration.Simulated, Judge(), new JudgmentCollectionOptions { Samples = 0 }));
        Assert.Contains("Samples", e.Message);
        var dup = await Assert.ThrowsAsync<ArgumentException>(() =>
            JudgmentCollector.CollectAsync([.. Dilemmas(2), Dilemmas(1)[0]], LlmConfiguration.Simulated, Judge()));
        Assert.Contains("d00", dup.Message);
    }
}
