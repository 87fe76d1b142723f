using System.Text.RegularExpressions;

namespace MoralGap.Rewrite;

/// <summary>A stretch of a text: either narration or quoted speech.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Number of characters (quote marks included for quoted speech).</param>
/// <param name="IsQuote">True for quoted speech.</param>
public readonly record struct TextSpan(int Start, int Length, bool IsQuote)
{
    /// <summary>The characters of this span in <paramref name="text"/>.</summary>
    public string Of(string text) => text.Substring(Start, Length);
}

/// <summary>A first-person word found in narration.</summary>
/// <param name="Word">The word as written (e.g. <c>I</c>, <c>my</c>, <c>I'm</c>).</param>
/// <param name="Offset">Its offset in the text.</param>
public readonly record struct FirstPersonWord(string Word, int Offset);

/// <summary>
/// Where a text narrates and where it quotes, and whether its narration is in the first person.
/// <para><b>Quoted speech</b> is text between double quotes: straight <c>"…"</c> or curly <c>“…”</c>. A quote that is not
/// closed by the end of its paragraph (a blank line or the end of the text) ends there, so one stray quote mark cannot
/// hide the rest of a post. Single quotes are not read as speech: they are apostrophes far more often.</para>
/// <para><b>First-person narration</b> is any of these words, in any case, outside quoted speech: I, me, my, mine,
/// myself, we, us, our, ours, ourselves, ourself, their contractions (I'm, I've, I'd, I'll, we're, we've, we'd, we'll,
/// with a straight or curly apostrophe) and the apostrophe-less Reddit spellings im and ive. Two exceptions keep the
/// check honest rather than noisy: <c>US</c> in capitals (the country), and a lone capital <c>I</c> right after
/// "World War", "Part" or "Phase" (a numeral).</para>
/// </summary>
public static partial class Narration
{
    /// <summary>The first-person words the check looks for (lower case, straight apostrophe).</summary>
    public static IReadOnlyList<string> FirstPersonWords { get; } =
    [
        "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "ourself",
        "i'm", "i've", "i'd", "i'll", "we're", "we've", "we'd", "we'll", "im", "ive",
    ];

    private static readonly HashSet<string> FirstPerson = new(FirstPersonWords, StringComparer.Ordinal);

    [GeneratedRegex(@"[A-Za-z]+(?:['’][A-Za-z]+)?")]
    internal static partial Regex WordPattern();

    [GeneratedRegex(@"(?:World\s+War|Part|Phase)\s+$", RegexOptions.IgnoreCase)]
    private static partial Regex NumeralBefore();

    /// <summary>The text cut into narration and quoted speech, in order, covering every character.</summary>
    public static IReadOnlyList<TextSpan> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spans = new List<TextSpan>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '"' && c != '“') { i++; continue; }
            var end = FindClose(text, i + 1, c == '“' ? '”' : '"');
            if (i > start) spans.Add(new TextSpan(start, i - start, false));
            spans.Add(new TextSpan(i, end - i, true));
            start = i = end;
        }
        if (start < text.Length) spans.Add(new TextSpan(start, text.Length - start, false));
        return spans;
    }

    /// <summary>Offset just past the closing quote, or the end of the paragraph when the quote is not closed.</summary>
    private static int FindClose(string text, int from, char close)
    {
        for (var j = from; j < text.Length; j++)
        {
            var c = text[j];
            if (c == close || (close == '"' && c == '”')) return j + 1;
            if (c == '\n' && IsParagraphBreak(text, j)) return j;
        }
        return text.Length;
    }

    private static bool IsParagraphBreak(string text, int newline)
    {
        for (var k = newline + 1; k < text.Length; k++)
        {
            if (text[k] == '\n') return true;
            if (!char.IsWhiteSpace(text[k])) return false;
        }
        return true;
    }

    /// <summary>Normalises a word for lookup: lower case, curly apostrophe made straight.</summary>
    internal static string Key(string word) => word.ToLowerInvariant().Replace('’', '\'');

    /// <summary>True when <paramref name="word"/> at <paramref name="offset"/> of <paramref name="text"/> is first-person (see the class remarks).</summary>
    internal static bool IsFirstPerson(string text, string word, int offset)
    {
        if (!FirstPerson.Contains(Key(word))) return false;
        if (word == "US") return false;
        var from = Math.Max(0, offset - 20);
        if (word == "I" && NumeralBefore().IsMatch(text.Substring(from, offset - from))) return false;
        return true;
    }

    /// <summary>Every first-person word in the narration of <paramref name="text"/> (quoted speech is skipped).</summary>
    public static IReadOnlyList<FirstPersonWord> FirstPersonOutsideQuotes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<FirstPersonWord>();
        foreach (var span in Split(text))
        {
            if (span.IsQuote) continue;
            foreach (Match m in WordPattern().Matches(text, span.Start))
            {
                if (m.Index >= span.Start + span.Length) break;
                if (m.Index + m.Length > span.Start + span.Length) continue;
                if (IsFirstPerson(text, m.Value, m.Index)) found.Add(new FirstPersonWord(m.Value, m.Index));
            }
        }
        return found;
    }

    /// <summary>True when the narration of <paramref name="text"/> holds no first-person word.</summary>
    public static bool HasNoFirstPersonNarration(string text) => FirstPersonOutsideQuotes(text).Count == 0;
}
