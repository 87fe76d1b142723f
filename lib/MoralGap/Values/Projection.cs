using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace MoralGap.Values;

/// <summary>A principal component projection: coordinates of each item and the share of variance each component explains.</summary>
/// <param name="Coordinates">Coordinates[i] = the item's scores on the components.</param>
/// <param name="ExplainedVarianceRatio">Variance of each component divided by the total variance.</param>
public sealed record PcaProjection(double[][] Coordinates, double[] ExplainedVarianceRatio)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"PCA of {Coordinates.Length} items: explained variance {string.Join(", ", ExplainedVarianceRatio.Select(r => r.ToString("P1")))}";
}

/// <summary>Low-dimensional projections of embeddings, for figures (e.g. the value taxonomy in 2-D).</summary>
public static class Projection
{
    /// <summary>
    /// Principal component analysis (Pearson 1901; Jolliffe 2002): centre the vectors, take the top eigenvectors of the
    /// covariance matrix Xᵀ X / (n − 1) (MathNet.Numerics symmetric eigendecomposition; d × d, so it is cheap for
    /// thousands of 384-d embeddings) and project. Signs are fixed as in scikit-learn's PCA: in each component the score
    /// of largest magnitude is positive, so the picture is the same on every run.
    /// </summary>
    /// <param name="vectors">n vectors of equal length d (n ≥ 2).</param>
    /// <param name="components">Number of components, 1 ≤ k ≤ d (2 for a figure).</param>
    public static PcaProjection Pca(IReadOnlyList<float[]> vectors, int components = 2)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count < 2) throw new ArgumentException($"PCA needs at least 2 vectors, got {vectors.Count}.", nameof(vectors));
        var d = vectors[0]?.Length ?? throw new ArgumentException("Vector 0 is null.", nameof(vectors));
        ArgumentOutOfRangeException.ThrowIfLessThan(components, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(components, d);
        var n = vectors.Count;
        var x = Matrix<double>.Build.Dense(n, d);
        for (var i = 0; i < n; i++)
        {
            var v = vectors[i] ?? throw new ArgumentException($"Vector {i} is null.", nameof(vectors));
            if (v.Length != d) throw new ArgumentException($"Vector {i} has length {v.Length}, vector 0 has {d}.", nameof(vectors));
            for (var j = 0; j < d; j++) x[i, j] = v[j];
        }
        var mean = x.ColumnSums() / n;
        for (var i = 0; i < n; i++) x.SetRow(i, x.Row(i) - mean);
        var cov = x.TransposeThisAndMultiply(x) / (n - 1);
        var evd = cov.Evd(Symmetricity.Symmetric);
        var eig = evd.EigenValues.Select(c => c.Real).ToArray();
        var order = Enumerable.Range(0, d).OrderByDescending(k => eig[k]).ThenBy(k => k).Take(components).ToArray();
        var total = eig.Sum(e => Math.Max(e, 0));
        var w = Matrix<double>.Build.Dense(d, components, (r, c) => evd.EigenVectors[r, order[c]]);
        var scores = x * w;
        for (var c = 0; c < components; c++)
        {
            var col = scores.Column(c);
            var big = col.AbsoluteMaximumIndex();
            if (col[big] < 0) scores.SetColumn(c, -col);
        }
        var coords = Enumerable.Range(0, n).Select(i => scores.Row(i).ToArray()).ToArray();
        var ratios = order.Select(k => total > 0 ? Math.Max(eig[k], 0) / total : 0).ToArray();
        return new PcaProjection(coords, ratios);
    }
}
