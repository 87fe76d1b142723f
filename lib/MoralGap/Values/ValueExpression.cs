namespace MoralGap.Values;

/// <summary>A span of characters in a rationale: <c>rationale.Substring(Start, Length)</c>.</summary>
public readonly record struct TextSpan(int Start, int Length)
{
    /// <summary>One past the last character.</summary>
    public int End => Start + Length;

    /// <summary>The text this span covers in <paramref name="source"/>.</summary>
    public string Of(string source) => source.Substring(Start, Length);

    /// <inheritdoc/>
    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>
/// A value expression: a short piece of text through which a rationale appeals to a value (the paper extracts 3,783
/// of them from human and LLM rationales before clustering them into its taxonomy).
/// </summary>
/// <param name="Text">The expression: a clause of the rationale (offline extractor) or the model's wording (LLM extractor).</param>
/// <param name="Span">Where the expression sits in the rationale, or null when it does not appear there verbatim.</param>
/// <param name="Value">The value of the paper's taxonomy (<see cref="MoralGap.Data.PaperValues"/>) it maps to, or null when unmapped.</param>
/// <param name="Score">How strongly it maps (cosine to the nearest lexicon phrase for the offline extractor), or null.</param>
public sealed record ValueExpression(string Text, TextSpan? Span, string? Value, double? Score)
{
    /// <inheritdoc/>
    public override string ToString() =>
        (Value is null ? "" : Value + " ← ") + "\"" + Text + "\"" + (Score is { } s ? $" ({s:0.000})" : "") + (Span is { } sp ? " " + sp : "");
}
