using System.Globalization;
using System.Numerics.Tensors;
using System.Text;
using System.Text.Json;
using MoralGap.Data;

namespace MoralGap.Values;

/// <summary>One cluster of value expressions: a value of the recovered taxonomy.</summary>
/// <param name="Label">The cluster's label in the labelling it was built from.</param>
/// <param name="Size">Number of expressions in the cluster.</param>
/// <param name="Medoid">The expression with the highest mean cosine similarity to the others in the cluster (its name).</param>
/// <param name="MedoidMeanCosine">That mean cosine (1 for a single expression).</param>
/// <param name="MostFrequent">The most frequent expression (case-insensitive; ties go to the first seen).</param>
/// <param name="MostFrequentCount">How often it occurs in the cluster.</param>
/// <param name="NearestPaperValue">The reference value (by default the paper's 59) whose name embedding is nearest to the cluster centroid.</param>
/// <param name="NearestPaperCosine">Cosine between the centroid and that name.</param>
/// <param name="Members">Indices of the cluster's expressions in the input.</param>
public sealed record ValueCluster(int Label, int Size, string Medoid, double MedoidMeanCosine, string MostFrequent, int MostFrequentCount,
    string NearestPaperValue, double NearestPaperCosine, IReadOnlyList<int> Members)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"#{Label} \"{Medoid}\" ({Size} expressions; most frequent \"{MostFrequent}\" ×{MostFrequentCount}) ≈ {NearestPaperValue} ({NearestPaperCosine:0.00})";
}

/// <summary>
/// A value taxonomy: value expressions grouped into clusters (the paper clusters 3,783 expressions into its 60
/// values by embeddings and agglomerative clustering), each named by its medoid and its most frequent expression,
/// and mapped to the nearest of the paper's value names so one can see how much of Table 5 it recovers.
/// </summary>
/// <remarks>
/// The clustering itself is elsewhere (any <c>int[]</c> labelling works: agglomerative cuts, planted truth…).
/// <code>
/// var taxonomy = ValueTaxonomy.Build(expressions, vectors, labels);
/// taxonomy.Coverage; taxonomy.SaveTsv("taxonomy.tsv");
/// </code>
/// </remarks>
public sealed class ValueTaxonomy
{
    private ValueTaxonomy(IReadOnlyList<ValueCluster> clusters, IReadOnlyList<string> referenceNames, int expressionCount)
    {
        Clusters = clusters;
        ReferenceNames = referenceNames;
        ExpressionCount = expressionCount;
        CoveredValues = referenceNames.Where(r => clusters.Any(c => c.NearestPaperValue == r)).ToArray();
    }

    /// <summary>The clusters, largest first (ties by label).</summary>
    public IReadOnlyList<ValueCluster> Clusters { get; }

    /// <summary>The value names clusters were mapped to (by default <see cref="PaperValues.Names"/>).</summary>
    public IReadOnlyList<string> ReferenceNames { get; }

    /// <summary>Number of expressions clustered.</summary>
    public int ExpressionCount { get; }

    /// <summary>The reference values that are the nearest name of at least one cluster, in reference order.</summary>
    public IReadOnlyList<string> CoveredValues { get; }

    /// <summary>Coverage: how many reference values are nearest to some cluster (at most 59 for the paper's names).</summary>
    public int Coverage => CoveredValues.Count;

    /// <summary>
    /// Builds the taxonomy and maps clusters to the paper's 59 value names (<see cref="PaperValues.Names"/>), embedded with
    /// <paramref name="embedder"/> (<see cref="Embedder.Default"/> when null).
    /// </summary>
    public static ValueTaxonomy Build(IReadOnlyList<string> expressions, IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels, Embedder? embedder = null)
    {
        var names = PaperValues.Names.ToArray();
        return Build(expressions, embeddings, labels, names, (embedder ?? Embedder.Default).Embed(names));
    }

    /// <summary>
    /// Builds the taxonomy from expressions, their embeddings and a cluster label per expression, mapping each cluster
    /// to the reference name whose embedding has the highest cosine with the cluster centroid (the mean of the
    /// unit-length member vectors). The medoid maximises the mean cosine to the other members,
    /// (xᵢ·S − xᵢ·xᵢ)/(m − 1) with S the sum of the m unit member vectors, computed in O(m·d).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a vector is null, zero or of another length, or no reference name is given.</exception>
    public static ValueTaxonomy Build(IReadOnlyList<string> expressions, IReadOnlyList<float[]> embeddings, IReadOnlyList<int> labels,
        IReadOnlyList<string> referenceNames, IReadOnlyList<float[]> referenceEmbeddings)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(referenceNames);
        ArgumentNullException.ThrowIfNull(referenceEmbeddings);
        if (embeddings.Count != expressions.Count || labels.Count != expressions.Count)
            throw new ArgumentException($"{expressions.Count} expressions, {embeddings.Count} embeddings and {labels.Count} labels: lengths must agree.");
        if (referenceNames.Count == 0 || referenceNames.Count != referenceEmbeddings.Count)
            throw new ArgumentException($"{referenceNames.Count} reference names and {referenceEmbeddings.Count} reference embeddings.", nameof(referenceEmbeddings));
        var d = embeddings.Count > 0 ? embeddings[0]?.Length ?? 0 : 0;
        var unit = new float[embeddings.Count][];
        for (var i = 0; i < embeddings.Count; i++)
        {
            if (expressions[i] is null) throw new ArgumentException($"Expression {i} is null.", nameof(expressions));
            unit[i] = Unit(embeddings[i], d, $"Embedding {i}", nameof(embeddings));
        }
        var refs = referenceEmbeddings.Select((r, k) => Unit(r, d, $"Reference embedding {k} ({referenceNames[k]})", nameof(referenceEmbeddings))).ToArray();

        var clusters = new List<ValueCluster>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]))
        {
            var members = group.ToArray();
            var sum = new float[d];
            foreach (var i in members) TensorPrimitives.Add(sum, unit[i], sum);
            var m = members.Length;
            var medoid = members[0];
            var bestMean = double.NegativeInfinity;
            foreach (var i in members)
            {
                var mean = m == 1 ? 1.0 : (TensorPrimitives.Dot<float>(unit[i], sum) - TensorPrimitives.Dot<float>(unit[i], unit[i])) / (m - 1.0);
                if (mean > bestMean + 1e-12) { bestMean = mean; medoid = i; }
            }
            var frequent = members.GroupBy(i => expressions[i].Trim(), StringComparer.OrdinalIgnoreCase)
                .Select(g => (Text: expressions[g.First()].Trim(), Count: g.Count(), First: g.First()))
                .OrderByDescending(g => g.Count).ThenBy(g => g.First).First();
            var nearest = 0;
            var nearestCos = double.NegativeInfinity;
            for (var k = 0; k < refs.Length; k++)
            {
                var c = Embedder.Cosine(sum, refs[k]);
                if (c > nearestCos) { nearestCos = c; nearest = k; }
            }
            clusters.Add(new ValueCluster(group.Key, m, expressions[medoid].Trim(), bestMean, frequent.Text, frequent.Count,
                referenceNames[nearest], nearestCos, members));
        }
        return new ValueTaxonomy(clusters.OrderByDescending(c => c.Size).ThenBy(c => c.Label).ToArray(), referenceNames.ToArray(), expressions.Count);
    }

    private static float[] Unit(float[]? v, int d, string what, string param)
    {
        if (v is null) throw new ArgumentException($"{what} is null.", param);
        if (v.Length != d) throw new ArgumentException($"{what} has length {v.Length}, expected {d}.", param);
        var n = TensorPrimitives.Norm<float>(v);
        if (!(n > 0) || float.IsNaN(n)) throw new ArgumentException($"{what} is zero or not a number.", param);
        return Embedder.Normalize(v);
    }

    /// <summary>The taxonomy as TSV: label, size, medoid, medoid_mean_cosine, most_frequent, most_frequent_count, nearest_paper_value, nearest_cosine.</summary>
    public string ToTsv()
    {
        var sb = new StringBuilder("label\tsize\tmedoid\tmedoid_mean_cosine\tmost_frequent\tmost_frequent_count\tnearest_paper_value\tnearest_cosine\n");
        foreach (var c in Clusters)
            sb.Append(CultureInfo.InvariantCulture,
                $"{c.Label}\t{c.Size}\t{Tsv(c.Medoid)}\t{c.MedoidMeanCosine:0.0000}\t{Tsv(c.MostFrequent)}\t{c.MostFrequentCount}\t{c.NearestPaperValue}\t{c.NearestPaperCosine:0.0000}\n");
        return sb.ToString();
    }

    /// <summary>The taxonomy as indented JSON: expression count, coverage, covered values and clusters (with member indices).</summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        expressions = ExpressionCount,
        clusters = Clusters.Count,
        coverage = Coverage,
        referenceValues = ReferenceNames.Count,
        coveredValues = CoveredValues,
        taxonomy = Clusters.Select(c => new
        {
            label = c.Label, size = c.Size, medoid = c.Medoid, medoidMeanCosine = Math.Round(c.MedoidMeanCosine, 4),
            mostFrequent = c.MostFrequent, mostFrequentCount = c.MostFrequentCount,
            nearestPaperValue = c.NearestPaperValue, nearestCosine = Math.Round(c.NearestPaperCosine, 4), members = c.Members,
        }),
    }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Writes <see cref="ToTsv"/> to <paramref name="path"/> (UTF-8).</summary>
    public void SaveTsv(string path) => File.WriteAllText(path, ToTsv());

    private static string Tsv(string s) => s.Replace('\t', ' ').Replace('\n', ' ').Replace('\r', ' ');

    /// <inheritdoc/>
    public override string ToString() =>
        $"ValueTaxonomy: {Clusters.Count} clusters of {ExpressionCount} expressions; covers {Coverage} of {ReferenceNames.Count} reference values";
}
