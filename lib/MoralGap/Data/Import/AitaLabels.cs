using System.Text.RegularExpressions;

namespace MoralGap.Data;

/// <summary>
/// r/AmItheAsshole verdict labels and their binary mapping (YTA, ESH → UNACCEPTABLE; NTA, NAH → ACCEPTABLE; INFO →
/// none), plus the Scruples label names (AUTHOR, OTHER, EVERYBODY, NOBODY, INFO; Lourie et al. 2021) and the
/// verdict at the start of a Reddit comment.
/// </summary>
public static partial class AitaLabels
{
    /// <summary>The five Reddit labels.</summary>
    public static IReadOnlyList<string> All { get; } = ["YTA", "NTA", "ESH", "NAH", "INFO"];

    /// <summary>
    /// Canonical label for YTA/NTA/ESH/NAH/INFO, the Scruples names and ACCEPTABLE/UNACCEPTABLE (case-insensitive,
    /// surrounding punctuation ignored), or null when unknown.
    /// </summary>
    public static string? Normalize(string? raw)
    {
        if (raw is null) return null;
        var s = raw.Trim().Trim('*', '.', ',', '!', ':', ';', '"', '\'', '(', ')', '[', ']').Trim().ToUpperInvariant();
        return s switch
        {
            "YTA" or "AUTHOR" or "YWBTA" => "YTA",
            "NTA" or "OTHER" or "YWNBTA" => "NTA",
            "ESH" or "EVERYBODY" => "ESH",
            "NAH" or "NOBODY" => "NAH",
            "INFO" => "INFO",
            "ACCEPTABLE" => "ACCEPTABLE",
            "UNACCEPTABLE" => "UNACCEPTABLE",
            _ => null,
        };
    }

    /// <summary>The binary verdict of a canonical label under <paramref name="options"/>' ESH/NAH mapping (null for INFO).</summary>
    public static Verdict? ToVerdict(string label, ImportOptions? options = null)
    {
        options ??= ImportOptions.KeepAll;
        return label switch
        {
            "YTA" or "UNACCEPTABLE" => Verdict.Unacceptable,
            "NTA" or "ACCEPTABLE" => Verdict.Acceptable,
            "ESH" => options.EshMapping,
            "NAH" => options.NahMapping,
            "INFO" => null,
            _ => throw new ArgumentException($"Unknown label '{label}'.", nameof(label)),
        };
    }

    // Optional markup and punctuation, then the label as a whole word ("**NTA**.", "> yta -", "Nta,", "ESH:").
    // "Nah, …" opening a comment reads as NAH: Reddit's own bot counts it the same way.
    [GeneratedRegex(@"^[\s\p{P}\p{S}]*(yta|nta|esh|nah|info|ywbta|ywnbta)(?![\p{L}\p{N}])[\s\p{P}\p{S}]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Opening();

    // An "Edit:" / "ETA:" / "Update:" part (optionally numbered, at a line or sentence start) runs to the end.
    [GeneratedRegex(@"(?:^|(?<=[\n.!?)]))[\s*_>#]*(?:edit|eta|update)\s*\d*\s*[:\-–—].*\z", RegexOptions.IgnoreCase | RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex EditPart();

    // The words EditPart needs; a body without any of them cannot have an edit part, and the search is ~10× cheaper
    // than the regex (measured: 2.3 µs → 0.2 µs a comment), which matters on multi-GB dumps.
    private static readonly System.Buffers.SearchValues<string> EditWords =
        System.Buffers.SearchValues.Create(["edit", "eta", "update"], StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Reads the verdict a comment opens with. Returns false when the body does not start with one of the labels.
    /// <paramref name="rationale"/> is the rest of the body, trimmed, with "Edit:" parts removed when
    /// <paramref name="stripEdits"/> (<paramref name="editRemoved"/> says whether one was).
    /// </summary>
    public static bool TryParseComment(string body, out string label, out string rationale, out bool editRemoved, bool stripEdits = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        label = ""; rationale = ""; editRemoved = false;
        var m = Opening().Match(body);
        if (!m.Success) return false;
        label = Normalize(m.Groups[1].Value)!;
        var rest = body[m.Length..];
        if (stripEdits)
        {
            var e = rest.AsSpan().ContainsAny(EditWords) ? EditPart().Match(rest) : Match.Empty;
            if (e.Success) { rest = rest[..e.Index]; editRemoved = true; }
        }
        rationale = rest.Trim();
        return true;
    }

    /// <summary>
    /// Reads a comment's verdict by <paramref name="rule"/>: <see cref="VerdictRule.Reference"/> (the Scruples rule,
    /// <see cref="ScruplesVerdictRule.Read"/>: acronyms and phrases anywhere, several labels resolved by position and
    /// contradiction words) or <see cref="VerdictRule.Start"/> (<see cref="TryParseComment"/>: a verdict token must open
    /// the comment). Returns false when no label is found. The <paramref name="rationale"/> keeps the comment's own
    /// words: an opening verdict token (with its markup and punctuation) is removed, and "Edit:" parts when
    /// <paramref name="stripEdits"/>; a verdict in mid-text stays. The verdict is read from the whole body, edits included.
    /// </summary>
    public static bool TryReadComment(string body, VerdictRule rule, out string label, out string rationale, out bool editRemoved,
        out VerdictResolution resolution, bool stripEdits = true)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (rule == VerdictRule.Start)
        {
            var ok = TryParseComment(body, out label, out rationale, out editRemoved, stripEdits);
            resolution = ok ? VerdictResolution.AtStart : VerdictResolution.None;
            return ok;
        }
        if (rule != VerdictRule.Reference) throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown verdict rule.");
        var reading = ScruplesVerdictRule.Read(body);
        resolution = reading.Resolution;
        label = reading.Label ?? ""; rationale = ""; editRemoved = false;
        if (reading.Label is null) return false;
        var m = Opening().Match(body);
        var rest = m.Success ? body[m.Length..] : body;
        if (stripEdits)
        {
            var e = rest.AsSpan().ContainsAny(EditWords) ? EditPart().Match(rest) : Match.Empty;
            if (e.Success) { rest = rest[..e.Index]; editRemoved = true; }
        }
        rationale = rest.Trim();
        return true;
    }

    /// <summary>Parses a verdict rule name: <c>reference</c> or <c>start</c> (case-insensitive).</summary>
    public static VerdictRule ParseRule(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "reference" or "scruples" => VerdictRule.Reference,
        "start" => VerdictRule.Start,
        _ => throw new ArgumentException($"Unknown verdict rule '{name}'; use reference (the Scruples rule) or start.", nameof(name)),
    };

    /// <summary>The command-line name of a verdict rule (reference, start).</summary>
    public static string NameOf(VerdictRule rule) => rule switch
    {
        VerdictRule.Reference => "reference",
        VerdictRule.Start => "start",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown verdict rule."),
    };

    /// <summary>The import report's note for a comment with several labels, by the part of the rule that resolved it (null otherwise).</summary>
    public static string? SeveralLabelsNote(VerdictResolution resolution) => resolution switch
    {
        VerdictResolution.OverlapFirst => "several labels: first two spans overlap → the first",
        VerdictResolution.ContradictionSecond => "several labels: contradiction word between the first two → the second",
        VerdictResolution.NoContradictionFirst => "several labels: no contradiction word between the first two → the first",
        _ => null,
    };
}
