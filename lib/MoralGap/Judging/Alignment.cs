using System.Globalization;
using MathNet.Numerics.Statistics;
using MoralGap.Data;

namespace MoralGap.Judging;

/// <summary>
/// What a gap metric does with a dilemma whose model p is NaN — no answer of the model for it could be parsed
/// (refusals, unparseable or failed calls), so the model has no share of UNACCEPTABLE there.
/// </summary>
public enum MissingModelP
{
    /// <summary>Throw an <see cref="ArgumentException"/> naming the first such dilemma (the default: nothing is left out unasked).</summary>
    Throw,
    /// <summary>Leave such dilemmas out of the mean and count them in the result's <c>Skipped</c>, so the reader sees how many.</summary>
    Skip,
}

/// <summary>The mean gap over dilemmas, with how many dilemmas it covers and how many were skipped.</summary>
/// <param name="MeanAbsoluteGap">Mean |p_model − p_human| over the dilemmas used (NaN when none).</param>
/// <param name="Dilemmas">Dilemmas used (model and human p both known).</param>
/// <param name="Skipped">Dilemmas left out because the model p is NaN (<see cref="MissingModelP.Skip"/>).</param>
public sealed record MeanGap(double MeanAbsoluteGap, int Dilemmas, int Skipped)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"mean |Δp| = {MeanAbsoluteGap:0.000} over {Dilemmas} dilemmas") + (Skipped > 0 ? $" ({Skipped} without a model p skipped)" : "");
}

/// <summary>Mean |p_model − p_human| over the dilemmas of one consensus bin, with a bootstrap CI.</summary>
/// <param name="Lower">Bin's lower consensus edge (inclusive).</param>
/// <param name="Upper">Bin's upper edge (exclusive, except the last bin, which includes 1.0).</param>
/// <param name="Dilemmas">Dilemmas in the bin that have a model p.</param>
/// <param name="MeanAbsoluteGap">Mean |Δp| (NaN when the bin is empty).</param>
/// <param name="CiLower">Lower end of the percentile bootstrap CI over dilemmas (NaN when empty).</param>
/// <param name="CiUpper">Upper end (NaN when empty).</param>
/// <param name="Skipped">Dilemmas of this bin (by human consensus) left out because their model p is NaN (<see cref="MissingModelP.Skip"/>).</param>
/// <param name="IsLast">True for the last bin, which is closed at <paramref name="Upper"/>.</param>
public sealed record ConsensusBinGap(double Lower, double Upper, int Dilemmas, double MeanAbsoluteGap, double CiLower, double CiUpper,
    int Skipped = 0, bool IsLast = false)
{
    /// <summary>A label such as <c>[0.5,0.6)</c>, or <c>[0.9,1.0]</c> for the last bin (<see cref="ConsensusBins.Label"/>).</summary>
    public string Label => ConsensusBins.Label(Lower, Upper, IsLast);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"consensus {Label}: n = {Dilemmas}, mean |Δp| = {MeanAbsoluteGap:0.000} [{CiLower:0.000}, {CiUpper:0.000}]") +
        (Skipped > 0 ? $", {Skipped} without a model p skipped" : "");
}

/// <summary>
/// Human–model alignment on binary verdicts (paper §"Finding 1"): per dilemma p = share of UNACCEPTABLE among the
/// 32 human judgments and among the model's samples; the gap is |p_model − p_human| and is analysed against the
/// human consensus max(p, 1 − p).
/// </summary>
public static class Alignment
{
    /// <summary>Consensus of a dilemma, max(p, 1 − p) ∈ [0.5, 1] (paper's definition).</summary>
    public static double Consensus(double p) { CheckProbability(p, nameof(p)); return Math.Max(p, 1 - p); }

    /// <summary>Absolute gap |p_model − p_human| of one dilemma.</summary>
    public static double AbsoluteGap(double pModel, double pHuman)
    {
        CheckProbability(pModel, nameof(pModel)); CheckProbability(pHuman, nameof(pHuman));
        return Math.Abs(pModel - pHuman);
    }

    /// <summary>|p_model − p_human| per dilemma.</summary>
    public static double[] AbsoluteGaps(double[] pModel, double[] pHuman)
    {
        CheckPaired(pModel, pHuman);
        return pModel.Select((p, i) => AbsoluteGap(p, pHuman[i])).ToArray();
    }

    /// <summary>
    /// Jensen–Shannon distance between Bernoulli(p) and Bernoulli(q): the square root of the JS divergence with
    /// base-2 logarithms, JSD = ½ KL(P‖M) + ½ KL(Q‖M), M = (P + Q)/2; it lies in [0, 1] and is a metric
    /// (Endres &amp; Schindelin 2003). Same as scipy.spatial.distance.jensenshannon([p, 1−p], [q, 1−q], base=2).
    /// </summary>
    public static double JensenShannonDistance(double p, double q)
    {
        CheckProbability(p, nameof(p)); CheckProbability(q, nameof(q));
        double m = (p + q) / 2;
        double js = 0.5 * (Kl(p, m) + Kl(1 - p, 1 - m) + Kl(q, m) + Kl(1 - q, 1 - m));
        return Math.Sqrt(Math.Max(0, js));
        static double Kl(double a, double b) => a > 0 ? a * Math.Log2(a / b) : 0;
    }

    /// <summary>Jensen–Shannon distance (base 2) per dilemma.</summary>
    public static double[] JensenShannonDistances(double[] pModel, double[] pHuman)
    {
        CheckPaired(pModel, pHuman);
        return pModel.Select((p, i) => JensenShannonDistance(p, pHuman[i])).ToArray();
    }

    /// <summary>Pearson correlation r between model and human p over dilemmas (MathNet Correlation.Pearson).</summary>
    public static double PearsonR(double[] pModel, double[] pHuman)
    {
        CheckPaired(pModel, pHuman);
        if (pModel.Length < 3) throw new ArgumentException($"Pearson r needs at least 3 dilemmas, got {pModel.Length}.", nameof(pModel));
        return Correlation.Pearson(pModel, pHuman);
    }

    /// <summary>
    /// The council of models for one dilemma: samples pooled across models,
    /// p_council = Σ_m unacceptable_m / Σ_m samples_m (models with more samples weigh more).
    /// </summary>
    public static double Council(int[] unacceptableByModel, int[] samplesByModel)
    {
        ArgumentNullException.ThrowIfNull(unacceptableByModel); ArgumentNullException.ThrowIfNull(samplesByModel);
        if (unacceptableByModel.Length != samplesByModel.Length)
            throw new ArgumentException($"{unacceptableByModel.Length} unacceptable counts but {samplesByModel.Length} sample counts.", nameof(samplesByModel));
        long u = 0, s = 0;
        for (int m = 0; m < samplesByModel.Length; m++)
        {
            if (samplesByModel[m] < 0 || unacceptableByModel[m] < 0 || unacceptableByModel[m] > samplesByModel[m])
                throw new ArgumentException($"Model {m}: {unacceptableByModel[m]} unacceptable of {samplesByModel[m]} samples is impossible.", nameof(unacceptableByModel));
            u += unacceptableByModel[m]; s += samplesByModel[m];
        }
        if (s == 0) throw new ArgumentException("No samples from any model.", nameof(samplesByModel));
        return (double)u / s;
    }

    /// <summary>Council p per dilemma; arrays are [model][dilemma].</summary>
    public static double[] Council(int[][] unacceptable, int[][] samples)
    {
        ArgumentNullException.ThrowIfNull(unacceptable); ArgumentNullException.ThrowIfNull(samples);
        if (unacceptable.Length != samples.Length || unacceptable.Length == 0)
            throw new ArgumentException($"Need the same, non-zero number of models in both arrays ({unacceptable.Length} vs {samples.Length}).", nameof(samples));
        int d = unacceptable[0].Length;
        for (int m = 0; m < unacceptable.Length; m++)
            if (unacceptable[m].Length != d || samples[m].Length != d)
                throw new ArgumentException($"Model {m} has {unacceptable[m].Length}/{samples[m].Length} dilemmas, model 0 has {d}.", nameof(samples));
        return Enumerable.Range(0, d).Select(i => Council(unacceptable.Select(u => u[i]).ToArray(), samples.Select(s => s[i]).ToArray())).ToArray();
    }

    /// <summary>Default consensus bins: [0.5, 0.6), [0.6, 0.7), [0.7, 0.8), [0.8, 0.9), [0.9, 1.0] (<see cref="ConsensusBins.Edges"/>).</summary>
    public static IReadOnlyList<double> DefaultBinEdges { get; } = ConsensusBins.Edges();

    /// <summary>
    /// The paper's gap: mean |p_model − p_human| over dilemmas (Russo et al. 2025, §4: 22 percentage points before DMP).
    /// </summary>
    /// <param name="pModel">Model share of UNACCEPTABLE per dilemma; NaN where none of the model's answers parsed.</param>
    /// <param name="pHuman">Human share of UNACCEPTABLE per dilemma (must be in [0, 1]).</param>
    /// <param name="missing">What to do with a NaN model p: throw (default) or skip and count it in <see cref="MeanGap.Skipped"/>.</param>
    public static MeanGap MeanAbsoluteGap(double[] pModel, double[] pHuman, MissingModelP missing = MissingModelP.Throw)
    {
        var used = Usable(pModel, pHuman, missing);
        var n = used.Count(u => u);
        double s = 0;
        for (int i = 0; i < used.Length; i++) if (used[i]) s += Math.Abs(pModel[i] - pHuman[i]);
        return new MeanGap(n == 0 ? double.NaN : s / n, n, used.Length - n);
    }

    /// <summary>
    /// Mean |p_model − p_human| per bin of human consensus max(p_human, 1 − p_human), with percentile bootstrap
    /// CIs that resample dilemmas within the bin (System.Random(seed)). Bins follow <see cref="ConsensusBins.IndexOf(double, IReadOnlyList{double})"/>.
    /// </summary>
    /// <param name="pModel">Model share of UNACCEPTABLE per dilemma; NaN where none of the model's answers parsed.</param>
    /// <param name="pHuman">Human share of UNACCEPTABLE per dilemma (defines the consensus).</param>
    /// <param name="binEdges">Increasing edges from 0.5 to 1.0 (default <see cref="DefaultBinEdges"/>); the last bin includes 1.0.</param>
    /// <param name="replicates">Bootstrap replicates per bin.</param>
    /// <param name="level">Confidence level.</param>
    /// <param name="seed">Seed of the System.Random that draws the resamples.</param>
    /// <param name="missing">What to do with a NaN model p: throw (default) or skip it and count it in its bin's <see cref="ConsensusBinGap.Skipped"/>.</param>
    public static ConsensusBinGap[] GapByConsensus(double[] pModel, double[] pHuman, IReadOnlyList<double>? binEdges = null,
        int replicates = 2000, double level = 0.95, int seed = 0, MissingModelP missing = MissingModelP.Throw)
    {
        var used = Usable(pModel, pHuman, missing);
        var edges = binEdges ?? DefaultBinEdges;
        ConsensusBins.CheckEdges(edges, nameof(binEdges));
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "Need at least 2 replicates.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must lie in (0, 1).");
        var bin = pHuman.Select(p => ConsensusBins.IndexOf(Consensus(p), edges)).ToArray();
        var rng = new Random(seed);
        var result = new ConsensusBinGap[edges.Count - 1];
        for (int b = 0; b < result.Length; b++)
        {
            double lo = edges[b], hi = edges[b + 1];
            bool last = b == result.Length - 1;
            var inBin = Enumerable.Range(0, used.Length).Where(i => bin[i] == b && used[i]).Select(i => Math.Abs(pModel[i] - pHuman[i])).ToArray();
            var skipped = Enumerable.Range(0, used.Length).Count(i => bin[i] == b && !used[i]);
            if (inBin.Length == 0) { result[b] = new ConsensusBinGap(lo, hi, 0, double.NaN, double.NaN, double.NaN, skipped, last); continue; }
            var means = Bootstrap.Replicates(inBin.Length, replicates, rng, idx =>
            {
                double s = 0;
                foreach (var i in idx) s += inBin[i];
                return s / inBin.Length;
            });
            var (low, high) = PairedStatistics.PercentileInterval(means, level);
            result[b] = new ConsensusBinGap(lo, hi, inBin.Length, inBin.Average(), low, high, skipped, last);
        }
        return result;
    }

    /// <summary>
    /// Which dilemmas a gap metric uses: all, after the checks of <see cref="CheckPaired"/> except that a NaN model p
    /// is allowed (and marked unused) under <see cref="MissingModelP.Skip"/>.
    /// </summary>
    private static bool[] Usable(double[] pModel, double[] pHuman, MissingModelP missing)
    {
        ArgumentNullException.ThrowIfNull(pModel); ArgumentNullException.ThrowIfNull(pHuman);
        if (missing is not (MissingModelP.Throw or MissingModelP.Skip)) throw new ArgumentOutOfRangeException(nameof(missing), missing, "Unknown policy.");
        if (pModel.Length != pHuman.Length) throw new ArgumentException($"{pModel.Length} model shares but {pHuman.Length} human shares.", nameof(pHuman));
        if (pModel.Length == 0) throw new ArgumentException("No dilemmas.", nameof(pModel));
        var used = new bool[pModel.Length];
        for (int i = 0; i < pModel.Length; i++)
        {
            if (!(pHuman[i] >= 0 && pHuman[i] <= 1)) throw new ArgumentException($"Dilemma {i}: human share {pHuman[i]} is not in [0, 1].", nameof(pHuman));
            if (double.IsNaN(pModel[i]) && missing == MissingModelP.Skip) continue;
            if (!(pModel[i] >= 0 && pModel[i] <= 1))
                throw new ArgumentException($"Dilemma {i}: model share {pModel[i]} is not in [0, 1]" +
                    (double.IsNaN(pModel[i]) ? " (no parsed answer; pass MissingModelP.Skip to leave such dilemmas out and count them)." : "."), nameof(pModel));
            used[i] = true;
        }
        return used;
    }

    internal static void CheckProbability(double p, string name)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(name, p, "A share must lie in [0, 1].");
    }

    private static void CheckPaired(double[] pModel, double[] pHuman) => Usable(pModel, pHuman, MissingModelP.Throw);
}
