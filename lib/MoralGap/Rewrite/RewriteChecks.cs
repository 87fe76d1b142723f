using System.Text.RegularExpressions;

namespace MoralGap.Rewrite;

/// <summary>The limits a rewrite is checked against.</summary>
/// <param name="MinLengthRatio">Lowest allowed ratio of rewrite words to original words (title and text together).</param>
/// <param name="MaxLengthRatio">Highest allowed ratio. "the main actor" is three words where "I" was one, so a faithful
/// rewrite of a post full of "I" grows; 0.5–1.6 allows that and catches a rewrite that dropped half the story or padded it.</param>
public sealed record RewriteCheckOptions(double MinLengthRatio = 0.5, double MaxLengthRatio = 1.6)
{
    /// <summary>The defaults: 0.5 ≤ words(rewrite) / words(original) ≤ 1.6.</summary>
    public static RewriteCheckOptions Default { get; } = new();
}

/// <summary>
/// The checks on one rewrite (title and text together).
/// <list type="bullet">
/// <item><b>Anchored</b>: names "the main actor" (any case) and has no first-person narration outside quoted speech
/// (<see cref="Narration.FirstPersonOutsideQuotes"/>).</item>
/// <item><b>Length</b>: words(rewrite) / words(original) within <see cref="RewriteCheckOptions"/>.</item>
/// <item><b>No verdict words</b> in the narration (<see cref="RewriteChecks.VerdictWordsIn"/>).</item>
/// </list>
/// </summary>
/// <param name="NamesMainActor">"the main actor" occurs.</param>
/// <param name="FirstPerson">First-person words left in the narration (empty when none).</param>
/// <param name="LengthRatio">words(rewrite) / words(original).</param>
/// <param name="LengthInRange">The ratio is within the limits.</param>
/// <param name="VerdictWords">Verdict or AITA-framing words found in the narration (empty when none).</param>
/// <param name="Limits">The limits used.</param>
public sealed record RewriteCheck(bool NamesMainActor, IReadOnlyList<string> FirstPerson, double LengthRatio, bool LengthInRange,
    IReadOnlyList<string> VerdictWords, RewriteCheckOptions Limits)
{
    /// <summary>Names "the main actor" and no first-person narration is left.</summary>
    public bool Anchored => NamesMainActor && FirstPerson.Count == 0;

    /// <summary>Every check passed.</summary>
    public bool Passed => Anchored && LengthInRange && VerdictWords.Count == 0;

    /// <summary>What failed, one phrase each (empty when <see cref="Passed"/>).</summary>
    public IReadOnlyList<string> Failures
    {
        get
        {
            var list = new List<string>();
            if (!NamesMainActor) list.Add("does not name \"the main actor\"");
            if (FirstPerson.Count > 0) list.Add("first-person narration left (" + string.Join(", ", FirstPerson.Distinct().Take(5)) + ")");
            if (!LengthInRange) list.Add($"length ratio {LengthRatio:0.00} outside {Limits.MinLengthRatio:0.##}–{Limits.MaxLengthRatio:0.##}");
            if (VerdictWords.Count > 0) list.Add("verdict words (" + string.Join(", ", VerdictWords.Distinct().Take(5)) + ")");
            return list;
        }
    }
}

/// <summary>The checks every rewrite passes before it enters the dataset (see <see cref="RewriteCheck"/>).</summary>
public static partial class RewriteChecks
{
    /// <summary>The phrase that anchors a rewrite.</summary>
    public const string MainActor = "the main actor";

    /// <summary>
    /// Verdict and AITA-framing words, case-insensitive and whole words: the forum's acronyms (AITA, AITAH, WIBTA, WIBTAH,
    /// YTA, YTAH, NTA, NTAH, ESH, NAH, YWBTA, YWNBTA), "asshole" and its spellings (arsehole, a-hole, a**hole, ahole),
    /// "am I the / would I be the …" questions, INFO in capitals (the lower-case word is ordinary English), and the judge's
    /// own labels ACCEPTABLE / UNACCEPTABLE in capitals.
    /// </summary>
    [GeneratedRegex(@"\b(?:aitah?|wibtah?|ytah?|ntah?|esh|nah|ywn?bta|assholes?|arseholes?|a-holes?|aholes?|am i the|would i be the|am i wrong|am i in the wrong|info|unacceptable|acceptable)\b|\ba\*\*holes?\b",
        RegexOptions.IgnoreCase)]
    internal static partial Regex VerdictPattern();

    /// <summary>Words that count as verdict words only when written in capitals.</summary>
    private static readonly HashSet<string> CapitalsOnly = new(StringComparer.OrdinalIgnoreCase) { "info", "acceptable", "unacceptable" };

    /// <summary>Words of <paramref name="text"/>: runs of letters and digits, apostrophes inside.</summary>
    public static int WordCount(string text) => Narration.WordPattern().Count(text ?? "") + DigitRuns().Count(text ?? "");

    [GeneratedRegex(@"\b\d+\b")]
    private static partial Regex DigitRuns();

    /// <summary>Verdict and framing words in the narration of <paramref name="text"/> (quoted speech is not searched).</summary>
    public static IReadOnlyList<string> VerdictWordsIn(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new List<string>();
        foreach (var span in Narration.Split(text))
        {
            if (span.IsQuote) continue;
            var part = span.Of(text);
            foreach (Match m in VerdictPattern().Matches(part))
            {
                // INFO, ACCEPTABLE and UNACCEPTABLE count only in capitals: in lower case they are ordinary words.
                if (CapitalsOnly.Contains(m.Value) && m.Value != m.Value.ToUpperInvariant()) continue;
                found.Add(m.Value);
            }
        }
        return found;
    }

    /// <summary>Checks a rewrite (<paramref name="title"/>, <paramref name="text"/>) against the original post.</summary>
    public static RewriteCheck Check(string originalTitle, string originalText, string title, string text, RewriteCheckOptions? limits = null)
    {
        limits ??= RewriteCheckOptions.Default;
        var rewrite = (title ?? "") + "\n\n" + (text ?? "");
        var originalWords = Math.Max(1, WordCount((originalTitle ?? "") + "\n\n" + (originalText ?? "")));
        var ratio = WordCount(rewrite) / (double)originalWords;
        return new RewriteCheck(
            rewrite.Contains(MainActor, StringComparison.OrdinalIgnoreCase),
            Narration.FirstPersonOutsideQuotes(rewrite).Select(w => w.Word).ToArray(),
            ratio,
            ratio >= limits.MinLengthRatio && ratio <= limits.MaxLengthRatio,
            VerdictWordsIn(rewrite),
            limits);
    }
}
