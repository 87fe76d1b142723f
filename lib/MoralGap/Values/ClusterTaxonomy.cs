using System.Numerics.Tensors;
using MoralGap.Data;
using MoralGap.Values.Clustering;

namespace MoralGap.Values;

/// <summary>
/// A taxonomy of value clusters, as the paper builds its own: value expressions extracted from rationales are embedded
/// (MiniLM), clustered agglomeratively and cut into <c>k</c> clusters (chapter 05), and each cluster is named by the
/// paper value whose name embedding is nearest to its centroid (<see cref="ValueTaxonomy"/>); a second cluster nearest
/// to the same value is named "Value #2", and so on, so every cluster stays its own value of the taxonomy. Any
/// expression, including one that was not clustered, belongs to the cluster whose centroid is nearest (cosine), so the
/// taxonomy can label the rationales of every source and the planted values of the embedded sample alike.
/// </summary>
/// <remarks>
/// <code>
/// var clusters = ClusterTaxonomy.Build(expressionTexts, clusterCount: 60, embedder);
/// var relabelled = clusters.Relabel(extractor.ExtractMany(rationales));   // values are now cluster names
/// Diversity over clusters.Names (K = number of clusters).
/// </code>
/// </remarks>
public sealed class ClusterTaxonomy
{
    private readonly float[][] centroids;

    private ClusterTaxonomy(ValueTaxonomy taxonomy, IReadOnlyList<string> names, float[][] centroids, Embedder embedder, int clustered)
    {
        Taxonomy = taxonomy;
        Names = names;
        this.centroids = centroids;
        Embedder = embedder;
        Clustered = clustered;
    }

    /// <summary>The clusters (largest first) with their medoids and nearest paper values.</summary>
    public ValueTaxonomy Taxonomy { get; }

    /// <summary>One name per cluster, in the order of <see cref="ValueTaxonomy.Clusters"/>: the nearest paper value, "#2"… for repeats.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The embedder of expressions and value names.</summary>
    public Embedder Embedder { get; }

    /// <summary>How many expressions were clustered.</summary>
    public int Clustered { get; }

    /// <summary>
    /// Clusters <paramref name="expressions"/> (at most <paramref name="maxClustered"/> of them, a seeded sample, since
    /// agglomerative clustering needs n² / 2 distances) into at most <paramref name="clusterCount"/> clusters.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two expressions.</exception>
    public static ClusterTaxonomy Build(IReadOnlyList<string> expressions, int clusterCount, Embedder? embedder = null,
        LinkageMethod linkage = LinkageMethod.Average, DistanceMetric metric = DistanceMetric.Cosine, int maxClustered = 3000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusterCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxClustered, 2);
        if (expressions.Count < 2) throw new ArgumentException($"{expressions.Count} value expressions: clustering needs at least two.", nameof(expressions));
        embedder ??= Embedder.Default;
        var order = Enumerable.Range(0, expressions.Count).ToArray();
        new Random(seed).Shuffle(order);
        var picked = expressions.Count <= maxClustered ? expressions.ToArray()
            : order.Take(maxClustered).Order().Select(i => expressions[i]).ToArray();
        var vectors = embedder.Embed(picked);
        var labels = AgglomerativeClustering.Linkage(vectors, linkage, metric).CutByClusterCount(Math.Min(clusterCount, picked.Length));
        var taxonomy = ValueTaxonomy.Build(picked, vectors, labels, embedder);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var names = taxonomy.Clusters.Select(c =>
        {
            var n = seen[c.NearestPaperValue] = seen.GetValueOrDefault(c.NearestPaperValue) + 1;
            return n == 1 ? c.NearestPaperValue : $"{c.NearestPaperValue} #{n}";
        }).ToArray();
        var centroids = taxonomy.Clusters.Select(c =>
        {
            var sum = new float[vectors[0].Length];
            foreach (var i in c.Members) TensorPrimitives.Add(sum, Embedder.Normalize(vectors[i]), sum);
            return Embedder.Normalize(sum);
        }).ToArray();
        return new ClusterTaxonomy(taxonomy, names, centroids, embedder, picked.Length);
    }

    /// <summary>The name of the cluster whose centroid is nearest (cosine) to <paramref name="vector"/>.</summary>
    public string NameOf(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var best = 0;
        var bestCos = double.NegativeInfinity;
        for (var k = 0; k < centroids.Length; k++)
        {
            var c = Embedder.Cosine(vector, centroids[k]);
            if (c > bestCos) { bestCos = c; best = k; }
        }
        return Names[best];
    }

    /// <summary>
    /// The same expressions with <see cref="ValueExpression.Value"/> replaced by their cluster's name (the expression's
    /// text is embedded and placed in the nearest cluster); two expressions of one rationale in one cluster count once
    /// in the diversity measures, as two mentions of one value do.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<ValueExpression>> Relabel(IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        ArgumentNullException.ThrowIfNull(perRationale);
        var texts = perRationale.SelectMany(r => r.Select(e => e.Text)).ToArray();
        var vectors = Embedder.Embed(texts);
        var at = 0;
        return perRationale.Select(r => (IReadOnlyList<ValueExpression>)r.Select(e => e with { Value = NameOf(vectors[at++]) }).ToArray()).ToArray();
    }

    /// <summary>
    /// Maps values of the paper's taxonomy (e.g. the sample's planted values) onto the clusters: a value goes to the
    /// cluster whose centroid is nearest to the embedding of its name, as clusters are named the other way round.
    /// </summary>
    public IReadOnlyDictionary<string, string> MapValues(IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.Distinct(StringComparer.Ordinal).ToArray();
        var vectors = Embedder.Embed(list);
        return list.Select((v, i) => (v, NameOf(vectors[i]))).ToDictionary(t => t.v, t => t.Item2, StringComparer.Ordinal);
    }

    /// <summary>
    /// The paper value a cluster is named after: the name without its "#n" suffix ("Integrity #2" → "Integrity"). Where
    /// a taxonomy must stay within the paper's values (the priors and profiles of chapters 07–09), clusters named after
    /// one value count as that value.
    /// </summary>
    public static string PaperValueOf(string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        var hash = clusterName.LastIndexOf(" #", StringComparison.Ordinal);
        return hash > 0 && int.TryParse(clusterName.AsSpan(hash + 2), out _) ? clusterName[..hash] : clusterName;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"ClusterTaxonomy({Names.Count} clusters of {Clustered} expressions; {Taxonomy.Coverage} of the paper's {PaperValues.Names.Count} values named)";
}
