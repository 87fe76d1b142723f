using MoralGap.Data;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class SensitivityTests
{
    [Fact]
    public async Task Sweep_ReturnsOneRowPerCell_WithDiversityThatFollowsAlphaAndK()
    {
        var (ds, humanP, byText) = FakeJudge.World(8);
        // A skewed prior, so that α matters: large α → profiles close to G (always the same top values).
        var g = Enumerable.Range(0, PaperValues.Count).Select(i => i < 5 ? 10.0 : 1.0).ToArray();
        g = g.Select(x => x / g.Sum()).ToArray();
        var judge = new FakeJudge(byText) { Pull = 0.7 };
        var rows = await Sensitivity.SweepAsync(ds, _ => g, humanP, judge, samples: 4, seed: 1,
            extractValues: r => [r.Replace("It is about ", "").TrimEnd('.')]);

        Assert.Equal(16, rows.Count);
        Assert.Equal(8 * 4 * 16, judge.Calls);
        Assert.Equal([0.1, 1, 10, 100], rows.Select(r => r.Alpha).Distinct());
        Assert.Equal([1, 3, 5, 10], rows.Select(r => r.K).Distinct());
        // 4 samples a dilemma: the sampling noise alone gives a mean |Δp| near 0.2 (sd of a share of 4 draws ≤ 0.25).
        Assert.All(rows, r => Assert.InRange(r.Gap, 0, 0.3));
        Assert.All(rows, r => Assert.InRange(r.ProfileEntropy, 0, 1));
        double H(double a, int k) => rows.Single(r => r.Alpha == a && r.K == k).ProfileEntropy;
        // More values shown → more diverse value use; sharper prior adherence (α = 100) → less diverse top-1 values.
        Assert.True(H(10, 10) > H(10, 1), Sensitivity.Format(rows));
        Assert.True(H(0.1, 1) > H(100, 1), Sensitivity.Format(rows));
        Assert.All(rows, r => Assert.True(double.IsFinite(r.RationaleEntropy)));
        Assert.Equal(1.0, rows.Single(r => r.Alpha == 100 && r.K == 1).RationaleTop10Share, 12);
    }

    [Fact]
    public void EntropyAndTopShare_MatchHandComputedValues()
    {
        Assert.Equal(1.0, Sensitivity.NormalizedEntropy(["a", "b"], vocabularySize: 2), 12);
        Assert.Equal(0.0, Sensitivity.NormalizedEntropy(["a", "a", "A"]), 12);
        Assert.Equal(Math.Log(4) / Math.Log(59), Sensitivity.NormalizedEntropy(["a", "b", "c", "d"]), 12);
        Assert.Equal(0.5, Sensitivity.TopShare(["a", "a", "b", "c"], top: 1), 12);
        Assert.Equal(1.0, Sensitivity.TopShare(["a", "b", "c"]), 12);
    }
}
