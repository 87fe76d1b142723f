using System.Globalization;
using System.Text;

namespace MoralGap.Values.Clustering;

/// <summary>
/// One row of a scipy linkage matrix: clusters <see cref="Cluster1"/> &lt; <see cref="Cluster2"/> merge at
/// <see cref="Distance"/> into a cluster of <see cref="Count"/> observations. Ids below n are observations;
/// the cluster formed at row k has id n + k.
/// </summary>
public readonly record struct Merge(int Cluster1, int Cluster2, double Distance, int Count)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"[{Cluster1}, {Cluster2}, {Distance:R}, {Count}]");
}

/// <summary>
/// The dendrogram as scipy's linkage matrix Z (n − 1 rows: idx1, idx2, distance, count), sorted by distance,
/// with flat-cluster cuts.
/// </summary>
public sealed class LinkageMatrix
{
    internal LinkageMatrix(int observationCount, LinkageMethod method, Merge[] merges)
    {
        ObservationCount = observationCount;
        Method = method;
        Merges = merges;
    }

    /// <summary>Number of observations n.</summary>
    public int ObservationCount { get; }

    /// <summary>The linkage that built it.</summary>
    public LinkageMethod Method { get; }

    /// <summary>The n − 1 merges in scipy's order.</summary>
    public IReadOnlyList<Merge> Merges { get; }

    /// <summary>Z as scipy returns it: (n − 1) × 4 doubles.</summary>
    public double[,] ToArray()
    {
        var z = new double[Merges.Count, 4];
        for (int k = 0; k < Merges.Count; k++)
        {
            var m = Merges[k];
            z[k, 0] = m.Cluster1; z[k, 1] = m.Cluster2; z[k, 2] = m.Distance; z[k, 3] = m.Count;
        }
        return z;
    }

    /// <summary>
    /// Flat clusters with at most <paramref name="maxClusters"/> clusters, as scipy's
    /// <c>fcluster(Z, t=maxClusters, criterion='maxclust')</c>: the cut at the lowest merge height that leaves no
    /// more than <paramref name="maxClusters"/> clusters (with tied heights this can leave fewer).
    /// </summary>
    /// <returns>A label in 0..k−1 per observation, numbered in order of first appearance (observation 0 is in cluster 0).</returns>
    public int[] CutByClusterCount(int maxClusters)
    {
        int n = ObservationCount;
        if (maxClusters < 1) throw new ArgumentOutOfRangeException(nameof(maxClusters), maxClusters, "Need at least 1 cluster.");
        if (maxClusters >= n) return Enumerable.Range(0, n).ToArray();
        // With monotone linkages (all five here) the heights are sorted, and merging every step with height ≤ Z[n−k−1].distance gives ≤ k clusters.
        return CutByDistance(Merges[n - maxClusters - 1].Distance);
    }

    /// <summary>
    /// Flat clusters whose cophenetic distance is at most <paramref name="threshold"/>, as scipy's
    /// <c>fcluster(Z, t=threshold, criterion='distance')</c>: every merge with distance ≤ threshold is applied.
    /// </summary>
    /// <returns>A label in 0..k−1 per observation, numbered in order of first appearance.</returns>
    public int[] CutByDistance(double threshold)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("Threshold is NaN.", nameof(threshold));
        int n = ObservationCount;
        var parent = new int[2 * n - 1];
        for (int i = 0; i < parent.Length; i++) parent[i] = i;
        for (int k = 0; k < Merges.Count; k++)
        {
            var m = Merges[k];
            if (m.Distance > threshold) continue;
            parent[m.Cluster1] = n + k;
            parent[m.Cluster2] = n + k;
        }
        var labelOfRoot = new Dictionary<int, int>();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int r = i;
            while (parent[r] != r) r = parent[r];
            if (!labelOfRoot.TryGetValue(r, out var l)) labelOfRoot[r] = l = labelOfRoot.Count;
            labels[i] = l;
        }
        return labels;
    }

    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"LinkageMatrix: {Method}, n = {ObservationCount}, {Merges.Count} merges");
        int show = Math.Min(5, Merges.Count);
        for (int k = 0; k < show; k++) sb.Append("\n  ").Append(Merges[k]);
        if (Merges.Count > show) sb.Append(CultureInfo.InvariantCulture, $"\n  … last: {Merges[^1]}");
        return sb.ToString();
    }
}
