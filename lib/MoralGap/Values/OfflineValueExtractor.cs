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
/// <para>The paper extracted value expressions with an LLM (prompt unpublished); this extractor is our offline stand-in,
/// usable without a network (DESIGN.md §2). <see cref="LlmValueExtractor"/> is the LLM route.</para>
/// <code>
/// var extractor = OfflineValueExtractor.Create("data/value-lexicon.tsv");
/// extractor.Extract("NTA. She lied to you, and honesty matters in a marriage.");
/// </code>
/// </remarks>
public sealed class OfflineValueExtractor
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
    public OfflineValueExtractor(ValueLexicon lexicon, Embedder? embedder = null, double threshold = DefaultThreshold, int cap = DefaultCap, int minClauseWords = 3)
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
        phrases = lexicon.Entries.Select(e => e.Phrase).ToArray();
        phraseValues = lexicon.Entries.Select(e => e.Value).ToArray();
        phraseVectors = Embedder.Embed(phrases);
    }

    /// <summary>Loads the lexicon at <paramref name="lexiconPath"/> and builds an extractor (see the constructor).</summary>
    public static OfflineValueExtractor Create(string lexiconPath, Embedder? embedder = null, double threshold = DefaultThreshold, int cap = DefaultCap) =>
        new(ValueLexicon.Load(lexiconPath), embedder, threshold, cap);

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
        var vectors = Embedder.Embed(clauseTexts, progress, cancellationToken);
        var result = new IReadOnlyList<ValueExpression>[texts.Length];
        var at = 0;
        for (var r = 0; r < texts.Length; r++)
        {
            var best = new Dictionary<string, ValueExpression>();
            foreach (var span in clauses[r])
            {
                var (value, score) = Nearest(vectors[at++]);
                if (score < Threshold) continue;
                if (!best.TryGetValue(value, out var b) || score > b.Score)
                    best[value] = new ValueExpression(span.Of(texts[r]), span, value, score);
            }
            result[r] = best.Values.OrderByDescending(e => e.Score).ThenBy(e => e.Span!.Value.Start).Take(Cap)
                .OrderBy(e => e.Span!.Value.Start).ToArray();
        }
        return result;
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
