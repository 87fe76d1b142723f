using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class DiversityTests
{
    [Fact]
    public void Known_values()
    {
        int[] counts = [5, 3, 2, 0];
        Assert.Equal([0.5, 0.3, 0.2, 0.0], Diversity.Distribution(counts));
        Assert.Equal(0.5, Diversity.TopKShare(counts, 1), 15);
        Assert.Equal(0.8, Diversity.TopKShare(counts, 2), 15);
        Assert.Equal(1.0, Diversity.TopKShare(counts), 15); // k = 10 ≥ K
        Assert.Equal(1.0296530140645737, Diversity.Entropy(counts), 14);             // scipy.stats.entropy
        Assert.Equal(0.7427376486136673, Diversity.NormalizedEntropy(counts), 14);   // K = 4 = counts.Length
        Assert.Equal(1.0296530140645737 / Math.Log(59), Diversity.NormalizedEntropy(counts, taxonomySize: 59), 14);
        Assert.Equal(1.0, Diversity.NormalizedEntropy(Enumerable.Repeat(7, 59).ToArray()), 14);
        Assert.Equal(0.0, Diversity.NormalizedEntropy([0, 9, 0]), 14);
        var s = Diversity.Summarize(counts, k: 2);
        Assert.Equal((10, 3, 4, 2), (s.Mentions, s.ValuesUsed, s.TaxonomySize, s.K));
        Assert.Contains("80.0", s.ToString());
    }

    [Fact]
    public void Counts_from_labels_follow_the_value_list_and_reject_unknown_labels()
    {
        string[] values = ["Honesty", "Loyalty", "Fairness"];
        Assert.Equal([1, 0, 2], Diversity.Counts(["Fairness", "Honesty", "Fairness"], values));
        var ex = Assert.Throws<ArgumentException>(() => Diversity.Counts(["Honesty", "Courage"], values));
        Assert.Contains("#1 'Courage'", ex.Message);
        Assert.Equal([0, 2, 1], Diversity.Counts([1, 2, 1], 3));
        Assert.Throws<ArgumentException>(() => Diversity.Counts([3], 3));
        Assert.Throws<ArgumentException>(() => Diversity.TopKShare([0, 0]));
        Assert.Throws<ArgumentException>(() => Diversity.TopKShare([1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Diversity.NormalizedEntropy([1, 1, 1], taxonomySize: 2));
    }

    /// <summary>Rationales from a known Zipf-like value distribution over 59 values, 1–3 mentions each.</summary>
    private static (int[][] Rationales, double[] Truth) Planted(int rationales, int seed)
    {
        var weights = Enumerable.Range(1, 59).Select(r => 1 / Math.Pow(r, 1.1)).ToArray();
        double total = weights.Sum();
        var truth = weights.Select(w => w / total).ToArray();
        var rng = new Random(seed);
        int Draw() { double u = rng.NextDouble(), acc = 0; for (int v = 0; v < 59; v++) { acc += truth[v]; if (u < acc) return v; } return 58; }
        return (Enumerable.Range(0, rationales).Select(_ => Enumerable.Range(0, rng.Next(1, 4)).Select(_ => Draw()).ToArray()).ToArray(), truth);
    }

    [Fact]
    public void Bootstrap_intervals_are_seeded_cover_the_truth_and_shrink_with_data()
    {
        var (small, truth) = Planted(300, 1);
        var (large, _) = Planted(5000, 2);
        double trueTop10 = truth.OrderDescending().Take(10).Sum();
        double trueEntropy = -truth.Sum(p => p * Math.Log(p)) / Math.Log(59);

        var a = Diversity.TopKShareInterval(small, 59, seed: 5);
        Assert.Equal(a, Diversity.TopKShareInterval(small, 59, seed: 5));
        Assert.NotEqual(a.Lower, Diversity.TopKShareInterval(small, 59, seed: 6).Lower);
        Assert.True(a.Lower <= a.Estimate && a.Estimate <= a.Upper, a.ToString());

        var b = Diversity.TopKShareInterval(large, 59, seed: 5);
        Assert.True(b.Lower < trueTop10 && trueTop10 < b.Upper, $"{b} vs truth {trueTop10}");
        Assert.True(b.Upper - b.Lower < (a.Upper - a.Lower) / 2, $"{b} should be much narrower than {a}");
        var h = Diversity.NormalizedEntropyInterval(large, 59, seed: 5);
        // The plug-in entropy is biased low by about (K−1)/(2N ln K) — far smaller than the CI here.
        Assert.True(h.Lower < trueEntropy && trueEntropy < h.Upper, $"{h} vs truth {trueEntropy}");

        // Resampling mentions instead of rationales: one mention per unit.
        var mentions = large.SelectMany(r => r).Select(v => new[] { v }).ToArray();
        var c = Diversity.TopKShareInterval(mentions, 59, seed: 5);
        Assert.Equal(b.Estimate, c.Estimate, 15);
    }

    [Fact]
    public void On_a_hundred_rationales_the_basic_interval_covers_the_entropy_and_the_percentile_one_does_not()
    {
        // A Zipf-like population over 59 values; 100 rationales of 1–3 mentions each, 120 independent samples.
        const int K = 59;
        var p = Enumerable.Range(1, K).Select(i => 1.0 / Math.Pow(i, 0.8)).ToArray();
        var total = p.Sum();
        p = p.Select(x => x / total).ToArray();
        double trueEntropy = -p.Sum(x => x * Math.Log(x)) / Math.Log(K);
        double trueTop10 = p.OrderDescending().Take(10).Sum();
        var rng = new Random(42);
        int Draw() { var u = rng.NextDouble(); for (var i = 0; i < K; i++) { if (u < p[i]) return i; u -= p[i]; } return K - 1; }
        int basicH = 0, percentileH = 0, basicTop = 0, trials = 120;
        for (var t = 0; t < trials; t++)
        {
            var sample = Enumerable.Range(0, 100).Select(_ => Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => Draw()).ToArray()).ToArray();
            bool Covers(BootstrapInterval ci, double truth) => ci.Lower <= truth && truth <= ci.Upper;
            if (Covers(Diversity.NormalizedEntropyInterval(sample, K, 300, seed: t), trueEntropy)) basicH++;
            if (Covers(Diversity.NormalizedEntropyInterval(sample, K, 300, seed: t, method: BootstrapMethod.Percentile), trueEntropy)) percentileH++;
            if (Covers(Diversity.TopKShareInterval(sample, K, 10, 300, seed: t), trueTop10)) basicTop++;
        }
        // Nominal 95 %. The plug-in entropy is biased low by more than its spread at this size, and its replicates are
        // biased again, so the percentile interval misses almost always; the basic interval reflects the bias away.
        Assert.InRange(basicH / (double)trials, 0.80, 1.0);
        Assert.InRange(basicTop / (double)trials, 0.80, 1.0);
        Assert.InRange(percentileH / (double)trials, 0.0, 0.2);
    }

    [Fact]
    public void Miller_Madow_adds_observed_values_minus_one_over_twice_the_mentions()
    {
        int[] counts = [5, 3, 2, 0];
        // Plug-in 1.0296530140645737 nats (scipy.stats.entropy) + (3 observed − 1) / (2 · 10) = + 0.1.
        Assert.Equal(1.1296530140645737, Diversity.MillerMadowEntropy(counts), 14);
        Assert.Equal(1.1296530140645737 / Math.Log(4), Diversity.CorrectedNormalizedEntropy(counts), 14);
        Assert.Equal(0.0, Diversity.MillerMadowEntropy([0, 9, 0]), 15);                  // one value: no correction
        Assert.Equal(1.0, Diversity.CorrectedNormalizedEntropy([1, 1, 1, 1]), 15);        // ln 4 + 3/8 > ln 4: clamped
        Assert.Equal(Diversity.CorrectedNormalizedEntropy(counts), Diversity.Summarize(counts, k: 2).NormalizedEntropy, 15);
    }

    [Fact]
    public void Rarefying_a_source_to_its_own_size_returns_the_raw_value_exactly()
    {
        int[] counts = [7, 4, 4, 2, 1, 1, 0, 1];
        var top = Diversity.Rarefied(counts, counts.Sum(), c => Diversity.TopKShare(c, 3), repeats: 50, seed: 3);
        Assert.Equal((Diversity.TopKShare(counts, 3), Diversity.TopKShare(counts, 3), Diversity.TopKShare(counts, 3), 20, 1),
            (top.Mean, top.Lower, top.Upper, top.Mentions, top.Repeats));
        Assert.Equal(15.0 / 20, top.Mean, 15);
        var h = Diversity.Rarefied(counts, 20, c => Diversity.CorrectedNormalizedEntropy(c), repeats: 50, seed: 3);
        Assert.Equal(Diversity.CorrectedNormalizedEntropy(counts), h.Mean);
        Assert.Throws<ArgumentOutOfRangeException>(() => Diversity.Rarefied(counts, 21, c => 0, 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => Diversity.Rarefied(counts, 0, c => 0, 50));
    }

    [Fact]
    public void Rarefaction_is_seeded_draws_n_mentions_without_replacement_and_lowers_entropy()
    {
        int[] counts = [40, 20, 10, 10, 5, 5, 5, 5];
        var seen = new List<int>();
        var a = Diversity.Rarefied(counts, 12, c => { seen.Add(c.Sum()); Assert.All(c.Zip(counts), p => Assert.InRange(p.First, 0, p.Second)); return Diversity.TopKShare(c, 2); }, 200, seed: 9);
        Assert.All(seen, t => Assert.Equal(12, t));
        Assert.Equal(a, Diversity.Rarefied(counts, 12, c => Diversity.TopKShare(c, 2), 200, seed: 9));
        Assert.NotEqual(a.Mean, Diversity.Rarefied(counts, 12, c => Diversity.TopKShare(c, 2), 200, seed: 10).Mean);
        Assert.True(a.Lower <= a.Mean && a.Mean <= a.Upper, a.ToString());
        Assert.Equal((12, 200), (a.Mentions, a.Repeats));
        // At 12 of 100 mentions the plug-in entropy is well below the full sample's (fewer values seen).
        var small = Diversity.Rarefied(counts, 12, c => Diversity.NormalizedEntropy(c), 200, seed: 9);
        Assert.True(small.Mean < Diversity.NormalizedEntropy(counts), $"{small} vs {Diversity.NormalizedEntropy(counts)}");
    }

    [Fact]
    public void On_a_small_skewed_sample_the_corrected_entropy_lies_inside_its_interval()
    {
        // 60 rationales of 1–3 mentions from a Zipf-like population over 59 values: the plug-in replicates fall below the
        // plug-in estimate, so the basic interval sits above it; the Miller–Madow estimate lies inside the same interval.
        const int K = 59;
        var p = Enumerable.Range(1, K).Select(i => 1.0 / Math.Pow(i, 0.8)).ToArray();
        var total = p.Sum();
        var rng = new Random(42);
        int Draw() { var u = rng.NextDouble() * total; for (var i = 0; i < K; i++) { if (u < p[i]) return i; u -= p[i]; } return K - 1; }
        int plugInOutside = 0, correctedInside = 0, trials = 20;
        for (var t = 0; t < trials; t++)
        {
            var sample = Enumerable.Range(0, 60).Select(_ => Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => Draw()).ToArray()).ToArray();
            var plugIn = Diversity.Bootstrap(sample, K, c => Diversity.NormalizedEntropy(c, K), 300, seed: t, method: BootstrapMethod.Basic);
            var corrected = Diversity.NormalizedEntropyInterval(sample, K, 300, seed: t);
            Assert.Equal((plugIn.Lower, plugIn.Upper), (corrected.Lower, corrected.Upper));
            if (plugIn.Estimate < plugIn.Lower) plugInOutside++;
            if (corrected.Lower <= corrected.Estimate && corrected.Estimate <= corrected.Upper) correctedInside++;
        }
        Assert.True(plugInOutside >= trials / 2, $"plug-in estimate below its interval in {plugInOutside} of {trials}");
        Assert.Equal(trials, correctedInside);
    }
}
