using System.Numerics.Tensors;

namespace MoralGap.Values;

/// <summary>
/// The offline value extractor: splits a rationale into clauses (<see cref="ClauseSplitter"/>), embeds them
/// (<see cref="Embedder"/>), and maps each clause to the value of its nearest lexicon phrasing
/// (<see cref="ValueLexicon"/>) when that cosine similarity reaches <see cref="Threshold"/>.
/// </summary>
/// <remarks>
/// <para>Per rationale: a clause yields at most one value (its nearest phrasing's); a value is reported once, by its
/// best-matching clause; the <see cref="Cap"/> best-scoring values are kept and returned in reading order.</para>
/// <para>With <see cref="MultiLabel"/>, a clause yields every value it names: the clause is also cut into its
/// coordinated parts (at "and", "or", "as well as", "/" and commas, however short the parts), each part is matched like a
/// clause, and each value whose nearest phrasing (the value's own name counts as a phrasing) reaches the threshold in
/// the clause or in a part is reported, with the clause's span ("justice and autonomy" yields Justice and Autonomy).
/// It is off by default so the chapters' committed outputs stay as they are.</para>
/// <para>The paper extracted value expressions with an LLM (prompt unpublished); this extractor is our offline stand-in,
/// usable without a network (the offline default beside the LLM extractor). <see cref="LlmValueExtractor"/> is the LLM route.</para>
/// <code>
/// var extractor = OfflineValueExtractor.Create("data/value-lexicon.tsv");
/// extractor.Extract("NTA. She lied to you, and honesty matters in a marriage.");
/// </code>
/// </remarks>
public sealed partial class OfflineValueExtractor
{
    /// <summary>Default cosine threshold, tuned on real human and GPT-4o rationales (see the tests).</summary>
    public const double DefaultThreshold = 0.45;

    /// <summary>Default maximum number of values per rationale.</summary>
    public const int DefaultCap = 3;

    private readonly float[][] phraseVectors;
    private readonly string[] phraseValues;
    private readonly string[] phrases;

    /// <summary>Builds an extractor over a loaded lexicon (embeds its phrasings once).</summary>
    /// <param name="lexicon">The value lexicon.</param>
    /// <param name="embedder">The embedder; <see cref="Embedder.Default"/> when null.</param>
    /// <param name="threshold">Minimum cosine between a clause and a lexicon phrasing, in (−1, 1].</param>
    /// <param name="cap">Maximum number of values per rationale (≥ 1).</param>
    /// <param name="minClauseWords">Passed to <see cref="ClauseSplitter.Split"/>.</param>
    /// <param name="multiLabel">When true, a clause yields every value it names (see the remarks).</param>
    public OfflineValueExtractor(ValueLexicon lexicon, Embedder? embedder = null, double threshold = DefaultThreshold, int cap = DefaultCap, int minClauseWords = 3, bool multiLabel = false)
    {
        ArgumentNullException.ThrowIfNull(lexicon);
        if (!(threshold > -1 && threshold <= 1))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "A cosine threshold must lie in (-1, 1].");
        ArgumentOutOfRangeException.ThrowIfLessThan(cap, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minClauseWords, 1);
        Lexicon = lexicon;
        Embedder = embedder ?? Embedder.Default;
        Threshold = threshold;
        Cap = cap;
        MinClauseWords = minClauseWords;
        MultiLabel = multiLabel;
        // Multi-label matching also counts each value's own name as a phrasing, so a bare "autonomy" finds Autonomy.
        var entries = lexicon.Entries.Select(e => (e.Value, e.Phrase));
        if (multiLabel) entries = entries.Concat(lexicon.Values.Select(v => (v, v)));
        phrases = entries.Select(e => e.Phrase).ToArray();
        phraseValues = entries.Select(e => e.Value).ToArray();
        phraseVectors = Embedder.Embed(phrases);
    }

    /// <summary>
    /// Loads the lexicon at <paramref name="lexiconPath"/> (plus, when given, the added phrasings of
    /// <paramref name="morePhrasingsPath"/>, see <see cref="ValueLexicon.WithPhrasings"/>) and builds an extractor (see the constructor).
    /// </summary>
    public static OfflineValueExtractor Create(string lexiconPath, Embedder? embedder = null, double threshold = DefaultThreshold, int cap = DefaultCap,
        bool multiLabel = false, string? morePhrasingsPath = null)
    {
        var lexicon = ValueLexicon.Load(lexiconPath);
        if (morePhrasingsPath is not null) lexicon = lexicon.WithPhrasings(morePhrasingsPath);
        return new(lexicon, embedder, threshold, cap, multiLabel: multiLabel);
    }

    /// <summary>The lexicon.</summary>
    public ValueLexicon Lexicon { get; }

    /// <summary>The embedder.</summary>
    public Embedder Embedder { get; }

    /// <summary>Minimum cosine similarity for a clause to express a value.</summary>
    public double Threshold { get; }

    /// <summary>Maximum number of values per rationale.</summary>
    public int Cap { get; }

    /// <summary>Minimum words per clause.</summary>
    public int MinClauseWords { get; }

    /// <summary>Whether a clause yields every value it names rather than only its nearest.</summary>
    public bool MultiLabel { get; }

    [System.Text.RegularExpressions.GeneratedRegex(@"\s+(?:and|or|as well as)\s+|\s*[,/&]\s*", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex Coordination();

    /// <summary>The coordinated parts of a clause (at "and", "or", "as well as", "/", "&amp;" and commas); empty when it has only one.</summary>
    public static string[] CoordinatedParts(string clause)
    {
        ArgumentNullException.ThrowIfNull(clause);
        var parts = Coordination().Split(clause).Select(p => p.Trim()).Where(p => p.Length > 0).ToArray();
        return parts.Length > 1 ? parts : [];
    }

    /// <summary>The value expressions of one rationale.</summary>
    public IReadOnlyList<ValueExpression> Extract(string rationale) => ExtractMany([rationale])[0];

    /// <summary>The value expressions of each rationale, in order (clauses of all rationales are embedded in shared batches).</summary>
    /// <exception cref="ArgumentException">A rationale is null (its index is named).</exception>
    public IReadOnlyList<IReadOnlyList<ValueExpression>> ExtractMany(IEnumerable<string> rationales, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rationales);
        var texts = rationales.ToArray();
        var clauses = new IReadOnlyList<TextSpan>[texts.Length];
        var clauseTexts = new List<string>();
        for (var r = 0; r < texts.Length; r++)
        {
            if (texts[r] is null) throw new ArgumentException($"Rationale {r} is null.", nameof(rationales));
            clauses[r] = ClauseSplitter.Split(texts[r], MinClauseWords);
            foreach (var c in clauses[r]) clauseTexts.Add(c.Of(texts[r]));
        }
        // Multi-label: each clause's coordinated parts are embedded after all clauses, in clause order.
        var parts = MultiLabel ? clauseTexts.Select(CoordinatedParts).ToArray() : null;
        var vectors = Embedder.Embed(parts is null ? clauseTexts : [.. clauseTexts, .. parts.SelectMany(p => p)], progress, cancellationToken);
        var partAt = clauseTexts.Count;
        var result = new IReadOnlyList<ValueExpression>[texts.Length];
        var at = 0;
        for (var r = 0; r < texts.Length; r++)
        {
            var best = new Dictionary<string, ValueExpression>();
            foreach (var span in clauses[r])
            {
                var candidates = new List<(string Value, double Score)>();
                if (parts is null) candidates.Add(Nearest(vectors[at]));
                else
                {
                    candidates.AddRange(ValuesAbove(vectors[at]));
                    for (var k = 0; k < parts[at].Length; k++) candidates.AddRange(ValuesAbove(vectors[partAt++]));
                }
                at++;
                foreach (var (value, score) in candidates)
                {
                    if (score < Threshold) continue;
                    if (!best.TryGetValue(value, out var b) || score > b.Score)
                        best[value] = new ValueExpression(span.Of(texts[r]), span, value, score);
                }
            }
            result[r] = best.Values.OrderByDescending(e => e.Score).ThenBy(e => e.Span!.Value.Start).Take(Cap)
                .OrderBy(e => e.Span!.Value.Start).ToArray();
        }
        return result;
    }

    /// <summary>Each value whose nearest phrasing to <paramref name="vector"/> reaches <see cref="Threshold"/>, with that cosine.</summary>
    private IEnumerable<(string Value, double Score)> ValuesAbove(float[] vector)
    {
        var best = new Dictionary<string, double>();
        for (var p = 0; p < phraseVectors.Length; p++)
        {
            double s = TensorPrimitives.Dot<float>(vector, phraseVectors[p]);
            if (s >= Threshold && (!best.TryGetValue(phraseValues[p], out var b) || s > b)) best[phraseValues[p]] = s;
        }
        return best.Select(kv => (kv.Key, kv.Value));
    }

    /// <summary>The value of the lexicon phrasing nearest to <paramref name="vector"/> and its cosine (vectors are unit length).</summary>
    public (string Value, double Cosine) Nearest(float[] vector)
    {
        ArgumentNullException.ThrowIfNull(vector);
        var bestScore = double.NegativeInfinity;
        var bestIndex = -1;
        for (var p = 0; p < phraseVectors.Length; p++)
        {
            double s = TensorPrimitives.Dot<float>(vector, phraseVectors[p]);
            if (s > bestScore) { bestScore = s; bestIndex = p; }
        }
        return (phraseValues[bestIndex], bestScore);
    }

    /// <inheritdoc/>
    public override string ToString() => $"OfflineValueExtractor(threshold {Threshold}, cap {Cap}, {Lexicon})";
}
