using MathNet.Numerics.Distributions;
using MoralGap.Data;

namespace MoralGap.Judging;

/// <summary>
/// The sampling noise floor of the gap |p̂₁ − p̂₂|: how large the gap is expected to be when both sides share the
/// same true p and differ only by finite sampling (the known critique of the paper: ≈ 8–10 pp at 32 votes a side).
/// </summary>
public static class NoiseFloor
{
    /// <summary>
    /// Exact E|k₁/n₁ − k₂/n₂| for independent k₁ ~ Bin(n₁, p), k₂ ~ Bin(n₂, p), by summing over the joint pmf
    /// (MathNet Binomial.PMF, O(n₁ n₂) terms). At p = 0.5, n₁ = n₂ = 32 it is ≈ 0.10.
    /// </summary>
    public static double Expected(double p, int n1 = 32, int n2 = 32)
    {
        Alignment.CheckProbability(p, nameof(p));
        if (n1 < 1) throw new ArgumentOutOfRangeException(nameof(n1), n1, "Need at least one sample on side 1.");
        if (n2 < 1) throw new ArgumentOutOfRangeException(nameof(n2), n2, "Need at least one sample on side 2.");
        var pmf1 = Pmf(p, n1);
        var pmf2 = Pmf(p, n2);
        double e = 0;
        for (int k1 = 0; k1 <= n1; k1++)
        {
            if (pmf1[k1] == 0) continue;
            double inner = 0, p1 = (double)k1 / n1;
            for (int k2 = 0; k2 <= n2; k2++) inner += pmf2[k2] * Math.Abs(p1 - (double)k2 / n2);
            e += pmf1[k1] * inner;
        }
        return e;
    }

    /// <summary>
    /// The one-sided floor E|k/n − p| for k ~ Bin(n, p): the gap expected between the true p and a share estimated from
    /// n votes. It is the floor for an answer that is itself a share (a model's stated share has no binomial sampling
    /// of its own), against n human votes.
    /// </summary>
    public static double ExpectedOneSided(double p, int n)
    {
        Alignment.CheckProbability(p, nameof(p));
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one vote.");
        var pmf = Pmf(p, n);
        double e = 0;
        for (int k = 0; k <= n; k++) e += pmf[k] * Math.Abs((double)k / n - p);
        return e;
    }

    /// <summary>
    /// The floor averaged over a set of true p's (e.g. the observed human p's of all dilemmas):
    /// (1/D) Σ_d E|p̂₁ − p̂₂| at p_d. Repeated p's are computed once.
    /// </summary>
    public static double Average(IEnumerable<double> ps, int n1 = 32, int n2 = 32)
    {
        ArgumentNullException.ThrowIfNull(ps);
        var cache = new Dictionary<double, double>();
        double sum = 0;
        int count = 0;
        foreach (var p in ps)
        {
            if (!cache.TryGetValue(p, out var e)) cache[p] = e = Expected(p, n1, n2);
            sum += e;
            count++;
        }
        if (count == 0) throw new ArgumentException("No p's to average over.", nameof(ps));
        return sum / count;
    }

    /// <summary>
    /// The floor per bin of human consensus max(p, 1 − p): for each bin b of <paramref name="binEdges"/>
    /// (<see cref="ConsensusBins.IndexOf(double, IReadOnlyList{double})"/>), the mean over its dilemmas d of
    /// E|k₁/n₁ − k₂/n₂| at p_d with that dilemma's n₁ and n₂ (<see cref="Expected"/>) — the gap a model that knew every
    /// p would still show in that bin. NaN for an empty bin.
    /// </summary>
    /// <param name="p">The true p per dilemma (in practice the observed human p).</param>
    /// <param name="n1">Samples on side 1 per dilemma.</param>
    /// <param name="n2">Samples on side 2 per dilemma.</param>
    /// <param name="binEdges">Increasing consensus edges (default <see cref="Alignment.DefaultBinEdges"/>).</param>
    public static double[] ByConsensusBin(IReadOnlyList<double> p, IReadOnlyList<int> n1, IReadOnlyList<int> n2, IReadOnlyList<double>? binEdges = null)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(n1); ArgumentNullException.ThrowIfNull(n2);
        if (n1.Count != p.Count || n2.Count != p.Count)
            throw new ArgumentException($"{p.Count} p's but {n1.Count} n1's and {n2.Count} n2's: one of each per dilemma.", nameof(n2));
        var edges = binEdges ?? Alignment.DefaultBinEdges;
        ConsensusBins.CheckEdges(edges, nameof(binEdges));
        var sum = new double[edges.Count - 1];
        var count = new int[edges.Count - 1];
        var cache = new Dictionary<(double, int, int), double>();
        for (var i = 0; i < p.Count; i++)
        {
            var b = ConsensusBins.IndexOf(Alignment.Consensus(p[i]), edges);
            if (b < 0) continue;   // consensus outside the edges (only when the edges do not span [0.5, 1])
            var key = (p[i], n1[i], n2[i]);
            if (!cache.TryGetValue(key, out var e)) cache[key] = e = Expected(p[i], n1[i], n2[i]);
            sum[b] += e;
            count[b]++;
        }
        return sum.Select((s, b) => count[b] == 0 ? double.NaN : s / count[b]).ToArray();
    }

    private static double[] Pmf(double p, int n)
    {
        var pmf = new double[n + 1];
        for (int k = 0; k <= n; k++) pmf[k] = Binomial.PMF(p, n, k);
        return pmf;
    }
}
