using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MoralGap.Values.Clustering;

/// <summary>Distance between two observations.</summary>
public enum DistanceMetric
{
    /// <summary>Cosine distance 1 − u·v / (‖u‖ ‖v‖), as scipy.spatial.distance.cosine (clipped so that |cos| ≤ 1).</summary>
    Cosine,
    /// <summary>Euclidean distance ‖u − v‖₂.</summary>
    Euclidean,
}

/// <summary>
/// Pairwise distances in scipy's condensed form (<c>scipy.spatial.distance.pdist</c>): the upper triangle of the
/// n × n distance matrix, row by row, n(n−1)/2 float64 values. Entry (i, j), i &lt; j, sits at
/// <see cref="CondensedIndex"/>(n, i, j) = n·i − i(i+1)/2 + (j − i − 1).
/// </summary>
/// <remarks>
/// Computed in float64 with a cache-blocked SIMD kernel (4 × 2 observations at a time) spread over all cores.
/// Sums are formed in a different order from scipy's sequential loop, so values agree to about 1e-15, not bit for bit.
/// </remarks>
public static class PairwiseDistances
{
    /// <summary>Largest n whose condensed matrix fits a .NET array.</summary>
    public const int MaxObservations = 65_000;

    /// <summary>Position of pair (i, j), i ≠ j, in a condensed matrix over n observations (scipy's <c>condensed_index</c>).</summary>
    public static long CondensedIndex(int n, int i, int j)
    {
        if (i == j) throw new ArgumentException($"i and j must differ (both are {i}).");
        if ((uint)i >= (uint)n || (uint)j >= (uint)n) throw new ArgumentOutOfRangeException(nameof(i), $"i={i}, j={j} must lie in [0, {n}).");
        if (i > j) (i, j) = (j, i);
        return (long)n * i - (long)i * (i + 1) / 2 + (j - i - 1);
    }

    /// <summary>Length n(n−1)/2 of a condensed matrix over n observations.</summary>
    public static long CondensedLength(int n) => (long)n * (n - 1) / 2;

    /// <summary>Observation count n of a condensed matrix of the given length (throws if no n fits).</summary>
    public static int ObservationCount(long condensedLength)
    {
        var n = (int)Math.Round((1 + Math.Sqrt(1 + 8.0 * condensedLength)) / 2);
        if (CondensedLength(n) != condensedLength)
            throw new ArgumentException($"A condensed distance matrix has length n(n−1)/2; {condensedLength} is not of that form.");
        return n;
    }

    /// <summary>Condensed pairwise distances between the rows of <paramref name="points"/> (float32 rows are widened to float64).</summary>
    public static double[] Condensed(float[][] points, DistanceMetric metric = DistanceMetric.Cosine, int maxDegreeOfParallelism = -1)
        => Condensed(Pack(points, p => p.Length, (p, dst) => { for (int k = 0; k < p.Length; k++) dst[k] = p[k]; }), metric, maxDegreeOfParallelism);

    /// <summary>Condensed pairwise distances between the rows of <paramref name="points"/>.</summary>
    public static double[] Condensed(double[][] points, DistanceMetric metric = DistanceMetric.Cosine, int maxDegreeOfParallelism = -1)
        => Condensed(Pack(points, p => p.Length, (p, dst) => p.CopyTo(dst)), metric, maxDegreeOfParallelism);

    private static Packed Pack<T>(T[][] points, Func<T[], int> len, Action<T[], Span<double>> copy)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Length;
        if (n < 2) throw new ArgumentException($"Need at least 2 observations, got {n}.", nameof(points));
        if (n > MaxObservations) throw new ArgumentException($"At most {MaxObservations} observations fit a condensed matrix, got {n}.", nameof(points));
        if (points[0] is null) throw new ArgumentException("Row 0 is null.", nameof(points));
        int d = len(points[0]);
        if (d == 0) throw new ArgumentException("Rows have no coordinates.", nameof(points));
        var x = new double[(long)n * d];
        for (int i = 0; i < n; i++)
        {
            if (points[i] is null) throw new ArgumentException($"Row {i} is null.", nameof(points));
            if (len(points[i]) != d) throw new ArgumentException($"Row {i} has {len(points[i])} coordinates, row 0 has {d}.", nameof(points));
            var dst = x.AsSpan(i * d, d);
            copy(points[i], dst);
            for (int k = 0; k < d; k++)
                if (!double.IsFinite(dst[k])) throw new ArgumentException($"Row {i}, coordinate {k} is {dst[k]} (must be finite).", nameof(points));
        }
        return new Packed(x, n, d);
    }

    private sealed record Packed(double[] X, int N, int D);

    private static double[] Condensed(Packed p, DistanceMetric metric, int maxDop)
    {
        int n = p.N, d = p.D;
        var x = p.X;
        var result = new double[CondensedLength(n)];
        var rowStart = new long[n];
        for (int i = 0; i < n; i++) rowStart[i] = (long)n * i - (long)i * (i + 1) / 2 - i - 1;
        double[]? norms = null;
        if (metric == DistanceMetric.Cosine)
        {
            norms = new double[n];
            for (int i = 0; i < n; i++)
            {
                norms[i] = Math.Sqrt(Dot(x.AsSpan(i * d, d), x.AsSpan(i * d, d)));
                if (norms[i] == 0) throw new ArgumentException($"Row {i} is the zero vector; its cosine distance is undefined.", "points");
            }
        }
        const int Tile = 48;
        int tiles = (n + Tile - 1) / Tile;
        // Tiles near the top of the triangle hold the most pairs; hand them out first.
        var opts = new ParallelOptions { MaxDegreeOfParallelism = maxDop };
        Parallel.For(0, tiles, opts, t =>
        {
            int i0 = t * Tile, i1 = Math.Min(n, i0 + Tile);
            if (metric == DistanceMetric.Cosine) Tile4x2<DotOp>(x, d, n, i0, i1, result, rowStart, norms!);
            else Tile4x2<SqDiffOp>(x, d, n, i0, i1, result, rowStart, null);
        });
        return result;
    }

    private interface IPairOp
    {
        static abstract Vector256<double> Acc(Vector256<double> a, Vector256<double> b, Vector256<double> acc);
        static abstract double Acc(double a, double b, double acc);
    }
    private struct DotOp : IPairOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Acc(Vector256<double> a, Vector256<double> b, Vector256<double> acc) => Vector256.FusedMultiplyAdd(a, b, acc);
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Acc(double a, double b, double acc) => acc + a * b;
    }
    private struct SqDiffOp : IPairOp
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<double> Acc(Vector256<double> a, Vector256<double> b, Vector256<double> acc) { var t = a - b; return Vector256.FusedMultiplyAdd(t, t, acc); }
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static double Acc(double a, double b, double acc) { var t = a - b; return acc + t * t; }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Finish(bool cosine, double s, double[]? norms, int i, int j)
    {
        if (!cosine) return Math.Sqrt(s);
        double c = s / (norms![i] * norms[j]);
        if (Math.Abs(c) > 1) c = Math.CopySign(1.0, c);
        return 1.0 - c;
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => Pair<DotOp>(a, b);

    private static double Pair<TOp>(ReadOnlySpan<double> a, ReadOnlySpan<double> b) where TOp : struct, IPairOp
    {
        int d = a.Length, k = 0;
        double s = 0;
        if (Vector256.IsHardwareAccelerated && d >= 4)
        {
            var acc = Vector256<double>.Zero;
            for (; k <= d - 4; k += 4) acc = TOp.Acc(Vector256.Create(a.Slice(k, 4)), Vector256.Create(b.Slice(k, 4)), acc);
            s = Vector256.Sum(acc);
        }
        for (; k < d; k++) s = TOp.Acc(a[k], b[k], s);
        return s;
    }

    /// <summary>All pairs (i, j) with i in [i0, i1), j &gt; i.</summary>
    private static void Tile4x2<TOp>(double[] x, int d, int n, int i0, int i1, double[] result, long[] rowStart, double[]? norms)
        where TOp : struct, IPairOp
    {
        bool cosine = typeof(TOp) == typeof(DotOp);
        // Pairs inside the tile's own triangle, and any tile when SIMD is off: one pair at a time.
        int jFar = Vector256.IsHardwareAccelerated ? i1 : n;
        for (int i = i0; i < i1; i++)
            for (int j = i + 1; j < jFar; j++)
                result[rowStart[i] + j] = Finish(cosine, Pair<TOp>(x.AsSpan(i * d, d), x.AsSpan(j * d, d)), norms, i, j);
        if (!Vector256.IsHardwareAccelerated) return;
        int d4 = d & ~3;
        ref double x0 = ref x[0];
        int j0 = i1;
        for (; j0 + 1 < n; j0 += 2)
        {
            int i = i0;
            for (; i + 3 < i1; i += 4) Kernel4x2<TOp>(ref x0, d, d4, i, j0, result, rowStart, norms, cosine);
            for (; i < i1; i++)
            {
                result[rowStart[i] + j0] = Finish(cosine, Pair<TOp>(x.AsSpan(i * d, d), x.AsSpan(j0 * d, d)), norms, i, j0);
                result[rowStart[i] + j0 + 1] = Finish(cosine, Pair<TOp>(x.AsSpan(i * d, d), x.AsSpan((j0 + 1) * d, d)), norms, i, j0 + 1);
            }
        }
        for (; j0 < n; j0++)
            for (int i = i0; i < i1; i++)
                result[rowStart[i] + j0] = Finish(cosine, Pair<TOp>(x.AsSpan(i * d, d), x.AsSpan(j0 * d, d)), norms, i, j0);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x2<TOp>(ref double x0, int d, int d4, int i, int j, double[] result, long[] rowStart, double[]? norms, bool cosine)
        where TOp : struct, IPairOp
    {
        ref double a0 = ref Unsafe.Add(ref x0, (nint)i * d);
        ref double a1 = ref Unsafe.Add(ref a0, d);
        ref double a2 = ref Unsafe.Add(ref a1, d);
        ref double a3 = ref Unsafe.Add(ref a2, d);
        ref double b0 = ref Unsafe.Add(ref x0, (nint)j * d);
        ref double b1 = ref Unsafe.Add(ref b0, d);
        Vector256<double> s00 = default, s01 = default, s10 = default, s11 = default,
                          s20 = default, s21 = default, s30 = default, s31 = default;
        for (int k = 0; k < d4; k += 4)
        {
            var vb0 = Vector256.LoadUnsafe(ref b0, (nuint)k);
            var vb1 = Vector256.LoadUnsafe(ref b1, (nuint)k);
            var va = Vector256.LoadUnsafe(ref a0, (nuint)k);
            s00 = TOp.Acc(va, vb0, s00); s01 = TOp.Acc(va, vb1, s01);
            va = Vector256.LoadUnsafe(ref a1, (nuint)k);
            s10 = TOp.Acc(va, vb0, s10); s11 = TOp.Acc(va, vb1, s11);
            va = Vector256.LoadUnsafe(ref a2, (nuint)k);
            s20 = TOp.Acc(va, vb0, s20); s21 = TOp.Acc(va, vb1, s21);
            va = Vector256.LoadUnsafe(ref a3, (nuint)k);
            s30 = TOp.Acc(va, vb0, s30); s31 = TOp.Acc(va, vb1, s31);
        }
        Span<double> s = stackalloc double[8]
        {
            Vector256.Sum(s00), Vector256.Sum(s01), Vector256.Sum(s10), Vector256.Sum(s11),
            Vector256.Sum(s20), Vector256.Sum(s21), Vector256.Sum(s30), Vector256.Sum(s31),
        };
        for (int k = d4; k < d; k++)
            for (int r = 0; r < 4; r++)
                for (int c = 0; c < 2; c++)
                    s[r * 2 + c] = TOp.Acc(Unsafe.Add(ref x0, (nint)(i + r) * d + k), Unsafe.Add(ref x0, (nint)(j + c) * d + k), s[r * 2 + c]);
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 2; c++)
                result[rowStart[i + r] + j + c] = Finish(cosine, s[r * 2 + c], norms, i + r, j + c);
    }
}
