using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MoralGap.Data;

/// <summary>How a verdict is read from a Reddit comment.</summary>
public enum VerdictRule
{
    /// <summary>
    /// The Scruples reference rule (Lourie, Le Bras and Choi 2021; allenai/scruples <c>src/scruples/data/labels.py</c>),
    /// reimplemented: verdict acronyms and phrases anywhere in the comment, several labels resolved by position and
    /// contradiction words. See <see cref="ScruplesVerdictRule"/>. Name: <c>reference</c> (the default).
    /// </summary>
    Reference,
    /// <summary>
    /// The comment must open with a verdict token (after optional markup and punctuation); anything else has no verdict
    /// (<see cref="AitaLabels.TryParseComment"/>). Stricter: drops "OP, YTA." or "…so NTA". Name: <c>start</c>.
    /// </summary>
    Start,
}

/// <summary>Which part of the verdict rule decided a comment's label.</summary>
public enum VerdictResolution
{
    /// <summary>No label was found.</summary>
    None,
    /// <summary>The start rule: the comment opens with the label.</summary>
    AtStart,
    /// <summary>Reference rule: exactly one label was found.</summary>
    OneLabel,
    /// <summary>Reference rule, several labels: the spans of the two that start first overlap, so the first wins.</summary>
    OverlapFirst,
    /// <summary>Reference rule, several labels: a contradiction word (but, however, although, yet) stands between the first two, so the second wins.</summary>
    ContradictionSecond,
    /// <summary>Reference rule, several labels: no contradiction word between the first two, so the first wins.</summary>
    NoContradictionFirst,
}

/// <summary>A label found in a comment and the characters <c>[Start, End)</c> that denote it.</summary>
/// <param name="Label">Canonical label: YTA, NTA, ESH, NAH or INFO.</param>
/// <param name="Start">Index of the first character of the (earliest) span denoting the label.</param>
/// <param name="End">Index one past its last character.</param>
public readonly record struct LabelSpan(string Label, int Start, int End);

/// <summary>The verdict read from a comment: the label (null when none), how it was decided, and every label found.</summary>
/// <param name="Label">Canonical label (YTA, NTA, ESH, NAH, INFO) or null.</param>
/// <param name="Resolution">Which part of the rule decided it.</param>
/// <param name="Found">Each label found with its earliest span, in order of start (reference rule; the start rule lists its one label).</param>
public sealed record VerdictReading(string? Label, VerdictResolution Resolution, IReadOnlyList<LabelSpan> Found);

/// <summary>
/// The Scruples reference rule for reading an r/AmItheAsshole verdict from a comment (allenai/scruples,
/// <c>src/scruples/data/labels.py</c>, which built the vote counts of the Scruples anecdotes), in our own code.
/// <para><b>Acronyms</b>, matched exactly as whole words (a run of letters, digits, marks and underscores), in any case:
/// YTA, YTAH → YTA (the author is in the wrong); NTA, YNTA, NTAH, YNTAH → NTA; ESH; NAH, NAHH → NAH; INFO.
/// Extension (not in Scruples), for "would I be" posts: YWBTA → YTA, YWNBTA → NTA.</para>
/// <para><b>Phrases</b>, case-insensitive, each allowed one character of error (one substitution, deletion or
/// insertion, anywhere inside the phrase): YTA — "you / you're / your / you are" + optional "kind of / sort of / really /
/// indeed / just" + optional "a / an / the" + optional "huge / big / giant" + "asshole / a-hole / ahole", and "you" +
/// optional intensifier + "are" + optional article + optional size + the same noun; NTA — "not" + optional "really" +
/// optional article + "asshole / a-hole / ahole" ending a word; ESH — "everyone / everybody sucks here", "you both
/// suck"; NAH — "no assholes / a-holes / aholes here", "no one is the asshole / a-hole / ahole"; INFO — "not enough
/// info", "need(s) more info", "more info('s / is) required". As in the reference, phrases need no word boundary at
/// their start. A span is the earliest match of any of the label's forms (an acronym wins a tie).</para>
/// <para><b>Decision.</b> No label → none. One → that label. Several → the two whose spans start first (ties in the
/// order YTA, NTA, ESH, NAH, INFO); if the first span ends after the second starts, the first; else if the text between
/// them holds a whole word within one character of error of "but", "however", "although" or "yet", the second; else the
/// first. Binarising drops INFO (done by the importer, <see cref="AitaLabels.ToVerdict"/>).</para>
/// <para><b>Where we may differ from the Python <c>regex</c> module by a character:</b> a fuzzy match there may take one
/// extra character before or after a phrase as its "error" (and ENHANCEMATCH then tries to reduce errors); we never
/// count an edit outside the phrase, so our span can start or end one character later. Which labels are found is the
/// same; only a tie of spans one character apart could resolve differently.</para>
/// <para>Speed: acronyms are found by a vectorised search for their letters; the phrase patterns (one-error variants
/// compiled into non-backtracking regular expressions) run only in windows around words every one-error phrase must
/// contain (pigeonhole: a phrase split in two keeps one half intact), so most comments never reach them.</para>
/// </summary>
public static class ScruplesVerdictRule
{
    /// <summary>The acronyms and their labels (the Scruples set plus our YWBTA/YWNBTA extension).</summary>
    public static IReadOnlyDictionary<string, string> Acronyms => AcronymTable;

    private static readonly Dictionary<string, string> AcronymTable = new(StringComparer.OrdinalIgnoreCase)
    {
        ["YTA"] = "YTA", ["YTAH"] = "YTA", ["YWBTA"] = "YTA",
        ["NTA"] = "NTA", ["YNTA"] = "NTA", ["NTAH"] = "NTA", ["YNTAH"] = "NTA", ["YWNBTA"] = "NTA",
        ["ESH"] = "ESH",
        ["NAH"] = "NAH", ["NAHH"] = "NAH",
        ["INFO"] = "INFO",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> AcronymLookup =
        AcronymTable.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The labels in the reference's order (its tie order).</summary>
    public static IReadOnlyList<string> LabelOrder { get; } = ["YTA", "NTA", "ESH", "NAH", "INFO"];

    /// <summary>The contradiction words (each allowed one character of error, as whole words).</summary>
    public static IReadOnlyList<string> ContradictionWords { get; } = ["but", "however", "although", "yet"];

    // Every acronym contains one of these (case-insensitive), so a text without them has no acronym.
    private static readonly string[] AcronymCores = ["yta", "nta", "esh", "nah", "info", "ywbta", "ywnbta"];

    /// <summary>One label's phrase forms: the patterns, the compiled one-error matcher and its anchor words.</summary>
    internal sealed class PhraseSet
    {
        public required string Label { get; init; }
        public required IReadOnlyList<Pattern> Patterns { get; init; }
        /// <summary>Words such that every match with at most one error contains one of them exactly (case-insensitive).</summary>
        public required string[] Anchors { get; init; }
        /// <summary>The one-error matcher, built on first use (a non-backtracking regex; building it takes tens of milliseconds).</summary>
        public Regex Matcher => _matcher.Value;
        private readonly Lazy<Regex> _matcher;
        /// <summary>Longest match, in characters (longest exact form + one inserted character).</summary>
        public int MaxLength { get; private set; }

        public PhraseSet() => _matcher = new Lazy<Regex>(() => new Regex(
            string.Join("|", Patterns!.SelectMany( /* set by the initializer before the lazy regex is first built */ p => new[] { p.Exact(), p.OneError() }).OfType<string>()),
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));

        public PhraseSet Build()
        {
            MaxLength = Patterns.Max(p => p.MaxLength()) + 1;
            return this;
        }
    }

    // Anchor words, chosen by splitting every form in two (pigeonhole: one edit leaves one half intact):
    //   "…asshole" = "…assh" + "ole", "… ahole" = "… ah" + "ole", "… a-hole" = "… a-h" + "ole" (every form has a space
    //   before its noun); "everyone su" + "cks here", "everybody su" + "cks here", "you bo" + "th suck"; "not eno" + "ugh
    //   info", "need(s) mo" + "re info", "more inf" + "o('s| is) required". PhraseAnchorsCoverEveryForm checks it.
    private static readonly string[] NounAnchors = ["assh", "a-h", " ah", "ole"];

    internal static readonly PhraseSet[] Phrases = BuildPhrases();

    // One search for every anchor (acronym cores and phrase anchors): a single vectorised pass over the text.
    private static readonly string[] AllAnchors = AcronymCores.Concat(Phrases.SelectMany(p => p.Anchors)).Distinct().ToArray();
    private static readonly SearchValues<string> AnchorSearch = SearchValues.Create(AllAnchors, StringComparison.OrdinalIgnoreCase);

    private static PhraseSet[] BuildPhrases()
    {
        var noun = Pattern.Any("asshole", "a-hole", "ahole");
        var intensifier = Pattern.Optional(Pattern.Any("kind of ", "sort of ", "really ", "indeed ", "just "));
        var article = Pattern.Optional(Pattern.Any("a ", "an ", "the "));
        var size = Pattern.Optional(Pattern.Any("huge ", "big ", "giant "));
        return
        [
            new PhraseSet
            {
                Label = "YTA",
                Patterns =
                [
                    Pattern.Sequence("you", Pattern.Optional(Pattern.Any("'re", "r", " are")), " ", intensifier, article, size, noun),
                    Pattern.Sequence("you ", intensifier, "are ", article, size, noun),
                ],
                Anchors = NounAnchors,
            }.Build(),
            new PhraseSet
            {
                Label = "NTA",
                Patterns = [Pattern.Sequence("not ", Pattern.Optional("really "), article, noun, Pattern.WordEnd)],
                Anchors = NounAnchors,
            }.Build(),
            new PhraseSet
            {
                Label = "ESH",
                Patterns = [Pattern.Sequence(Pattern.Any("everyone", "everybody"), " sucks here"), Pattern.Sequence("you both suck")],
                Anchors = ["everyone su", "everybody su", "cks here", "you bo", "th suck"],
            }.Build(),
            new PhraseSet
            {
                Label = "NAH",
                Patterns =
                [
                    Pattern.Sequence("no ", Pattern.Any("assholes", "a-holes", "aholes"), " here"),
                    Pattern.Sequence("no one is the ", noun),
                ],
                Anchors = NounAnchors,
            }.Build(),
            new PhraseSet
            {
                Label = "INFO",
                Patterns =
                [
                    Pattern.Sequence("not enough info"),
                    Pattern.Sequence(Pattern.Any("need", "needs"), " more info"),
                    Pattern.Sequence("more info", Pattern.Optional(Pattern.Any("'s", " is")), " required"),
                ],
                Anchors = ["not eno", "ugh info", "need mo", "needs mo", "re info", "more inf", "required"],
            }.Build(),
        ];
    }

    /// <summary>
    /// Reads the verdict of <paramref name="text"/> by the reference rule (see the class remarks). The text is read as
    /// is; callers drop bots and [deleted]/[removed] bodies first, as the reference does.
    /// </summary>
    public static VerdictReading Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<int> start = stackalloc int[5], end = stackalloc int[5];
        start.Fill(-1);
        // One pass finds every anchor occurrence: acronym cores are checked on the spot (the whole word must be an
        // acronym), phrase anchors are remembered per label for the windowed phrase search below.
        var s = text.AsSpan();
        List<int>[]? hits = null;
        var wordEnd = -1;
        for (var at = 0; at < s.Length;)
        {
            var i = s[at..].IndexOfAny(AnchorSearch);
            if (i < 0) break;
            i += at;
            var rest = s[i..];
            if (i >= wordEnd)
                foreach (var core in AcronymCores)
                    if (rest.StartsWith(core, StringComparison.OrdinalIgnoreCase)) { wordEnd = CheckAcronym(s, i, start, end); break; }
            for (var k = 0; k < Phrases.Length; k++)
                foreach (var a in Phrases[k].Anchors)
                    if (rest.StartsWith(a, StringComparison.OrdinalIgnoreCase))
                    {
                        hits ??= new List<int>[Phrases.Length];
                        (hits[k] ??= []).Add(i);
                        break;
                    }
            at = i + 1;
        }
        if (hits is not null)
            for (var k = 0; k < Phrases.Length; k++)
                if (hits[k] is { } h) FindPhrase(text, Phrases[k], h, k, start, end);

        var found = new List<LabelSpan>(2);
        for (var k = 0; k < 5; k++)
            if (start[k] >= 0) found.Add(new LabelSpan(LabelOrder[k], start[k], end[k]));
        if (found.Count == 0) return new VerdictReading(null, VerdictResolution.None, found);
        if (found.Count == 1) return new VerdictReading(found[0].Label, VerdictResolution.OneLabel, found);
        found.Sort((a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : IndexOf(a.Label).CompareTo(IndexOf(b.Label)));
        var (first, second) = (found[0], found[1]);
        if (first.End > second.Start) return new VerdictReading(first.Label, VerdictResolution.OverlapFirst, found);
        return HasContradiction(text.AsSpan(first.End, second.Start - first.End))
            ? new VerdictReading(second.Label, VerdictResolution.ContradictionSecond, found)
            : new VerdictReading(first.Label, VerdictResolution.NoContradictionFirst, found);
    }

    private static int IndexOf(string label) => label switch { "YTA" => 0, "NTA" => 1, "ESH" => 2, "NAH" => 3, _ => 4 };

    /// <summary>True for a word character as the reference's <c>\m</c>/<c>\M</c> see it: letter, digit, mark, connector (e.g. _).</summary>
    internal static bool IsWordChar(char c)
    {
        if (c < 128) return char.IsAsciiLetterOrDigit(c) || c == '_';
        if (char.IsLetterOrDigit(c)) return true;
        var cat = CharUnicodeInfo.GetUnicodeCategory(c);
        return cat is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.ConnectorPunctuation || c is '\u200C' or '\u200D';
    }

    /// <summary>Checks the word around an acronym core at <paramref name="i"/>; returns the word's end.</summary>
    private static int CheckAcronym(ReadOnlySpan<char> s, int i, Span<int> start, Span<int> end)
    {
        int ws = i, we = i;
        while (ws > 0 && IsWordChar(s[ws - 1])) ws--;
        while (we < s.Length && IsWordChar(s[we])) we++;
        if (we - ws <= 6 && AcronymLookup.TryGetValue(s[ws..we], out var label))
        {
            var k = IndexOf(label);
            if (start[k] < 0) { start[k] = ws; end[k] = we; }
        }
        return we;
    }

    /// <summary>Earliest one-error match of a label's phrases, searched only in windows around its anchor occurrences (ascending).</summary>
    private static void FindPhrase(string text, PhraseSet set, List<int> anchors, int k, Span<int> start, Span<int> end)
    {
        var s = text.AsSpan();
        var r = set.MaxLength + 1;
        for (var a = 0; a < anchors.Count;)
        {
            // A match containing the anchor at i lies within [i - r, i + r]. Merge the windows of later anchors that
            // overlap, and extend the window to the end of a word so a word-end test never takes its edge for one.
            var i = anchors[a];
            int ws = Math.Max(0, i - r), we = Math.Min(s.Length, i + r);
            for (a++; a < anchors.Count && anchors[a] - r <= we; a++) we = Math.Min(s.Length, anchors[a] + r);
            while (we < s.Length && IsWordChar(s[we])) we++;
            if (start[k] >= 0 && ws >= start[k]) return; // an acronym of this label starts no later
            var m = set.Matcher.Match(text, ws, we - ws);
            if (m.Success)
            {
                if (start[k] < 0 || m.Index < start[k]) { start[k] = m.Index; end[k] = m.Index + m.Length; }
                return;
            }
        }
    }

    /// <summary>
    /// True when <paramref name="between"/> holds a whole word within one edit (substitution, deletion or insertion;
    /// case-insensitive) of but, however, although or yet. The edges of <paramref name="between"/> count as word edges,
    /// as in the reference, which searches the text between the two spans on its own.
    /// </summary>
    public static bool HasContradiction(ReadOnlySpan<char> between)
    {
        for (var p = 0; p < between.Length; p++)
        {
            if (!IsWordChar(between[p]) || (p > 0 && IsWordChar(between[p - 1]))) continue;
            foreach (var w in ContradictionWords)
                for (var len = w.Length - 1; len <= w.Length + 1; len++)
                {
                    var q = p + len;
                    if (len < 1 || q > between.Length || !IsWordChar(between[q - 1]) || (q < between.Length && IsWordChar(between[q]))) continue;
                    if (WithinOneEdit(between.Slice(p, len), w)) return true;
                }
        }
        return false;
    }

    /// <summary>Levenshtein distance ≤ 1, ignoring case (invariant culture).</summary>
    internal static bool WithinOneEdit(ReadOnlySpan<char> a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 1) return false;
        int i = 0;
        while (i < a.Length && i < b.Length && Same(a[i], b[i])) i++;
        if (a.Length == b.Length) return i == a.Length || Tail(a[(i + 1)..], b.AsSpan(i + 1));
        return a.Length > b.Length ? Tail(a[(i + 1)..], b.AsSpan(i)) : Tail(a[i..], b.AsSpan(i + 1));

        static bool Same(char x, char y) => char.ToLowerInvariant(x) == char.ToLowerInvariant(y);
        static bool Tail(ReadOnlySpan<char> x, ReadOnlySpan<char> y)
        {
            if (x.Length != y.Length) return false;
            for (var k = 0; k < x.Length; k++) if (!Same(x[k], y[k])) return false;
            return true;
        }
    }

    /// <summary>
    /// A small pattern language for the phrase forms: literal, sequence, alternatives, optional, word end. It renders
    /// the exact forms and the forms with exactly one edit as .NET regular expressions, and lists its exact forms
    /// (for tests and anchor checks).
    /// </summary>
    internal abstract record Pattern
    {
        public static Pattern Sequence(params object[] items) => new Seq(items.Select(Of).ToArray());
        public static Pattern Any(params object[] items) => new Alt(items.Select(Of).ToArray());
        public static Pattern Optional(object item) => new Opt(Of(item));
        public static Pattern WordEnd { get; } = new End();
        private static Pattern Of(object o) => o as Pattern ?? new Lit((string)o);

        /// <summary>A regex for the exact forms.</summary>
        public abstract string Exact();
        /// <summary>A regex for the forms with exactly one edit inside (no edit before the first or after the last character); null when none.</summary>
        public abstract string? OneError();
        /// <summary>Longest exact form.</summary>
        public abstract int MaxLength();
        /// <summary>Every exact form (word ends omitted).</summary>
        public abstract IEnumerable<string> Forms();

        private const string AnyChar = @"[\s\S]";

        private sealed record Lit(string S) : Pattern
        {
            public override string Exact() => Regex.Escape(S);
            public override string? OneError()
            {
                var alts = new List<string>();
                for (var i = 0; i < S.Length; i++)
                {
                    alts.Add(Regex.Escape(S[..i]) + AnyChar + Regex.Escape(S[(i + 1)..])); // substitution
                    alts.Add(Regex.Escape(S[..i] + S[(i + 1)..]));                         // deletion
                    if (i > 0) alts.Add(Regex.Escape(S[..i]) + AnyChar + Regex.Escape(S[i..])); // insertion inside
                }
                return "(?:" + string.Join("|", alts.Distinct()) + ")";
            }
            public override int MaxLength() => S.Length;
            public override IEnumerable<string> Forms() => [S];
        }

        private sealed record Seq(Pattern[] Items) : Pattern
        {
            public override string Exact() => string.Concat(Items.Select(p => p.Exact()));
            public override string? OneError()
            {
                var alts = new List<string>();
                for (var i = 0; i < Items.Length; i++)
                {
                    string Prefix(int n) => string.Concat(Items.Take(n).Select(p => p.Exact()));
                    string Suffix(int n) => string.Concat(Items.Skip(n).Select(p => p.Exact()));
                    if (Items[i].OneError() is { } e) alts.Add(Prefix(i) + e + Suffix(i + 1));
                    if (i > 0) alts.Add(Prefix(i) + AnyChar + Suffix(i)); // insertion between items
                }
                return alts.Count == 0 ? null : "(?:" + string.Join("|", alts) + ")";
            }
            public override int MaxLength() => Items.Sum(p => p.MaxLength());
            public override IEnumerable<string> Forms() =>
                Items.Aggregate((IEnumerable<string>)[""], (acc, p) => acc.SelectMany(a => p.Forms().Select(f => a + f)));
        }

        private sealed record Alt(Pattern[] Items) : Pattern
        {
            public override string Exact() => "(?:" + string.Join("|", Items.Select(p => p.Exact())) + ")";
            public override string? OneError()
            {
                var e = Items.Select(p => p.OneError()).OfType<string>().ToArray();
                return e.Length == 0 ? null : "(?:" + string.Join("|", e) + ")";
            }
            public override int MaxLength() => Items.Max(p => p.MaxLength());
            public override IEnumerable<string> Forms() => Items.SelectMany(p => p.Forms());
        }

        private sealed record Opt(Pattern Item) : Pattern
        {
            public override string Exact() => "(?:" + Item.Exact() + ")?";
            public override string? OneError() => Item.OneError();
            public override int MaxLength() => Item.MaxLength();
            public override IEnumerable<string> Forms() => Item.Forms().Prepend("");
        }

        private sealed record End : Pattern
        {
            public override string Exact() => @"\b";
            public override string? OneError() => null;
            public override int MaxLength() => 0;
            public override IEnumerable<string> Forms() => [""];
        }
    }

    /// <summary>A readable list of the rule's forms, for documentation and notebooks.</summary>
    public static string Describe()
    {
        var sb = new StringBuilder();
        foreach (var g in Acronyms.GroupBy(kv => kv.Value))
            sb.Append(g.Key).Append(": acronyms ").Append(string.Join(", ", g.Select(kv => kv.Key))).Append('\n');
        foreach (var p in Phrases)
            sb.Append(p.Label).Append(": ").Append(p.Patterns.Sum(x => x.Forms().Count()).ToString("N0", CultureInfo.InvariantCulture))
              .Append(" phrase forms, each with one character of error allowed\n");
        return sb.ToString();
    }
}
