using MoralGap.Data;

namespace MoralGap.Tests.Data;

public class VerdictDistributionTests
{
    private static Judgment J(string d, string a, Verdict? v, int i = 0) => new(d, a, v?.ToString() ?? "INFO", v, "", i);

    [Fact]
    public void CountsShareAndConsensusFollowTheDefinitions()
    {
        var js = new[]
        {
            J("d1", "human", Verdict.Unacceptable), J("d1", "human", Verdict.Unacceptable), J("d1", "human", Verdict.Acceptable),
            J("d1", "human", null), J("d1", "gpt", Verdict.Acceptable), J("d2", "human", Verdict.Acceptable),
        };
        var all = VerdictDistribution.FromJudgments(js);
        Assert.Equal([("d1", "human"), ("d1", "gpt"), ("d2", "human")], all.Select(d => (d.DilemmaId, d.Author)));
        var d1 = all[0];
        Assert.Equal((1, 2, 1, 3), (d1.Acceptable, d1.Unacceptable, d1.NoVerdict, d1.N));
        Assert.Equal(2.0 / 3, d1.P, 12);
        Assert.Equal(2.0 / 3, d1.Consensus, 12);
        Assert.Equal(Verdict.Unacceptable, d1.Majority);
        Assert.Equal(1.0, all[2].Consensus);
        Assert.Equal(0.0, all[2].P);
        Assert.Equal(2, VerdictDistribution.FromJudgments(js, "human").Count);
        Assert.True(double.IsNaN(new VerdictDistribution("x", "h", 0, 0).Consensus));
        Assert.Null(new VerdictDistribution("x", "h", 3, 3).Majority);
    }

    [Theory]
    [InlineData(0.5, 0)]
    [InlineData(0.59999, 0)]
    [InlineData(0.6, 1)]
    [InlineData(0.7, 2)]
    [InlineData(0.8, 3)]
    [InlineData(0.9, 4)]
    [InlineData(0.96875, 4)]
    [InlineData(1.0, 4)]
    public void ConsensusBinsRunFromHalfToOneWithTheLastClosed(double c, int bin) => Assert.Equal(bin, ConsensusBins.IndexOf(c));

    [Fact]
    public void EdgeBinsFollowTheWidthFormulaOnEveryShareOfUpTo64Votes()
    {
        foreach (var width in new[] { 0.1, 0.25, 0.05, 0.15 })
        {
            var edges = ConsensusBins.Edges(width);
            Assert.Equal(ConsensusBins.Count(width) + 1, edges.Length);
            Assert.Equal(1.0, edges[^1]);
            for (var n = 1; n <= 64; n++)
                for (var k = 0; k <= n; k++)
                {
                    var c = Math.Max((double)k / n, 1 - (double)k / n);
                    // the width rule as documented: floor((c − 0.5) / width), the last bin closed
                    var byFormula = Math.Min((int)Math.Floor((c - 0.5) / width + 1e-9), ConsensusBins.Count(width) - 1);
                    Assert.Equal(byFormula, ConsensusBins.IndexOf(c, edges));
                    Assert.Equal(byFormula, ConsensusBins.IndexOf(c, width));
                }
        }
        Assert.Equal(1, ConsensusBins.IndexOf(0.5 + 0.1, ConsensusBins.Edges()));   // 0.6 by rounding, not 0.59999…
        Assert.Equal(-1, ConsensusBins.IndexOf(0.45, [0.5, 1.0]));
        Assert.Equal(-1, ConsensusBins.IndexOf(double.NaN, [0.5, 1.0]));
        Assert.Equal(1, ConsensusBins.IndexOf(1.0, [0.5, 0.99, 1.0]));               // the last bin is closed
        Assert.Equal(["[0.5,0.75)", "[0.75,1.0]"], ConsensusBins.Labels([0.5, 0.75, 1.0]));
        Assert.Contains("edge 2", Assert.Throws<ArgumentException>(() => ConsensusBins.IndexOf(0.7, [0.5, 0.8, 0.8, 1.0])).Message);
        Assert.Throws<ArgumentException>(() => ConsensusBins.IndexOf(0.7, [0.5]));
    }

    [Fact]
    public void BinWidthIsAParameter()
    {
        Assert.Equal(5, ConsensusBins.Count());
        Assert.Equal(["[0.5,0.6)", "[0.6,0.7)", "[0.7,0.8)", "[0.8,0.9)", "[0.9,1.0]"], ConsensusBins.Labels());
        Assert.Equal(2, ConsensusBins.Count(0.25));
        Assert.Equal(1, ConsensusBins.IndexOf(0.75, 0.25));
        Assert.Equal(10, ConsensusBins.Count(0.05));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsensusBins.IndexOf(0.4));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConsensusBins.Count(0));
    }

    [Fact]
    public void EveryCountOutOf32LandsInTheExpectedBin()
    {
        // With 32 judgments, consensus k/32 for k = 16..32: bins hold k = 16–19, 20–22, 23–25, 26–28, 29–32.
        var bins = Enumerable.Range(16, 17).Select(k => new VerdictDistribution("d", "h", 32 - k, k).Bin()).ToArray();
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4], bins);
        var hist = ConsensusBins.Histogram(Enumerable.Range(0, 33).Select(k => new VerdictDistribution("d", "h", 32 - k, k)));
        Assert.Equal(33, hist.Sum());
    }
}
