using MoralGap.Judging;

namespace MoralGap.Tests.Judging;

/// <summary>
/// <see cref="PairedStatistics"/> against hand-computed cases: R7 percentile intervals, TOST from replicates, and the
/// paired bootstrap (a condition equal to the baseline, a condition shifted toward people by a constant).
/// </summary>
public class PairedStatisticsTests
{
    [Fact]
    public void Percentile_interval_uses_R7_quantiles()
    {
        // Sorted: 0, 1, 3, 6, 10 (n = 5); the NaN is left out. R7: h = (n − 1) q, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
        // level 0.9 → q = 0.05: h = 0.2 → 0 + 0.2·(1 − 0) = 0.2;  q = 0.95: h = 3.8 → 6 + 0.8·(10 − 6) = 9.2.
        double[] reps = [6, double.NaN, 0, 10, 3, 1];
        var (low, high) = PairedStatistics.PercentileInterval(reps, 0.9);
        Assert.Equal(0.2, low, 12);
        Assert.Equal(9.2, high, 12);
        // level 0.5 → q = 0.25: h = 1 → 1;  q = 0.75: h = 3 → 6 (exact order statistics).
        Assert.Equal((1.0, 6.0), PairedStatistics.PercentileInterval(reps, 0.5));
        // level 0.95 on 1..10 → q = 0.025: h = 0.225 → 1.225;  q = 0.975: h = 8.775 → 9.775 (numpy.percentile agrees).
        var (l10, h10) = PairedStatistics.PercentileInterval(Enumerable.Range(1, 10).Select(i => (double)i).Reverse().ToArray());
        Assert.Equal(1.225, l10, 12);
        Assert.Equal(9.775, h10, 12);
    }

    [Fact]
    public void Percentile_interval_of_nothing_is_NaN_and_bad_levels_are_refused()
    {
        var (low, high) = PairedStatistics.PercentileInterval([double.NaN, double.NaN]);
        Assert.True(double.IsNaN(low) && double.IsNaN(high));
        Assert.Equal((4.0, 4.0), PairedStatistics.PercentileInterval([4.0]));
        Assert.Throws<ArgumentNullException>(() => PairedStatistics.PercentileInterval(null!));
        foreach (var level in new[] { 0.0, 1.0, -0.5, 1.5, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.PercentileInterval([1.0, 2.0], level));
    }

    /// <summary>20 replicates −0.009, −0.008, …, 0.010 (k / 1000 for k = −9..10), shuffled.</summary>
    private static double[] TwentyReplicates() =>
        Enumerable.Range(-9, 20).Select(k => k / 1000.0).OrderBy(x => Math.Sin(x * 7919)).ToArray();

    [Fact]
    public void Tost_declares_equivalence_when_the_90_percent_interval_lies_inside_the_margin()
    {
        // 90% interval (R7, n = 20): q = 0.05 → h = 0.95 → −0.009 + 0.95·0.001 = −0.00805;
        //                            q = 0.95 → h = 18.05 → 0.009 + 0.05·0.001 = 0.00905.
        var t = PairedStatistics.Tost(TwentyReplicates(), margin: 0.05);
        Assert.Equal(-0.00805, t.Low, 12);
        Assert.Equal(0.00905, t.High, 12);
        Assert.Equal(0.05, t.Margin);
        Assert.Equal(0.0, t.P);      // no replicate reaches ±0.05
        Assert.True(t.Equivalent);
    }

    [Fact]
    public void Tost_p_value_is_the_larger_tail_share_and_a_wide_interval_is_not_equivalent()
    {
        // margin 0.005: replicates ≤ −0.005 are k = −9..−5 → 5/20 = 0.25; ≥ 0.005 are k = 5..10 → 6/20 = 0.30.
        var t = PairedStatistics.Tost(TwentyReplicates(), margin: 0.005);
        Assert.Equal(0.30, t.P, 15);
        Assert.False(t.Equivalent);
        Assert.Equal(-0.00805, t.Low, 12);   // the interval does not depend on the margin
        // Mirror the replicates: the lower tail is now the larger one (6/20).
        var mirrored = PairedStatistics.Tost(TwentyReplicates().Select(x => -x).ToArray(), margin: 0.005);
        Assert.Equal(0.30, mirrored.P, 15);
        // One-sided: everything above the margin → p = 1, not equivalent.
        var shifted = PairedStatistics.Tost(TwentyReplicates().Select(x => x + 0.1).ToArray(), margin: 0.05);
        Assert.Equal(1.0, shifted.P);
        Assert.False(shifted.Equivalent);
        // alpha 0.25 → the 50% interval: q = 0.25 → h = 4.75 → −0.005 + 0.75·0.001 = −0.00425; q = 0.75 → h = 14.25 → 0.00525.
        var narrow = PairedStatistics.Tost(TwentyReplicates(), margin: 0.006, alpha: 0.25);
        Assert.Equal(-0.00425, narrow.Low, 12);
        Assert.Equal(0.00525, narrow.High, 12);
        Assert.True(narrow.Equivalent);
    }

    [Fact]
    public void Tost_leaves_NaN_replicates_out_and_checks_its_arguments()
    {
        var withNaN = TwentyReplicates().Concat([double.NaN, double.NaN]).ToArray();
        Assert.Equal(PairedStatistics.Tost(TwentyReplicates(), 0.005), PairedStatistics.Tost(withNaN, 0.005));
        var none = PairedStatistics.Tost([double.NaN], 0.05);
        Assert.True(double.IsNaN(none.P));
        Assert.False(none.Equivalent);
        foreach (var m in new[] { 0.0, -0.05, double.NaN, double.PositiveInfinity })
            Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Tost([0.0, 0.01], m));
        foreach (var a in new[] { 0.0, 0.5, -0.1, double.NaN })
            Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Tost([0.0, 0.01], 0.05, a));
        Assert.Throws<ArgumentNullException>(() => PairedStatistics.Tost(null!, 0.05));
    }

    private static readonly double[] Human = [0.10, 0.20, 0.30, 0.40, 0.50, 0.30, 0.20, 0.10];
    // Baseline: human + g with g = 0.10, 0.30, 0.50, 0.20, 0.40, 0.10, 0.30, 0.50 (mean gap 2.4 / 8 = 0.30).
    private static readonly double[] Baseline = [0.20, 0.50, 0.80, 0.60, 0.90, 0.40, 0.50, 0.60];
    // Condition: the baseline moved 0.05 toward people on every dilemma (mean gap (2.4 − 8·0.05) / 8 = 0.25).
    private static readonly double[] Shifted = [0.15, 0.45, 0.75, 0.55, 0.85, 0.35, 0.45, 0.55];

    [Fact]
    public void A_condition_equal_to_the_baseline_differs_by_exactly_zero_in_every_replicate()
    {
        var c = PairedStatistics.Paired((double[])Baseline.Clone(), Baseline, Human, replicates: 500, seed: 3);
        Assert.Equal(8, c.Dilemmas);
        Assert.Equal(new Estimate(0, 0, 0), c.DeltaMeanAbsGap);
        Assert.Equal(new Estimate(0, 0, 0), c.DeltaR);
        Assert.Equal(new Estimate(0, 0, 0), c.RelativeReduction);
        Assert.True(c.TostR.Equivalent);
        Assert.True(c.TostGap.Equivalent);
        Assert.Equal(0.0, c.TostR.P);
        Assert.Equal(0.0, c.TostGap.P);
    }

    [Fact]
    public void A_constant_shift_toward_people_gives_a_paired_interval_collapsed_on_the_shift()
    {
        var c = PairedStatistics.Paired(Shifted, Baseline, Human, marginR: 0.05, marginGap: 0.02, replicates: 2000, seed: 11);

        // Δ mean |Δp| = 0.25 − 0.30 = −0.05 on the data AND on every resample (each dilemma's gap drops by 0.05).
        Assert.Equal(-0.05, c.DeltaMeanAbsGap.Value, 12);
        Assert.Equal(-0.05, c.DeltaMeanAbsGap.Low, 12);
        Assert.Equal(-0.05, c.DeltaMeanAbsGap.High, 12);
        // Relative reduction (gap_base − gap_cond) / gap_base = (0.30 − 0.25) / 0.30 = 1/6.
        Assert.Equal(1.0 / 6, c.RelativeReduction.Value, 12);
        Assert.True(c.RelativeReduction.Low < 1.0 / 6 && 1.0 / 6 < c.RelativeReduction.High);   // varies with the resampled mean gap
        // A constant shift does not change Pearson r: Δr = 0 on every resample.
        Assert.Equal(0.0, c.DeltaR.Value, 12);
        Assert.Equal(0.0, c.DeltaR.Low, 12);
        Assert.Equal(0.0, c.DeltaR.High, 12);
        Assert.True(c.TostR.Equivalent);
        Assert.False(c.TostGap.Equivalent);      // −0.05 is outside ±0.02
        Assert.Equal(1.0, c.TostGap.P);         // every replicate ≤ −0.02

        // Unpaired, each condition's mean |Δp| interval is wide (the dilemmas' gaps range 0.05–0.50) and the two
        // intervals overlap: comparing them side by side could not tell the conditions apart; the paired one can.
        var (gc, _) = PairedStatistics.GapAndCorrelation(Shifted, Human, 2000, 11);
        var (gb, _) = PairedStatistics.GapAndCorrelation(Baseline, Human, 2000, 11);
        Assert.Equal(0.25, gc.Value, 12);
        Assert.Equal(0.30, gb.Value, 12);
        Assert.True(gc.High - gc.Low > 0.1, $"condition interval {gc}");
        Assert.True(gb.High - gb.Low > 0.1, $"baseline interval {gb}");
        Assert.True(gc.High > gb.Low, $"{gc} and {gb} overlap");
        Assert.True(c.DeltaMeanAbsGap.High - c.DeltaMeanAbsGap.Low < 1e-12);
    }

    [Fact]
    public void Relative_reduction_is_the_gap_drop_over_the_baseline_gap()
    {
        double[] human = [0.2, 0.5, 0.8];
        double[] baseline = [0.6, 0.9, 0.4];   // gaps 0.4, 0.4, 0.4 → 0.4
        double[] better = [0.3, 0.4, 0.7];     // gaps 0.1, 0.1, 0.1 → 0.1: (0.4 − 0.1) / 0.4 = 0.75
        double[] worse = [0.8, 0.0, 0.2];      // gaps 0.6, 0.5, 0.6 → 1.7 / 3: (0.4 − 1.7/3) / 0.4 = −5/12
        var b = PairedStatistics.Paired(better, baseline, human, replicates: 200, seed: 1);
        Assert.Equal(0.75, b.RelativeReduction.Value, 12);
        Assert.Equal(-0.3, b.DeltaMeanAbsGap.Value, 12);
        var w = PairedStatistics.Paired(worse, baseline, human, replicates: 200, seed: 1);
        Assert.Equal(-5.0 / 12, w.RelativeReduction.Value, 12);
        Assert.Equal(1.7 / 3 - 0.4, w.DeltaMeanAbsGap.Value, 12);
        // A baseline that matches people exactly has no gap to reduce: NaN, not a division by zero.
        var none = PairedStatistics.Paired(better, human, human, replicates: 200, seed: 1);
        Assert.True(double.IsNaN(none.RelativeReduction.Value));
    }

    private static (double[] C, double[] B, double[] H) RandomCase(int n, int seed)
    {
        var rng = new Random(seed);
        var h = Enumerable.Range(0, n).Select(_ => rng.NextDouble()).ToArray();
        var b = h.Select(p => Math.Clamp(p + 0.3 * (rng.NextDouble() - 0.5), 0, 1)).ToArray();
        var c = h.Select(p => Math.Clamp(p + 0.2 * (rng.NextDouble() - 0.5), 0, 1)).ToArray();
        return (c, b, h);
    }

    [Fact]
    public void Same_seed_gives_the_same_numbers_and_another_seed_other_intervals()
    {
        var (c, b, h) = RandomCase(30, 5);
        var one = PairedStatistics.Paired(c, b, h, replicates: 400, seed: 7);
        var again = PairedStatistics.Paired(c, b, h, replicates: 400, seed: 7);
        var other = PairedStatistics.Paired(c, b, h, replicates: 400, seed: 8);
        Assert.Equal(one, again);
        Assert.Equal(one.DeltaMeanAbsGap.Value, other.DeltaMeanAbsGap.Value);   // the point estimate does not resample
        Assert.Equal(one.DeltaR.Value, other.DeltaR.Value);
        Assert.NotEqual(one.DeltaMeanAbsGap.Low, other.DeltaMeanAbsGap.Low);
        Assert.NotEqual(one.DeltaR.High, other.DeltaR.High);

        var g1 = PairedStatistics.GapAndCorrelation(c, h, 400, 7);
        Assert.Equal(g1, PairedStatistics.GapAndCorrelation(c, h, 400, 7));
        Assert.NotEqual(g1.MeanAbsGap.Low, PairedStatistics.GapAndCorrelation(c, h, 400, 8).MeanAbsGap.Low);
    }

    [Fact]
    public void Bad_arguments_say_what_is_wrong()
    {
        double[] h = [0.1, 0.5, 0.9];
        double[] ok = [0.2, 0.4, 0.8];
        Assert.Contains("2 model shares but 3 human shares", Assert.Throws<ArgumentException>(() => PairedStatistics.Paired([0.1, 0.2], ok, h)).Message);
        Assert.Throws<ArgumentException>(() => PairedStatistics.Paired(ok, [0.1, 0.2], h));
        Assert.Contains("at least 3 dilemmas", Assert.Throws<ArgumentException>(() => PairedStatistics.Paired([0.1, 0.2], [0.1, 0.2], [0.1, 0.2])).Message);
        Assert.Contains("model share 1.2", Assert.Throws<ArgumentException>(() => PairedStatistics.Paired([0.1, 1.2, 0.3], ok, h)).Message);
        Assert.Throws<ArgumentException>(() => PairedStatistics.Paired(ok, [0.1, double.NaN, 0.3], h));
        Assert.Contains("human share -0.1", Assert.Throws<ArgumentException>(() => PairedStatistics.Paired(ok, ok, [0.1, -0.1, 0.3])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Paired(ok, ok, h, replicates: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Paired(ok, ok, h, marginR: 0, replicates: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Paired(ok, ok, h, marginGap: -1, replicates: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.Paired(ok, ok, h, replicates: 10, level: 1));
        Assert.Throws<ArgumentNullException>(() => PairedStatistics.Paired(null!, ok, h));
        Assert.Throws<ArgumentException>(() => PairedStatistics.GapAndCorrelation([0.1, 0.2, 0.3, 0.4], h));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedStatistics.GapAndCorrelation(ok, h, replicates: 0));
    }
}
