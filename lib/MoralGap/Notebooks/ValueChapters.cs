using System.Globalization;
using MoralGap.Data;
using MoralGap.Values;

namespace MoralGap.Notebooks;

/// <summary>
/// How well one set of value labels per rationale recovers another (micro-averaged over (rationale, value) pairs):
/// precision = |found ∩ reference| / |found|, recall = |found ∩ reference| / |reference|, F1 their harmonic mean.
/// </summary>
/// <param name="Rationales">Rationales compared.</param>
/// <param name="Reference">(rationale, value) pairs in the reference (planted values, or the other extractor).</param>
/// <param name="Found">(rationale, value) pairs found.</param>
/// <param name="Matched">Pairs in both.</param>
public sealed record ValueRecovery(int Rationales, int Reference, int Found, int Matched)
{
    /// <summary>Matched / Found (NaN when nothing was found).</summary>
    public double Precision => Found == 0 ? double.NaN : (double)Matched / Found;

    /// <summary>Matched / Reference (NaN when the reference is empty).</summary>
    public double Recall => Reference == 0 ? double.NaN : (double)Matched / Reference;

    /// <summary>2PR / (P + R).</summary>
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Rationales} rationales: precision {Precision:P1}, recall {Recall:P1}, F1 {F1:0.000} ({Matched} of {Found} found, {Reference} in the reference)");
}

/// <summary>Value diversity of one source (humans, or one model): the paper's Finding 2 metrics with bootstrap CIs.</summary>
/// <param name="Source">The author (e.g. <c>human</c>, a model id).</param>
/// <param name="Rationales">Rationales of this source.</param>
/// <param name="WithValue">Rationales with at least one extracted value.</param>
/// <param name="Mentions">Value mentions (one per value per rationale).</param>
/// <param name="ValuesUsed">Distinct values mentioned.</param>
/// <param name="TaxonomySize">K, the number of values in the taxonomy (normalised entropy is H / ln K).</param>
/// <param name="TopKShare">Share of mentions on the 10 (k) most mentioned values, with its bootstrap CI (rationales resampled).</param>
/// <param name="NormalizedEntropy">H / ln K, with its bootstrap CI.</param>
/// <param name="Counts">Mentions per value, in taxonomy order.</param>
/// <param name="RarefiedTopKShare">Top-10 share at the sources' common number of mentions (<see cref="ValueChapters.Rarefy"/>), or null.</param>
/// <param name="RarefiedEntropy">Bias-corrected normalised entropy at the common number of mentions, or null.</param>
public sealed record SourceDiversity(string Source, int Rationales, int WithValue, int Mentions, int ValuesUsed, int TaxonomySize,
    BootstrapInterval TopKShare, BootstrapInterval NormalizedEntropy, int[] Counts,
    RarefiedValue? RarefiedTopKShare = null, RarefiedValue? RarefiedEntropy = null)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Source}: {WithValue}/{Rationales} rationales with a value, {Mentions} mentions of {ValuesUsed}/{TaxonomySize} values; top-10 share {TopKShare}; normalised entropy {NormalizedEntropy}")
        + (RarefiedTopKShare is null || RarefiedEntropy is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $"; rarefied to {RarefiedTopKShare.Mentions} mentions ({(RarefiedTopKShare.Repeats == 1 ? "all of them, exact" : $"{RarefiedTopKShare.Repeats} subsamples")}): top-10 share {RarefiedTopKShare.Mean:P1} [{RarefiedTopKShare.Lower:P1}, {RarefiedTopKShare.Upper:P1}], normalised entropy {RarefiedEntropy.Mean:0.000} [{RarefiedEntropy.Lower:0.000}, {RarefiedEntropy.Upper:0.000}]"));
}

/// <summary>Small helpers behind chapters 04–06 (value extraction, taxonomy, diversity), so the notebooks stay thin.</summary>
public static class ValueChapters
{
    /// <summary>The paper's Finding 2: top-10 share of human mentions (35.2%).</summary>
    public const double PaperHumanTop10 = 0.352;
    /// <summary>The paper's Finding 2: top-10 share of LLM mentions (81.6%).</summary>
    public const double PaperLlmTop10 = 0.816;
    /// <summary>The paper's Finding 2: normalised entropy of human value mentions (0.57).</summary>
    public const double PaperHumanEntropy = 0.57;
    /// <summary>The paper's Finding 2: normalised entropy of LLM value mentions (0.46).</summary>
    public const double PaperLlmEntropy = 0.46;

    /// <summary>The distinct values (lexicon labels) of each rationale's expressions.</summary>
    public static IReadOnlyList<IReadOnlyCollection<string>> ValueSets(IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        ArgumentNullException.ThrowIfNull(perRationale);
        return perRationale.Select(r => (IReadOnlyCollection<string>)r.Where(e => e.Value is not null).Select(e => e.Value!).Distinct().ToArray()).ToArray();
    }

    /// <summary>Micro precision/recall of <paramref name="found"/> against <paramref name="reference"/> (same rationales, same order).</summary>
    public static ValueRecovery Compare(IReadOnlyList<IReadOnlyCollection<string>> reference, IReadOnlyList<IReadOnlyCollection<string>> found)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(found);
        if (reference.Count != found.Count) throw new ArgumentException($"{reference.Count} reference rationales but {found.Count} found: they must be the same rationales.");
        int refs = 0, founds = 0, matched = 0;
        for (var i = 0; i < reference.Count; i++)
        {
            var r = reference[i].ToHashSet(StringComparer.OrdinalIgnoreCase);
            var f = found[i].Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            refs += r.Count; founds += f.Length; matched += f.Count(r.Contains);
        }
        return new ValueRecovery(reference.Count, refs, founds, matched);
    }

    /// <summary>
    /// The planted values of each judgment (<see cref="SampleTruth.Judgments"/>, matched by dilemma id and sample index);
    /// a judgment without planted truth throws (the sample's judgments all have one).
    /// </summary>
    public static IReadOnlyList<IReadOnlyCollection<string>> PlantedValues(SampleTruth truth, IReadOnlyList<Judgment> judgments)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(judgments);
        var byKey = truth.Judgments.ToDictionary(j => (j.DilemmaId, j.SampleIndex));
        return judgments.Select(j => byKey.TryGetValue((j.DilemmaId, j.SampleIndex), out var p)
            ? (IReadOnlyCollection<string>)p.Values.ToArray()
            : throw new KeyNotFoundException($"No planted truth for judgment {j.DilemmaId}#{j.SampleIndex} ({j.Author}).")).ToArray();
    }

    /// <summary>
    /// The planted value an expression came from: the first of its rationale's planted values that has a lexicon phrasing
    /// inside the expression (the sample writes one sentence per planted value around a lexicon phrasing); null when none does.
    /// </summary>
    public static string? PlantedValueOf(string expression, IEnumerable<string> plantedValues, Values.ValueLexicon lexicon)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(plantedValues);
        ArgumentNullException.ThrowIfNull(lexicon);
        return plantedValues.FirstOrDefault(v => lexicon.PhrasesOf(v).Any(p => expression.Contains(p, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>
    /// Labels free-form expressions (e.g. from <see cref="LlmValueExtractor"/>) with the lexicon value nearest to their
    /// embedding (<see cref="OfflineValueExtractor.Nearest"/>), so they can be compared with the offline extractor.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ValueExpression>> MapToLexicon(OfflineValueExtractor extractor, IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(perRationale);
        var texts = perRationale.SelectMany(r => r.Select(e => e.Text)).ToArray();
        var vectors = extractor.Embedder.Embed(texts);
        var at = 0;
        return perRationale.Select(r => (IReadOnlyList<ValueExpression>)r.Select(e =>
        {
            var (value, cosine) = extractor.Nearest(vectors[at++]);
            return e with { Value = value, Score = cosine };
        }).ToArray()).ToArray();
    }

    /// <summary>Mentions per value (one per distinct value per rationale) as a table: value, count, share; most frequent first.</summary>
    public static IReadOnlyList<ValueCount> CountValues(IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        var sets = ValueSets(perRationale);
        var total = sets.Sum(s => s.Count);
        return sets.SelectMany(s => s).GroupBy(v => v).Select(g => new ValueCount(g.Key, g.Count(), total == 0 ? 0 : (double)g.Count() / total))
            .OrderByDescending(c => c.Mentions).ThenBy(c => c.Value, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// Finding 2 for one source: top-k share and normalised entropy H / ln K (K = <paramref name="taxonomy"/>.Count,
    /// see <see cref="Diversity"/>; bias-corrected, <see cref="Diversity.CorrectedNormalizedEntropy"/>) with basic bootstrap
    /// CIs over rationales (<paramref name="replicates"/>, seeded). Rarefy several sources together with <see cref="Rarefy"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A value is not in the taxonomy, or no rationale mentions any value.</exception>
    public static SourceDiversity Summarize(string source, IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale, IReadOnlyList<string> taxonomy,
        int k = 10, int replicates = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        var index = taxonomy.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i, StringComparer.Ordinal);
        var sets = ValueSets(perRationale);
        var mentions = sets.Select((s, r) => s.Select(v => index.TryGetValue(v, out var i) ? i
            : throw new ArgumentException($"Rationale {r} of {source} mentions '{v}', which is not in the taxonomy of {taxonomy.Count} values.")).ToArray()).ToArray();
        if (mentions.All(m => m.Length == 0)) throw new ArgumentException($"No rationale of {source} mentions a value: nothing to measure.");
        var counts = Diversity.Counts(mentions.SelectMany(m => m), taxonomy.Count);
        return new SourceDiversity(source, sets.Count, mentions.Count(m => m.Length > 0), counts.Sum(), counts.Count(c => c > 0), taxonomy.Count,
            Diversity.TopKShareInterval(mentions, taxonomy.Count, k, replicates, seed: seed),
            Diversity.NormalizedEntropyInterval(mentions, taxonomy.Count, replicates, seed: seed), counts);
    }

    /// <summary>
    /// The sources at equal sample size: each source's top-10 share and bias-corrected normalised entropy
    /// (<see cref="Diversity.CorrectedNormalizedEntropy"/>) rarefied to the smallest source's number of mentions
    /// (<see cref="Diversity.Rarefied"/>: <paramref name="repeats"/> subsamples of mentions without replacement, seeded).
    /// The smallest source is returned at its own size, exactly.
    /// </summary>
    public static IReadOnlyList<SourceDiversity> Rarefy(IReadOnlyList<SourceDiversity> sources, int repeats = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) return [];
        var n = sources.Min(s => s.Mentions);
        return sources.Select(s => s with
        {
            RarefiedTopKShare = Diversity.Rarefied(s.Counts, n, c => Diversity.TopKShare(c, 10), repeats, seed),
            RarefiedEntropy = Diversity.Rarefied(s.Counts, n, c => Diversity.CorrectedNormalizedEntropy(c, s.TaxonomySize), repeats, seed),
        }).ToArray();
    }

    /// <summary>Rows for a table of per-source diversity next to the paper's numbers (rarefied columns empty unless <see cref="Rarefy"/>d).</summary>
    public static IReadOnlyList<DiversityRow> DiversityTable(IEnumerable<SourceDiversity> sources) =>
        sources.Select(s => new DiversityRow(
            s.Source, s.Rationales, s.WithValue, s.Mentions, s.ValuesUsed,
            s.TopKShare.Estimate.ToString("P1", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"[{s.TopKShare.Lower:P1}, {s.TopKShare.Upper:P1}]"),
            s.NormalizedEntropy.Estimate.ToString("0.000", CultureInfo.InvariantCulture),
            string.Create(CultureInfo.InvariantCulture, $"[{s.NormalizedEntropy.Lower:0.000}, {s.NormalizedEntropy.Upper:0.000}]"),
            s.RarefiedTopKShare is { } t ? string.Create(CultureInfo.InvariantCulture, $"{t.Mean:P1} [{t.Lower:P1}, {t.Upper:P1}] @{t.Mentions}") : "",
            s.RarefiedEntropy is { } h ? string.Create(CultureInfo.InvariantCulture, $"{h.Mean:0.000} [{h.Lower:0.000}, {h.Upper:0.000}] @{h.Mentions}") : "",
            s.Source.Equals(DilemmaDataset.Human, StringComparison.OrdinalIgnoreCase)
                ? string.Create(CultureInfo.InvariantCulture, $"{PaperHumanTop10:P1} / {PaperHumanEntropy:0.00}")
                : string.Create(CultureInfo.InvariantCulture, $"{PaperLlmTop10:P1} / {PaperLlmEntropy:0.00}"))).ToArray();

    /// <summary>
    /// The taxonomy a chapter measures over (its <c>Taxonomy</c> parameter): <c>lexicon</c> keeps the extractor's values
    /// (the lexicon's 59); <c>clusters</c> pools every source's extracted expressions, clusters them as chapter 05 does
    /// into <paramref name="clusterCount"/> clusters named by their nearest paper values (<see cref="ClusterTaxonomy"/>),
    /// and relabels every expression with its cluster, as the paper measures diversity over its clustered taxonomy.
    /// Returns the taxonomy's value names (K = their number), the relabelled expressions, and the clusters (null for the lexicon).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="taxonomy"/> is neither <c>lexicon</c> nor <c>clusters</c>.</exception>
    public static (IReadOnlyList<string> Names, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<ValueExpression>>> BySource, ClusterTaxonomy? Clusters)
        ApplyTaxonomy(string taxonomy, IReadOnlyDictionary<string, IReadOnlyList<IReadOnlyList<ValueExpression>>> bySource,
            OfflineValueExtractor extractor, int clusterCount = 60, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(bySource);
        ArgumentNullException.ThrowIfNull(extractor);
        switch (IsClusters(taxonomy))
        {
            case false:
                return (extractor.Lexicon.Values, bySource, null);
            case true:
                var expressions = bySource.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                    .SelectMany(kv => kv.Value.SelectMany(r => r.Select(e => e.Text))).ToArray();
                var clusters = ClusterTaxonomy.Build(expressions, clusterCount, extractor.Embedder, seed: seed);
                var relabelled = bySource.ToDictionary(kv => kv.Key, kv => clusters.Relabel(kv.Value), StringComparer.Ordinal);
                return (clusters.Names, relabelled, clusters);
        }
    }

    /// <summary>
    /// Reads a chapter's <c>Taxonomy</c> parameter: false for <c>lexicon</c>, true for <c>clusters</c> (case and spaces ignored).
    /// </summary>
    /// <exception cref="ArgumentException">Neither.</exception>
    public static bool IsClusters(string? taxonomy) => taxonomy?.Trim().ToLowerInvariant() switch
    {
        "lexicon" => false,
        "clusters" => true,
        _ => throw new ArgumentException($"Taxonomy = '{taxonomy}': use \"lexicon\" (the extractor's values) or \"clusters\" (extracted expressions clustered as in chapter 05).", nameof(taxonomy)),
    };

    /// <summary>
    /// Chapter 04's comparison of the two extractors: the LLM extractor (<see cref="LlmValueExtractor"/>, the first
    /// configured model, answers cached in <c>artifacts/llm-cache</c>) reads the first <paramref name="count"/> of
    /// <paramref name="rationales"/>; each free-form expression is labelled with its nearest lexicon value
    /// (<see cref="MapToLexicon"/>); the offline extractor's values on the same rationales (<paramref name="offline"/>,
    /// parallel to <paramref name="rationales"/>) are scored taking the LLM's as the reference, and the LLM's against
    /// the planted values when <paramref name="truth"/> is given. Returns null when no LLM is configured.
    /// </summary>
    public static async Task<LlmExtractorComparison?> CompareWithLlmExtractor(Llm.LlmConfiguration config, OfflineValueExtractor extractor,
        IReadOnlyList<Judgment> rationales, IReadOnlyList<IReadOnlyList<ValueExpression>> offline, int count, SampleTruth? truth = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(extractor);
        ArgumentNullException.ThrowIfNull(rationales);
        ArgumentNullException.ThrowIfNull(offline);
        if (config.IsSimulated) return null;
        var llm = ValueExtraction.Llm(config.CreateCachedClient(config.Models[0], Repo.Path("artifacts/llm-cache")));
        var subset = rationales.Take(count).ToList();
        var llmValues = MapToLexicon(extractor, await llm.ExtractManyAsync(subset.Select(j => j.Rationale), cancellationToken: cancellationToken));
        var examples = subset.Take(5).SelectMany((j, r) => llmValues[r].Select(e =>
            new LlmExpressionRow(j.Rationale, e.Text, e.Span?.ToString() ?? "(not found verbatim)", e.Value))).ToArray();
        return new LlmExtractorComparison(llm.ToString() ?? "LLM extractor", subset.Count, llmValues.Sum(r => r.Count), llm.UnparsedResponses, examples,
            Compare(ValueSets(llmValues), ValueSets(offline.Take(subset.Count).ToList())),
            truth is null ? null : Compare(PlantedValues(truth, subset), ValueSets(llmValues)));
    }

    /// <summary>What chapter 04 prints when no LLM is configured.</summary>
    public const string NoLlmForExtraction = "No LLM is configured, so the LLM extractor is skipped. Set OPENAI_API_KEY (or OPENAI_BASE_URL, or " +
        "AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY) and MORALGAP_MODELS, then rerun this chapter to compare both extractors.";

    /// <summary>
    /// An embedder with a disk cache shared by the chapters (<c>artifacts/embeddings/all-MiniLM-L6-v2.vec</c> under the
    /// repository root), so a rerun embeds only new texts.
    /// </summary>
    public static Embedder SharedEmbedder()
    {
        var folder = Repo.Path(Path.Combine("artifacts", "embeddings"));
        Directory.CreateDirectory(folder);
        return new Embedder(Path.Combine(folder, Embedder.ModelName + ".vec"));
    }

    /// <summary>
    /// Agreement between cluster labels and the planted value of each expression: the Adjusted Rand Index
    /// (<see cref="ClusterAgreement.AdjustedRandIndex(IReadOnlyList{int}, IReadOnlyList{int})"/>) over the expressions whose planted value is known
    /// (<paramref name="plantedValue"/> not null; the others are counted, not silently dropped).
    /// </summary>
    public static PlantedClusterAgreement CompareWithPlanted(IReadOnlyList<int> labels, IReadOnlyList<string?> plantedValue)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(plantedValue);
        if (labels.Count != plantedValue.Count) throw new ArgumentException($"{labels.Count} labels but {plantedValue.Count} planted values: lengths must agree.");
        var known = Enumerable.Range(0, labels.Count).Where(i => plantedValue[i] is not null).ToArray();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var planted = known.Select(i => ids.TryGetValue(plantedValue[i]!, out var id) ? id : ids[plantedValue[i]!] = ids.Count).ToArray();
        var clusters = known.Select(i => labels[i]).ToArray();
        return new PlantedClusterAgreement(labels.Count, known.Length, ids.Count, clusters.Distinct().Count(),
            ClusterAgreement.AdjustedRandIndex(clusters, planted));
    }

    /// <summary>
    /// A seeded sample of at most <paramref name="max"/> indices out of <paramref name="count"/>, in increasing order
    /// (all of them when <paramref name="max"/> ≤ 0 or ≥ count).
    /// </summary>
    public static int[] SampleIndices(int count, int max, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (max <= 0 || max >= count) return Enumerable.Range(0, count).ToArray();
        var rng = new Random(seed);
        var all = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(all);
        return all.Take(max).Order().ToArray();
    }
}

/// <summary>How well clusters recover the planted values of their expressions.</summary>
/// <param name="Expressions">Expressions clustered.</param>
/// <param name="WithPlanted">Expressions whose planted value is known (the ARI is over these).</param>
/// <param name="PlantedValues">Distinct planted values among them.</param>
/// <param name="Clusters">Distinct clusters among them.</param>
/// <param name="AdjustedRandIndex">ARI between clusters and planted values (1 = same partition, ≈ 0 = chance).</param>
public sealed record PlantedClusterAgreement(int Expressions, int WithPlanted, int PlantedValues, int Clusters, double AdjustedRandIndex)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"ARI = {AdjustedRandIndex:0.000} between {Clusters} clusters and {PlantedValues} planted values over {WithPlanted} of {Expressions} expressions (the rest have no recognisable planted value)");
}

/// <summary>
/// One row of <see cref="ValueChapters.DiversityTable"/>: a source's diversity, formatted, beside the paper's (top-10 share / entropy).
/// The rarefied columns read "mean [2.5 %, 97.5 %] @n" at the common number of mentions n.
/// </summary>
public sealed record DiversityRow(string Source, int Rationales, int WithValue, int Mentions, int ValuesUsed,
    string Top10Share, string Top10CI, string NormalizedEntropy, string EntropyCI, string RarefiedTop10, string RarefiedEntropy, string Paper);

/// <summary>How often a value is mentioned.</summary>
/// <param name="Value">The value.</param>
/// <param name="Mentions">Rationales mentioning it.</param>
/// <param name="Share">Mentions / all mentions.</param>
public sealed record ValueCount(string Value, int Mentions, double Share);

/// <summary>One expression the LLM extractor found, for chapter 04's example table.</summary>
public sealed record LlmExpressionRow(string Rationale, string Expression, string Span, string? NearestValue);

/// <summary>
/// The LLM extractor against the offline one on the same rationales (<see cref="ValueChapters.CompareWithLlmExtractor"/>).
/// </summary>
/// <param name="Extractor">The LLM extractor's description.</param>
/// <param name="Rationales">Rationales read.</param>
/// <param name="Expressions">Expressions the LLM listed.</param>
/// <param name="Unparsed">Answers that could not be parsed.</param>
/// <param name="Examples">The expressions of the first five rationales.</param>
/// <param name="OfflineVsLlm">The offline extractor's values scored against the LLM's.</param>
/// <param name="LlmVsPlanted">The LLM's values scored against the planted ones (embedded sample only), or null.</param>
public sealed record LlmExtractorComparison(string Extractor, int Rationales, int Expressions, int Unparsed,
    IReadOnlyList<LlmExpressionRow> Examples, ValueRecovery OfflineVsLlm, ValueRecovery? LlmVsPlanted)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Extractor}: {Expressions} expressions from {Rationales} rationales ({Unparsed} unparsed answers).\n" +
        $"Offline vs LLM extractor: {OfflineVsLlm}" + (LlmVsPlanted is null ? "" : $"\nLLM extractor vs planted values: {LlmVsPlanted}");
}
