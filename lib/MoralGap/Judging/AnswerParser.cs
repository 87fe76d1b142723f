using System.Text.RegularExpressions;
using MoralGap.Data;
using MoralGap.Llm;

namespace MoralGap.Judging;

/// <summary>What became of one LLM call.</summary>
public enum OutcomeKind
{
    /// <summary>An answer with a verdict.</summary>
    Ok,
    /// <summary>The model declined to judge (no verdict).</summary>
    Refusal,
    /// <summary>An answer in which no single verdict could be found.</summary>
    Unparseable,
    /// <summary>An answer cut off by the token limit (finish reason <c>length</c>) before a verdict could be read.</summary>
    Truncated,
    /// <summary>The server kept answering with an HTTP error (after retries, or at once for 4xx client errors).</summary>
    HttpError,
    /// <summary>Every attempt timed out.</summary>
    Timeout,
    /// <summary>The server's reply could not be read as a chat completion (e.g. malformed JSON), after retries.</summary>
    BadResponse,
    /// <summary>Any other failure (network error…), after retries.</summary>
    Error,
}

/// <summary>The parse of one answer.</summary>
/// <param name="Kind"><see cref="OutcomeKind.Ok"/>, <see cref="OutcomeKind.Refusal"/>, <see cref="OutcomeKind.Unparseable"/> or <see cref="OutcomeKind.Truncated"/>.</param>
/// <param name="Verdict">The verdict, only when <paramref name="Kind"/> is Ok.</param>
/// <param name="RawLabel">ACCEPTABLE / UNACCEPTABLE as written, or REFUSAL / UNPARSEABLE / TRUNCATED.</param>
/// <param name="Rationale">The rationale line(s); for failures the whole answer, so it can be inspected.</param>
public sealed record ParsedAnswer(OutcomeKind Kind, Verdict? Verdict, string RawLabel, string Rationale);

/// <summary>
/// A tolerant reader of the two-line answer (<c>Evaluation: …</c> / <c>Rationale: …</c>). It ignores case, markdown
/// (bold, italics, headers, code, bullets), extra text around the lines and the order of the lines; it reads "NOT
/// ACCEPTABLE" as UNACCEPTABLE. Without an evaluation line it accepts a single verdict word that stands alone in the
/// answer. Refusals and answers with no verdict or both verdicts are recorded as such, never as a verdict.
/// </summary>
public static class AnswerParser
{
    private static readonly Regex Markdown = new(@"(\*\*|__|\*|`+|^#{1,6}\s*|^\s*[-•>]\s+)", RegexOptions.Multiline | RegexOptions.Compiled);
    private static readonly Regex LabelLine = new(@"^\s*(?<label>evaluation|verdict|judg(?:e)?ment|answer|rationale|reason(?:ing)?|explanation)\s*[:：\-–]\s*(?<rest>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.Compiled);
    private static readonly Regex VerdictWord = new(@"\b(?<not>not\s+)?(?<word>un)?acceptable\b", RegexOptions.IgnoreCase | RegexOptions.Compiled);
    private static readonly Regex Refusal = new(
        @"\b(i\s*(?:'|’)?m\s+sorry|i\s+(?:can\s*not|can(?:'|’)?t|won(?:'|’)?t|will\s+not|am\s+unable|'m\s+unable|must\s+decline|decline)|as\s+an\s+ai|i\s+do\s+not\s+feel\s+comfortable|not\s+able\s+to\s+(?:judge|evaluate|help)|cannot\s+(?:help|assist|provide|make))",
        RegexOptions.IgnoreCase | RegexOptions.Compiled);

    /// <summary>Parses one answer; <paramref name="finishReason"/> (e.g. <c>length</c>) tells truncation apart.</summary>
    public static ParsedAnswer Parse(string? answer, string? finishReason = null)
    {
        var raw = answer ?? "";
        var text = Markdown.Replace(raw.Replace("\r\n", "\n"), "");
        string? evaluation = null, rationale = null;
        foreach (Match m in LabelLine.Matches(text))
        {
            var label = m.Groups["label"].Value.ToLowerInvariant();
            var rest = m.Groups["rest"].Value.Trim();
            if (label.StartsWith("rationale") || label.StartsWith("reason") || label.StartsWith("explanation"))
            {
                rationale ??= RestOfBlock(text, m);
            }
            else
            {
                evaluation ??= rest;
            }
        }

        Verdict? verdict = null;
        string? word = null;
        if (evaluation is not null) (verdict, word) = SingleVerdict(evaluation);
        if (verdict is null)
        {
            // No usable evaluation line: accept a verdict word only if it is the only kind in the whole answer
            // outside the rationale, so "ACCEPTABLE or UNACCEPTABLE" echoes stay unparseable.
            var outside = rationale is null ? text : text.Replace(rationale, "");
            (verdict, word) = SingleVerdict(outside);
        }

        var truncated = string.Equals(finishReason, "length", StringComparison.OrdinalIgnoreCase);
        if (verdict is { } v)
            return new ParsedAnswer(OutcomeKind.Ok, v, word!, (rationale ?? RationaleFallback(text)).Trim());
        if (truncated) return new ParsedAnswer(OutcomeKind.Truncated, null, "TRUNCATED", raw.Trim());
        if (Refusal.IsMatch(text) || string.Equals(finishReason, "content_filter", StringComparison.OrdinalIgnoreCase))
            return new ParsedAnswer(OutcomeKind.Refusal, null, "REFUSAL", raw.Trim());
        return new ParsedAnswer(OutcomeKind.Unparseable, null, "UNPARSEABLE", raw.Trim());
    }

    private static (Verdict?, string?) SingleVerdict(string text)
    {
        var found = VerdictWord.Matches(text)
            .Select(m => m.Groups["word"].Success || m.Groups["not"].Success ? Verdict.Unacceptable : Verdict.Acceptable)
            .Distinct().ToList();
        return found.Count == 1 ? (found[0], PromptConventions.Word(found[0])) : (null, null);
    }

    private static string RestOfBlock(string text, Match label)
    {
        // The rationale runs from its label to the next labelled line (or the end).
        var start = label.Groups["rest"].Index;
        var next = LabelLine.Match(text, label.Index + label.Length);
        var end = next.Success ? next.Index : text.Length;
        return text[start..end].Trim();
    }

    private static string RationaleFallback(string text) =>
        // Every line that is neither a labelled line nor a bare verdict word ("**UNACCEPTABLE**").
        string.Join(" ", text.Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !LabelLine.IsMatch(l) && VerdictWord.Replace(l, "").Trim(' ', '.', '!', ':').Length > 0));
}
