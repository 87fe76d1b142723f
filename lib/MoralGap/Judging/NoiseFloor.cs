using MathNet.Numerics.Distributions;

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

    private static double[] Pmf(double p, int n)
    {
        var pmf = new double[n + 1];
        for (int k = 0; k <= n; k++) pmf[k] = Binomial.PMF(p, n, k);
        return pmf;
    }
}
