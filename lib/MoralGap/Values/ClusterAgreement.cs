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
        // Sparse counts: with many clusters (e.g. all singletons) a dense table would be n × n.
        var cells = new Dictionary<(int, int), long>();
        var rows = new Dictionary<int, long>();
        var cols = new Dictionary<int, long>();
        for (var i = 0; i < a.Count; i++)
        {
            cells[(a[i], b[i])] = cells.GetValueOrDefault((a[i], b[i])) + 1;
            rows[a[i]] = rows.GetValueOrDefault(a[i]) + 1;
            cols[b[i]] = cols.GetValueOrDefault(b[i]) + 1;
        }
        return FromPairCounts(cells.Values.Sum(Pairs), rows.Values.Sum(Pairs), cols.Values.Sum(Pairs), a.Count);
    }

    /// <summary>
    /// The same Adjusted Rand Index from a contingency table, <c>table[i][j]</c> = items in cluster i of the first
    /// partition and cluster j of the second (rows and columns that are all zero do not matter).
    /// </summary>
    /// <exception cref="ArgumentException">Rows of different lengths, or a negative count.</exception>
    public static double AdjustedRandIndex(int[][] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var cols = table.Length == 0 ? 0 : table[0]?.Length ?? 0;
        var colSums = new long[cols];
        double sumIj = 0, sumA = 0;
        long n = 0;
        for (var i = 0; i < table.Length; i++)
        {
            var row = table[i];
            if (row is null || row.Length != cols) throw new ArgumentException($"Row {i} has {row?.Length ?? 0} columns, row 0 has {cols}.", nameof(table));
            long rowSum = 0;
            for (var j = 0; j < cols; j++)
            {
                if (row[j] < 0) throw new ArgumentException($"table[{i}][{j}] = {row[j]} is negative.", nameof(table));
                sumIj += Pairs(row[j]); rowSum += row[j]; colSums[j] += row[j];
            }
            sumA += Pairs(rowSum); n += rowSum;
        }
        return FromPairCounts(sumIj, sumA, colSums.Sum(Pairs), n);
    }

    private static double Pairs(long m) => m * (m - 1) / 2.0;

    // The one ARI formula, from the pair counts Σᵢⱼ C(nᵢⱼ,2), Σᵢ C(aᵢ,2), Σⱼ C(bⱼ,2) and n.
    private static double FromPairCounts(double index, double sumA, double sumB, long n)
    {
        if (n < 2) return 1.0;
        var expected = sumA * sumB / Pairs(n);
        var max = (sumA + sumB) / 2;
        return max == expected ? 1.0 : (index - expected) / (max - expected); // both trivial (one cluster / all singletons): identical
    }
}
