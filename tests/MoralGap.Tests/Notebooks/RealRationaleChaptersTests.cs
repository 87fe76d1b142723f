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
}
