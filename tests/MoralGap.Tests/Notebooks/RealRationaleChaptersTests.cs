using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

public class RealRationaleChaptersTests
{
    [Theory]
    [InlineData(8, 10, 0.4902, 0.9433)]   // hand-computed: centre (0.8 + 0.19208) / 1.38416, half 1.96·√0.025604 / 1.38416
    [InlineData(0, 10, 0.0, 0.2775)]      // 3.8416 / 13.8416
    [InlineData(10, 10, 0.7225, 1.0)]
    public void WilsonMatchesTheHandComputedInterval(int k, int n, double lower, double upper)
    {
        var (lo, hi) = RealRationaleChapters.Wilson(k, n);
        Assert.Equal(lower, lo, 4);
        Assert.Equal(upper, hi, 4);
    }

    [Fact]
    public void ThePairedDifferenceIsTheMeanWithAnIntervalAroundIt()
    {
        double[] d = [1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var e = RealRationaleChapters.PairedMeanDifference(d, 2000, seed: 3);
        Assert.Equal(0.15, e.Value, 12);
        Assert.True(e.Low < 0.15 && e.High > 0.15 && e.Low >= 0 && e.High <= 0.4, e.ToString());
        Assert.Equal(e, RealRationaleChapters.PairedMeanDifference(d, 2000, seed: 3));
        var all = RealRationaleChapters.PairedMeanDifference([0.5, 0.5, 0.5], 100, seed: 1);
        Assert.Equal((0.5, 0.5, 0.5), (all.Value, all.Low, all.High));
    }

    [Fact]
    public void ANarrowSourceShowsAHigherTop10ShareAndALowerEntropyThanABroadOne()
    {
        // 60 posts; the "model" names one of 2 values, people two of 30: at equal size (60 mentions) the model's top-10
        // share is 1 and people's ≈ 0.6 (10 of 30 equally used values, plus the luck of a 60-mention draw: above 1/3),
        // and the model's entropy (≈ ln 2 / ln 40) far below people's (≈ ln 30 / ln 40). The intervals must exclude 0.
        var model = Enumerable.Range(0, 60).Select(i => new[] { i % 2 }).ToArray();
        var human = Enumerable.Range(0, 60).Select(i => new[] { i % 30, (i + 7) % 30 }).ToArray();
        var (top, ent) = RealRationaleChapters.PairedDiversityDifference(model, human, 40, 500, seed: 2);
        Assert.True(top.Low > 0.25 && top.Value is > 0.3 and < 0.6, top.ToString());
        Assert.True(ent.High < -0.4, ent.ToString());
        // The same source against itself: differences centred on 0.
        var (same, sameH) = RealRationaleChapters.PairedDiversityDifference(human, human, 40, 500, seed: 2);
        Assert.True(same.Low <= 0 && same.High >= 0, same.ToString());
        Assert.True(sameH.Low <= 0 && sameH.High >= 0, sameH.ToString());
        Assert.Throws<ArgumentException>(() => RealRationaleChapters.PairedDiversityDifference(model, human[..10], 40));
    }
}
