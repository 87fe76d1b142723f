using Microsoft.Extensions.AI;

namespace MoralGap.Values;

/// <summary>A value expression together with the index of the rationale it came from.</summary>
public sealed record ExtractedExpression(int Rationale, ValueExpression Expression)
{
    /// <inheritdoc/>
    public override string ToString() => $"#{Rationale}: {Expression}";
}

/// <summary>
/// One-line entry points for notebooks:
/// <code>
/// var extractor = ValueExtraction.Offline("data/value-lexicon.tsv");       // or ValueExtraction.Llm(chatClient)
/// var perRationale = extractor.ExtractMany(rationales);
/// var expressions = ValueExtraction.Flatten(perRationale);                 // input for clustering and diversity
/// </code>
/// </summary>
public static class ValueExtraction
{
    /// <summary>The offline (embedding + lexicon) extractor; see <see cref="OfflineValueExtractor"/>.</summary>
    public static OfflineValueExtractor Offline(string lexiconPath, double threshold = OfflineValueExtractor.DefaultThreshold,
        int cap = OfflineValueExtractor.DefaultCap, Embedder? embedder = null) =>
        OfflineValueExtractor.Create(lexiconPath, embedder, threshold, cap);

    /// <summary>The LLM extractor over a chat client; see <see cref="LlmValueExtractor"/>.</summary>
    public static LlmValueExtractor Llm(IChatClient client, ChatOptions? options = null) => new(client, options);

    /// <summary>All expressions of all rationales, each with its rationale's index, in order.</summary>
    public static IReadOnlyList<ExtractedExpression> Flatten(IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        ArgumentNullException.ThrowIfNull(perRationale);
        return perRationale.SelectMany((list, i) => (list ?? throw new ArgumentException($"Result {i} is null.", nameof(perRationale)))
            .Select(e => new ExtractedExpression(i, e))).ToArray();
    }
}
