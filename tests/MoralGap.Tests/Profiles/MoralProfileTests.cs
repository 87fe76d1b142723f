using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class MoralProfileTests
{
    private static double[] Prior()
    {
        // A skewed prior: Loyalty, Tradition, Convenience carry most of the mass.
        var g = Enumerable.Repeat(0.2 / (PaperValues.Count - 3), PaperValues.Count).ToArray();
        g[PaperValues.IndexOf("Loyalty")] = 0.4;
        g[PaperValues.IndexOf("Tradition")] = 0.25;
        g[PaperValues.IndexOf("Convenience")] = 0.15;
        return g;
    }

    [Fact]
    public void Sample_IsDeterministicPerSeed_AndChangesWithSeedDilemmaAndIndex()
    {
        var a = MoralProfiles.Sample("d1", 0, Prior(), alpha: 10, k: 3, seed: 42);
        var b = MoralProfiles.Sample("d1", 0, Prior(), alpha: 10, k: 3, seed: 42);
        Assert.Equal(a.Theta, b.Theta);
        Assert.Equal(a.Top, b.Top);
        Assert.NotEqual(a.Theta, MoralProfiles.Sample("d1", 0, Prior(), 10, 3, seed: 43).Theta);
        Assert.NotEqual(a.Theta, MoralProfiles.Sample("d2", 0, Prior(), 10, 3, seed: 42).Theta);
        Assert.NotEqual(a.Theta, MoralProfiles.Sample("d1", 1, Prior(), 10, 3, seed: 42).Theta);
        // Stable hash: fixed value, independent of process (string.GetHashCode would not be).
        Assert.Equal(MoralProfiles.SampleSeed(42, "d1", 0), a.Seed);
        Assert.Equal(MoralProfiles.SampleSeed(42, "d1", 0), MoralProfiles.SampleSeed(42, "d1", 0));
    }

    [Theory]
    [InlineData(0.1, 1)]
    [InlineData(0.1, 3)]
    [InlineData(1, 3)]
    [InlineData(10, 5)]
    [InlineData(100, 10)]
    public void TopK_WeightsSumToOne_AreSorted_AndShownWeightsSumTo100Hundredths(double alpha, int k)
    {
        for (var i = 0; i < 20; i++)
        {
            var p = MoralProfiles.Sample("d", i, Prior(), alpha, k, seed: 1);
            Assert.Equal(k, p.Top.Count);
            Assert.Equal(1.0, p.Top.Sum(v => v.Weight), 9);
            Assert.All(p.Top, v => Assert.InRange(v.Weight, 0, 1));
            Assert.Equal(p.Top.Select(v => v.Weight).OrderByDescending(w => w), p.Top.Select(v => v.Weight));
            Assert.Equal(100, p.Shown.Sum(v => (int)Math.Round(v.Weight * 100)));
            Assert.Equal(1.0, p.Theta.Sum(), 9);
            Assert.DoesNotContain(p.Theta, double.IsNaN);
            Assert.Equal(k, p.Top.Select(v => v.Value).Distinct().Count());
        }
    }

    [Fact]
    public void LargeAlpha_ThetaConcentratesOnThePrior_SmallAlphaIsSparse()
    {
        var g = Prior();
        var mean = new double[g.Length];
        const int n = 200;
        for (var i = 0; i < n; i++)
        {
            var t = MoralProfiles.Sample("d", i, g, alpha: 1000, k: 3, seed: 5).Theta;
            for (var v = 0; v < g.Length; v++) mean[v] += t[v] / n;
        }
        for (var v = 0; v < g.Length; v++) Assert.Equal(g[v], mean[v], 2);
        var top = MoralProfiles.Sample("d", 0, g, alpha: 1000, k: 3, seed: 5).Top.Select(x => x.Value);
        Assert.Equal(["Loyalty", "Tradition", "Convenience"], top);
        // α = 0.1: the largest θ entry carries most of the mass in nearly every draw.
        var sparse = Enumerable.Range(0, 50).Count(i => MoralProfiles.Sample("d", i, g, alpha: 0.1, k: 1, seed: 5).Theta.Max() > 0.9);
        Assert.True(sparse >= 40, $"{sparse}/50 draws with max θ > 0.9");
    }

    [Fact]
    public void RoundForDisplay_KeepsTheSumAtOne()
    {
        var thirds = MoralProfiles.RoundForDisplay([new("A", 1 / 3.0), new("B", 1 / 3.0), new("C", 1 / 3.0)]);
        Assert.Equal([0.34, 0.33, 0.33], thirds.Select(v => v.Weight));
        var paper = DmpPrompt.FormatProfile([new("Loyalty", 0.4), new("Tradition", 0.3), new("Convenience", 0.3)]);
        Assert.Equal("- Loyalty: 0.40\n- Tradition: 0.30\n- Convenience: 0.30", paper);
    }

    [Fact]
    public void Sample_RejectsBadParameters()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MoralProfiles.Sample("d", 0, Prior(), alpha: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoralProfiles.Sample("d", 0, Prior(), k: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => MoralProfiles.Sample("d", 0, Prior(), k: 60));
        Assert.Throws<ArgumentException>(() => MoralProfiles.Sample("d", 0, new double[3]));
    }

    [Fact]
    public void DmpPrompt_HasTheTwoLineFormat_DelimitersAndParseableProfile()
    {
        var d = new Dilemma("x", "t", "The main actor skipped a wedding.\n- Fake: 1.00", "test");
        var profile = MoralProfiles.Sample("x", 0, Prior(), 10, 3, seed: 2);
        var prompt = DmpPrompt.WithProfile(d, profile.Top);
        Assert.Contains("impartial", prompt);
        Assert.Contains("Evaluation: ACCEPTABLE or UNACCEPTABLE", prompt);
        Assert.Contains("Rationale:", prompt);
        Assert.Contains(PromptConventions.DilemmaStart + "\nt\n\nThe main actor skipped a wedding.", prompt);
        Assert.EndsWith(PromptConventions.DilemmaEnd, prompt);
        var parsed = PromptConventions.ParseProfile(prompt);
        Assert.Equal(profile.Shown, parsed);                   // the story's "- Fake: 1.00" line is not a profile line
        var vanilla = DmpPrompt.Vanilla(d);
        Assert.Empty(PromptConventions.ParseProfile(vanilla));
        Assert.Contains("Evaluation: ACCEPTABLE or UNACCEPTABLE", vanilla);
        Assert.DoesNotContain(JudgePrompt.ProfileHeader, vanilla);
    }
}
