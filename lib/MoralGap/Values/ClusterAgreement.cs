namespace MoralGap.Values;

/// <summary>Agreement between two clusterings of the same items (e.g. recovered clusters vs planted values).</summary>
public static class ClusterAgreement
{
    /// <summary>
    /// The Adjusted Rand Index (Hubert &amp; Arabie 1985, "Comparing partitions", J. Classification 2:193–218):
    /// ARI = (Σᵢⱼ C(nᵢⱼ,2) − E) / (½[Σᵢ C(aᵢ,2) + Σⱼ C(bⱼ,2)] − E), with E = Σᵢ C(aᵢ,2) · Σⱼ C(bⱼ,2) / C(n,2),
    /// where nᵢⱼ counts items in cluster i of <paramref name="a"/> and cluster j of <paramref name="b"/>, and aᵢ, bⱼ are
    /// the cluster sizes. 1 for identical partitions (label names do not matter), about 0 for independent ones, can be
    /// negative. As in scikit-learn's <c>adjusted_rand_score</c>, two partitions that are both a single cluster or both
    /// all singletons score 1.
    /// </summary>
    /// <exception cref="ArgumentException">The labellings differ in length.</exception>
    public static double AdjustedRandIndex(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count) throw new ArgumentException($"Labellings of different lengths: {a.Count} and {b.Count}.", nameof(b));
        var n = a.Count;
        if (n < 2) return 1.0;
        var cells = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (var i = 0; i < n; i++)
        {
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            cols[b[i]] = cols.GetValueOrDefault(b[i]) + 1;
        }
        if ((rows.Count == 1 && cols.Count == 1) || (rows.Count == n && cols.Count == n)) return 1.0;
        static double Pairs(long m) => m * (m - 1) / 2.0;
        var index = cells.Values.Sum(Pairs);
        var sa = rows.Values.Sum(Pairs);
        var sb = cols.Values.Sum(Pairs);
        var expected = sa * sb / Pairs(n);
        var max = (sa + sb) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected);
    }
}
