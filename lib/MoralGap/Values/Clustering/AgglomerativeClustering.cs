using System.Runtime.CompilerServices;

namespace MoralGap.Values.Clustering;

/// <summary>How the distance between two clusters is defined (scipy.cluster.hierarchy.linkage's <c>method</c>).</summary>
public enum LinkageMethod
{
    /// <summary>UPGMA: mean distance over all cross-cluster pairs. d(k, x∪y) = (|x| d(k,x) + |y| d(k,y)) / (|x|+|y|).</summary>
    Average,
    /// <summary>Farthest pair: d(k, x∪y) = max(d(k,x), d(k,y)).</summary>
    Complete,
    /// <summary>Nearest pair: d(k, x∪y) = min(d(k,x), d(k,y)).</summary>
    Single,
    /// <summary>WPGMA: d(k, x∪y) = (d(k,x) + d(k,y)) / 2.</summary>
    Weighted,
    /// <summary>Ward's minimum variance (Euclidean only): d(k, x∪y) = √(((|k|+|x|) d(k,x)² + (|k|+|y|) d(k,y)² − |k| d(x,y)²) / (|k|+|x|+|y|)).</summary>
    Ward,
}

/// <summary>
/// Hierarchical agglomerative clustering producing scipy's linkage matrix, merge for merge
/// (<c>scipy.cluster.hierarchy.linkage</c>, scipy ≥ 1.0).
/// </summary>
/// <remarks>
/// <para>Written here because no maintained .NET package does agglomerative clustering (Accord.NET is archived;
/// ML.NET has none).</para>
/// <para>Average, complete, weighted and Ward use the nearest-neighbour-chain algorithm (Murtagh 1983; Müllner 2011,
/// "Modern hierarchical, agglomerative clustering algorithms", arXiv:1109.2378) with Lance–Williams updates on the
/// condensed matrix, O(n²) time and no memory beyond the condensed float64 matrix (n(n−1)/2 values) plus O(n).
/// The chain is started, searched and broken exactly as scipy's <c>nn_chain</c> (lowest index first, strict &lt;, the
/// previous chain element preferred on ties), and merges are then stably sorted by distance and relabelled as scipy's
/// <c>label</c> does, so ties resolve the same way.</para>
/// <para>Single linkage: NN-chain would be valid too, but scipy uses Prim's minimum spanning tree
/// (<c>mst_single_linkage</c>), which orders tied merges differently; we use the same MST walk so the output matches.</para>
/// </remarks>
public static class AgglomerativeClustering
{
    /// <summary>Clusters the rows of <paramref name="points"/> (e.g. MiniLM embeddings): pairwise distances, then <see cref="FromCondensed"/>.</summary>
    /// <param name="points">n rows of equal length, finite.</param>
    /// <param name="method">Linkage; Ward requires <see cref="DistanceMetric.Euclidean"/>.</param>
    /// <param name="metric">Distance between observations.</param>
    public static LinkageMatrix Linkage(float[][] points, LinkageMethod method = LinkageMethod.Average, DistanceMetric metric = DistanceMetric.Cosine)
    {
        CheckMetric(method, metric);
        return FromCondensed(PairwiseDistances.Condensed(points, metric), method, overwrite: true);
    }

    /// <inheritdoc cref="Linkage(float[][], LinkageMethod, DistanceMetric)"/>
    public static LinkageMatrix Linkage(double[][] points, LinkageMethod method = LinkageMethod.Average, DistanceMetric metric = DistanceMetric.Cosine)
    {
        CheckMetric(method, metric);
        return FromCondensed(PairwiseDistances.Condensed(points, metric), method, overwrite: true);
    }

    private static void CheckMetric(LinkageMethod method, DistanceMetric metric)
    {
        if (method == LinkageMethod.Ward && metric != DistanceMetric.Euclidean)
            throw new ArgumentException($"Ward linkage is defined for Euclidean distances only, not {metric}.", nameof(metric));
    }

    /// <summary>Clusters from a condensed distance matrix (scipy's <c>linkage(y, method)</c> with y from pdist).</summary>
    /// <param name="condensed">n(n−1)/2 finite, non-negative distances (see <see cref="PairwiseDistances"/>).</param>
    /// <param name="method">Linkage method. For Ward the distances must be Euclidean.</param>
    /// <param name="overwrite">When true the algorithm works in <paramref name="condensed"/> itself (no copy; its contents are destroyed).</param>
    public static LinkageMatrix FromCondensed(double[] condensed, LinkageMethod method = LinkageMethod.Average, bool overwrite = false)
    {
        ArgumentNullException.ThrowIfNull(condensed);
        int n = PairwiseDistances.ObservationCount(condensed.LongLength);
        if (n < 2) throw new ArgumentException("Need at least 2 observations (a condensed matrix of length ≥ 1).", nameof(condensed));
        for (long t = 0; t < condensed.LongLength; t++)
        {
            double v = condensed[t];
            if (!double.IsFinite(v) || v < 0)
                throw new ArgumentException($"Distance at condensed position {t} is {v}; distances must be finite and ≥ 0.", nameof(condensed));
        }
        var z = method == LinkageMethod.Single ? MstSingle(condensed, n) : NnChain(overwrite ? condensed : (double[])condensed.Clone(), n, method);
        // scipy: order = np.argsort(Z[:, 2], kind='mergesort'); Array.Sort is unstable, so sort indices with the index as tie-break.
        var order = Enumerable.Range(0, n - 1).ToArray();
        Array.Sort(order, (a, b) => z[a].Distance != z[b].Distance ? z[a].Distance.CompareTo(z[b].Distance) : a.CompareTo(b));
        var sorted = new Merge[n - 1];
        for (int k = 0; k < n - 1; k++) sorted[k] = z[order[k]];
        Label(sorted, n);
        return new LinkageMatrix(n, method, sorted);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Merge[] NnChain(double[] dist, int n, LinkageMethod method)
    {
        var z = new Merge[n - 1];
        var size = new int[n];
        Array.Fill(size, 1);
        var rowStart = new long[n];
        for (int i = 0; i < n; i++) rowStart[i] = (long)n * i - (long)i * (i + 1) / 2 - i - 1;
        // Active clusters in ascending slot order (scipy scans i = 0..n-1 skipping size 0; same order, fewer steps).
        var active = new int[n];
        for (int i = 0; i < n; i++) active[i] = i;
        int m = n;
        var chain = new int[n];
        int chainLength = 0;
        for (int k = 0; k < n - 1; k++)
        {
            if (chainLength == 0) { chain[0] = active[0]; chainLength = 1; }
            int x, y = 0;
            double currentMin;
            while (true)
            {
                x = chain[chainLength - 1];
                if (chainLength > 1)
                {
                    y = chain[chainLength - 2];
                    currentMin = dist[x < y ? rowStart[x] + y : rowStart[y] + x];
                }
                else currentMin = double.PositiveInfinity;
                int px = Array.BinarySearch(active, 0, m, x);
                long rx = rowStart[x];
                for (int a = 0; a < px; a++)
                {
                    int i = active[a];
                    double d = dist[rowStart[i] + x];
                    if (d < currentMin) { currentMin = d; y = i; }
                }
                for (int a = px + 1; a < m; a++)
                {
                    int i = active[a];
                    double d = dist[rx + i];
                    if (d < currentMin) { currentMin = d; y = i; }
                }
                if (chainLength > 1 && y == chain[chainLength - 2]) break;
                chain[chainLength++] = y;
            }
            chainLength -= 2;
            if (x > y) (x, y) = (y, x); // fastcluster's convention, as scipy: the merged cluster lives in the larger slot
            int nx = size[x], ny = size[y];
            z[k] = new Merge(x, y, currentMin, nx + ny);
            size[x] = 0;
            size[y] = nx + ny;
            int pxr = Array.BinarySearch(active, 0, m, x);
            Array.Copy(active, pxr + 1, active, pxr, m - pxr - 1);
            m--;
            Update(dist, rowStart, active, m, size, x, y, currentMin, nx, ny, method);
        }
        return z;
    }

    private static void Update(double[] dist, long[] rowStart, int[] active, int m, int[] size, int x, int y, double dxy, int nx, int ny, LinkageMethod method)
    {
        switch (method)
        {
            case LinkageMethod.Average: Update<AverageUpdate>(dist, rowStart, active, m, size, x, y, dxy, nx, ny); break;
            case LinkageMethod.Complete: Update<CompleteUpdate>(dist, rowStart, active, m, size, x, y, dxy, nx, ny); break;
            case LinkageMethod.Weighted: Update<WeightedUpdate>(dist, rowStart, active, m, size, x, y, dxy, nx, ny); break;
            case LinkageMethod.Ward: Update<WardUpdate>(dist, rowStart, active, m, size, x, y, dxy, nx, ny); break;
            default: throw new ArgumentOutOfRangeException(nameof(method), method, null);
        }
    }

    /// <summary>Lance–Williams update d(i, x∪y), with the same arithmetic in the same order as scipy's _hierarchy_distance_update.pxi.</summary>
    private interface ILanceWilliams { static abstract double Update(double dxi, double dyi, double dxy, int nx, int ny, int ni); }
    private struct AverageUpdate : ILanceWilliams
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Update(double dxi, double dyi, double dxy, int nx, int ny, int ni) => (nx * dxi + ny * dyi) / (nx + ny);
    }
    private struct CompleteUpdate : ILanceWilliams
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Update(double dxi, double dyi, double dxy, int nx, int ny, int ni) => dxi > dyi ? dxi : dyi;
    }
    private struct WeightedUpdate : ILanceWilliams
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Update(double dxi, double dyi, double dxy, int nx, int ny, int ni) => 0.5 * (dxi + dyi);
    }
    private struct WardUpdate : ILanceWilliams
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Update(double dxi, double dyi, double dxy, int nx, int ny, int ni)
        {
            double t = 1.0 / (nx + ny + ni);
            return Math.Sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi - ni * t * dxy * dxy);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Update<TLw>(double[] dist, long[] rowStart, int[] active, int m, int[] size, int x, int y, double dxy, int nx, int ny)
        where TLw : struct, ILanceWilliams
    {
        long rx = rowStart[x], ry = rowStart[y];
        // Active slots in three ranges: i < x < y (both strided), x < i < y (x contiguous, y strided), i > y (both contiguous).
        int a = 0;
        for (; a < m && active[a] < x; a++)
        {
            long ri = rowStart[active[a]];
            dist[ri + y] = TLw.Update(dist[ri + x], dist[ri + y], dxy, nx, ny, size[active[a]]);
        }
        for (; a < m && active[a] < y; a++)
        {
            int i = active[a];
            long iy = rowStart[i] + y;
            dist[iy] = TLw.Update(dist[rx + i], dist[iy], dxy, nx, ny, size[i]);
        }
        for (; a < m; a++)
        {
            int i = active[a];
            if (i == y) continue;
            dist[ry + i] = TLw.Update(dist[rx + i], dist[ry + i], dxy, nx, ny, size[i]);
        }
    }

    /// <summary>scipy's <c>mst_single_linkage</c>: Prim's algorithm from observation 0, O(n²) time, O(n) extra memory.</summary>
    private static Merge[] MstSingle(double[] dist, int n)
    {
        var z = new Merge[n - 1];
        var merged = new bool[n];
        var d = new double[n];
        Array.Fill(d, double.PositiveInfinity);
        var rowStart = new long[n];
        for (int i = 0; i < n; i++) rowStart[i] = (long)n * i - (long)i * (i + 1) / 2 - i - 1;
        int x = 0, y = 0;
        for (int k = 0; k < n - 1; k++)
        {
            double currentMin = double.PositiveInfinity;
            merged[x] = true;
            for (int i = 0; i < n; i++)
            {
                if (merged[i]) continue;
                double v = dist[i < x ? rowStart[i] + x : rowStart[x] + i];
                if (d[i] > v) d[i] = v;
                if (d[i] < currentMin) { y = i; currentMin = d[i]; }
            }
            z[k] = new Merge(x, y, currentMin, 0);
            x = y;
        }
        return z;
    }

    /// <summary>scipy's <c>label</c>: renames merged slots to scipy cluster ids (n + step) with a union–find, sets counts.</summary>
    private static void Label(Merge[] z, int n)
    {
        var parent = new int[2 * n - 1];
        var count = new int[2 * n - 1];
        for (int i = 0; i < parent.Length; i++) { parent[i] = i; count[i] = i < n ? 1 : 0; }
        int Find(int v)
        {
            int root = v;
            while (parent[root] != root) root = parent[root];
            while (parent[v] != root) { int next = parent[v]; parent[v] = root; v = next; }
            return root;
        }
        int next = n;
        for (int k = 0; k < n - 1; k++)
        {
            int xr = Find(z[k].Cluster1), yr = Find(z[k].Cluster2);
            int c = count[xr] + count[yr];
            parent[xr] = next; parent[yr] = next; count[next] = c; next++;
            z[k] = xr < yr ? new Merge(xr, yr, z[k].Distance, c) : new Merge(yr, xr, z[k].Distance, c);
        }
    }
}
