using System.Text.RegularExpressions;

namespace MoralGap.Values;

/// <summary>
/// Splits a rationale into clauses, the units the offline extractor matches against the value lexicon: first into
/// sentences (at . ! ? followed by a space, and at line breaks; common abbreviations such as "e.g." and "Mr." do not
/// end a sentence), then each sentence at ; : , and dashes, and before connectives such as "because", "but", "and",
/// "although", "so", "which". A piece with fewer than <c>minWords</c> words is merged back into its neighbour, so
/// "honest and kind" stays one clause while "she lied, and that broke his trust" becomes two.
/// </summary>
/// <remarks>A rule-based splitter (no parser in the offline toolset); it aims at clauses a reader would call sensible, not at syntax.</remarks>
public static partial class ClauseSplitter
{
    [GeneratedRegex(@"(?<=[.!?]+[""'”’)\]]*)\s+|\r?\n+", RegexOptions.CultureInvariant)]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"[;:,]|\s[-–—]+\s|—|–|\(|\)", RegexOptions.CultureInvariant)]
    private static partial Regex PunctuationCut();

    [GeneratedRegex(@"\b(?:because|but|although|though|however|whereas|while|yet|and|or|so|since|unless|which|otherwise|instead of|rather than|as long as|even if|even though|especially|considering|given that)\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ConnectiveCut();

    [GeneratedRegex(@"[\p{L}\p{N}']+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();

    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    { "e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "vs.", "etc.", "st.", "jr.", "sr.", "approx.", "no." };

    private static readonly char[] Trim = [' ', '\t', '\r', '\n', ',', ';', ':', '-', '–', '—', '.', '!', '?', '(', ')', '*', '"', '“', '”'];

    /// <summary>The sentences of <paramref name="text"/>, as spans (trimmed of surrounding whitespace).</summary>
    public static IReadOnlyList<TextSpan> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<TextSpan>();
        var start = 0;
        foreach (Match m in SentenceBreak().Matches(text))
        {
            if (m.Value.IndexOf('\n') < 0 && EndsWithAbbreviation(text, m.Index)) continue;
            Add(spans, text, start, m.Index, trim: [' ', '\t', '\r', '\n']);
            start = m.Index + m.Length;
        }
        Add(spans, text, start, text.Length, trim: [' ', '\t', '\r', '\n']);
        return spans;
    }

    /// <summary>The clauses of <paramref name="text"/>, as spans in reading order.</summary>
    /// <param name="text">A rationale.</param>
    /// <param name="minWords">Pieces with fewer words are merged into a neighbour in the same sentence (≥ 1).</param>
    public static IReadOnlyList<TextSpan> Split(string text, int minWords = 3)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(minWords, 1);
        var clauses = new List<TextSpan>();
        foreach (var sentence in Sentences(text))
        {
            var s = sentence.Of(text);
            // Cut points: after punctuation, before connectives.
            var cuts = new SortedSet<int> { 0, s.Length };
            foreach (Match m in PunctuationCut().Matches(s)) { cuts.Add(m.Index); cuts.Add(m.Index + m.Length); }
            foreach (Match m in ConnectiveCut().Matches(s)) cuts.Add(m.Index);
            var pieces = new List<TextSpan>();
            var points = cuts.ToArray();
            for (var k = 0; k + 1 < points.Length; k++)
                Add(pieces, s, points[k], points[k + 1], Trim);
            // Merge short pieces into the previous one (or the next when first).
            var merged = new List<TextSpan>();
            foreach (var p in pieces)
            {
                if (merged.Count > 0 && (Words(s, p) < minWords || Words(s, merged[^1]) < minWords))
                    merged[^1] = new TextSpan(merged[^1].Start, p.End - merged[^1].Start);
                else merged.Add(p);
            }
            foreach (var p in merged)
                if (Words(s, p) > 0) clauses.Add(new TextSpan(sentence.Start + p.Start, p.Length));
        }
        return clauses;
    }

    /// <summary>The clause texts of <paramref name="text"/> (see <see cref="Split"/>).</summary>
    public static string[] SplitText(string text, int minWords = 3) => Split(text, minWords).Select(s => s.Of(text)).ToArray();

    private static int Words(string s, TextSpan p) => Word().Count(s.AsSpan(p.Start, p.Length));

    private static bool EndsWithAbbreviation(string text, int breakAt)
    {
        var i = breakAt;
        while (i > 0 && !char.IsWhiteSpace(text[i - 1])) i--;
        return Abbreviations.Contains(text[i..breakAt]);
    }

    private static void Add(List<TextSpan> spans, string text, int start, int end, char[] trim)
    {
        while (start < end && Array.IndexOf(trim, text[start]) >= 0) start++;
        while (end > start && Array.IndexOf(trim, text[end - 1]) >= 0) end--;
        if (end > start) spans.Add(new TextSpan(start, end - start));
    }
}
