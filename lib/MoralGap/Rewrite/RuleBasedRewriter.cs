using System.Text;
using System.Text.RegularExpressions;

namespace MoralGap.Rewrite;

/// <summary>
/// The offline rewriter: turns a first-person AITA post into an account of "the main actor" by rules, without a model.
/// It is lossy and says so (<see cref="Name"/>); its output is checked like an LLM's.
/// <para><b>Framing removed.</b> Title: a leading tag ([UPDATE], [WIBTA]…) and the question that opens it ("AITA for",
/// "WIBTA if", "Am I the asshole for"…); the trailing question mark goes; a "WIBTA if …" title stays hypothetical
/// ("If the main actor skipped …"). Text: paragraphs that open with Edit, Update,
/// ETA or TL;DR (they answer commenters or repeat the story; the facts an edit adds are lost with it), the label of an
/// "INFO:" paragraph (its facts stay), and every sentence whose narration asks the forum's
/// question or names a verdict (AITA, WIBTA, YTA, NTA, ESH, NAH, "am I the …"), mentions a throwaway account or
/// apologises for formatting. Other "asshole" words in the narration become "jerk".</para>
/// <para><b>First person → the main actor</b> (narration only; quoted speech is left as spoken): I, me → the main actor;
/// my, mine → the main actor's; myself → themself; I'm → the main actor is; I've → has; I'll → will; I'd → had before a
/// past participle (been, …ed, …en), else would; we, us → the main actor and the others; our → their; ours → theirs;
/// ourselves → themselves; we're, we've, we'll, we'd likewise. After a subject "I", the verb that follows (skipping a few
/// adverbs such as really, also, just) agrees with the third person: am → is, have → has, do → does, don't → doesn't,
/// haven't → hasn't, and common present-tense verbs take -s (think → thinks, try → tries). A replacement at the start of
/// a sentence is capitalised.</para>
/// <para>Written by hand: no maintained .NET package rewrites English person and verb agreement (the NLP toolkits with
/// part-of-speech tagging are not available here), and these rules are small enough to test word by word.</para>
/// </summary>
public static partial class RuleBasedRewriter
{
    /// <summary>What the rewriter calls itself in reports.</summary>
    public const string Name = "rule-based rewriter (no LLM: first person → \"the main actor\", AITA framing removed by rules)";

    private const string Actor = "the main actor";
    private const string Group = "the main actor and the others";

    [GeneratedRegex(@"(?:^\s*(?:\[[^\]]*\]\s*|\([^)]*\)\s*)*|\b)(?:(?:aitah?|wibtah?|ama?ita|am i (?:the|an?) (?:asshole|arsehole|a-hole|jerk|bad guy|villain)|would i be (?:the|an?) (?:asshole|arsehole|a-hole|jerk|bad guy|villain)|am i wrong|am i in the wrong|would i be wrong)\b[\s:,.?!-]*(?:(?:for|if|because|by|when|that|to)\b\s*)?)+",
        RegexOptions.IgnoreCase)]
    private static partial Regex TitleFraming();

    [GeneratedRegex(@"\b(?:wibtah?|would i be)\b.*\bif\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Hypothetical();

    [GeneratedRegex(@"\b(?:aitah?|wibtah?|ytah?|ntah?|esh|nah|ywn?bta|am i (?:the|an?|being (?:the|an?)|wrong|in the wrong)|would i be (?:the|an?|wrong|in the wrong)|throwaway|on mobile|formatting)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FramingSentence();

    [GeneratedRegex(@"^\s*(?:\**\s*)(?:edit|update|eta|tl;?\s?dr)\b", RegexOptions.IgnoreCase)]
    private static partial Regex EditParagraph();

    [GeneratedRegex(@"^\s*\**\s*INFO\s*\**\s*:\s*\**\s*")]
    private static partial Regex InfoLabel();

    [GeneratedRegex(@"\b(?:asshole|arsehole|a-hole|a\*\*hole|ahole)(s?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AssholeWord();

    [GeneratedRegex(@"[.!?]+[""”)\]]*\s+")]
    private static partial Regex SentenceEnd();

    /// <summary>Rewrites a post (title and text) by the rules above.</summary>
    public static (string Title, string Text) Rewrite(string title, string text)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(text);
        return (RewriteTitle(title), RewriteText(text));
    }

    /// <summary>The title without the AITA question and tags, in the third person, without a trailing question mark.</summary>
    public static string RewriteTitle(string title)
    {
        ArgumentNullException.ThrowIfNull(title);
        // The question may open the title or follow a first clause ("Told to pay for a party; AITA for backing out").
        // "WIBTA if I skipped the wedding?" asks about something not yet done: it stays hypothetical ("If the main actor skipped…").
        var t = TitleFraming().Replace(title, m => !Hypothetical().IsMatch(m.Value) ? ""
            : title[..m.Index].TrimEnd() is [.., '?' or '.' or '!'] ? "If " : "if ").Trim();
        t = t.TrimEnd('?', ' ', '.', '!', ';', ',', ':').Trim();
        t = ToThirdPerson(t);
        t = AssholeWord().Replace(t, m => "jerk" + m.Groups[1].Value);
        return t.Length == 0 ? "" : char.ToUpperInvariant(t[0]) + t[1..];
    }

    /// <summary>The text without framing sentences and edit paragraphs, in the third person.</summary>
    public static string RewriteText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var paragraphs = text.Replace("\r\n", "\n").Split('\n');
        var kept = new List<string>();
        foreach (var raw in paragraphs)
        {
            if (EditParagraph().IsMatch(raw)) continue;
            // An "INFO:" label introduces facts commenters asked for: the label goes, the facts stay.
            var paragraph = InfoLabel().Replace(raw, "");
            var sentences = Sentences(paragraph).Where(s => !IsFraming(s)).ToList();
            var joined = string.Join(" ", sentences.Select(s => s.Trim())).Trim();
            if (joined.Length > 0 || (kept.Count > 0 && kept[^1].Length > 0)) kept.Add(joined);
        }
        var result = string.Join("\n", kept).Trim();
        result = ToThirdPerson(result);
        return ReplaceInNarration(result, s => AssholeWord().Replace(s, m => "jerk" + m.Groups[1].Value));
    }

    /// <summary>True when the narration of a sentence asks the forum's question or names a verdict.</summary>
    private static bool IsFraming(string sentence)
    {
        foreach (var span in Narration.Split(sentence))
            if (!span.IsQuote && FramingSentence().IsMatch(span.Of(sentence))) return true;
        return false;
    }

    /// <summary>The sentences of a paragraph, cut only in narration (a quote is never split).</summary>
    internal static IEnumerable<string> Sentences(string paragraph)
    {
        var start = 0;
        foreach (var span in Narration.Split(paragraph))
        {
            if (span.IsQuote) continue;
            foreach (Match m in SentenceEnd().Matches(paragraph.Substring(span.Start, span.Length)))
            {
                var end = span.Start + m.Index + m.Length;
                yield return paragraph[start..end];
                start = end;
            }
        }
        if (start < paragraph.Length) yield return paragraph[start..];
    }

    private static string ReplaceInNarration(string text, Func<string, string> replace)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var span in Narration.Split(text))
            sb.Append(span.IsQuote ? span.Of(text) : replace(span.Of(text)));
        return sb.ToString();
    }

    private static readonly HashSet<string> Adverbs = new(StringComparer.Ordinal)
    {
        "really", "also", "just", "still", "never", "always", "only", "even", "actually", "honestly", "genuinely", "usually",
        "often", "sometimes", "already", "definitely", "totally", "absolutely", "obviously", "simply", "rarely", "seriously",
        "personally", "truly", "certainly", "mostly", "generally", "now", "kinda", "literally", "basically",
    };

    private static readonly System.Buffers.SearchValues<char> ClauseBreaks = System.Buffers.SearchValues.Create(".!?;,:\n");

    /// <summary>Words before "I" after which its verb keeps its form: a compound subject, or a question's auxiliary.</summary>
    private static readonly HashSet<string> NoAgreementAfter = new(StringComparer.Ordinal)
    {
        "do", "did", "does", "should", "would", "could", "can", "will", "shall", "may", "might", "must",
        "don't", "didn't", "can't", "won't", "wouldn't", "couldn't", "shouldn't", "let", "make", "made", "help", "have", "had",
    };

    private static readonly Dictionary<string, string> Irregular = new(StringComparer.Ordinal)
    {
        ["am"] = "is", ["have"] = "has", ["do"] = "does", ["don't"] = "doesn't", ["dont"] = "doesn't",
        ["haven't"] = "hasn't", ["havent"] = "hasn't", ["go"] = "goes",
    };

    /// <summary>Present-tense verbs common in the posts that take -s after a third-person subject.</summary>
    private static readonly HashSet<string> PresentVerbs = new(StringComparer.Ordinal)
    {
        "think", "feel", "want", "know", "need", "like", "love", "hate", "live", "work", "get", "say", "mean", "understand",
        "try", "see", "make", "take", "pay", "agree", "disagree", "believe", "guess", "hope", "wish", "refuse", "plan", "tend",
        "care", "own", "earn", "use", "keep", "let", "find", "admit", "realise", "realize", "suppose", "expect", "assume",
        "worry", "wonder", "prefer", "appreciate", "sleep", "eat", "cook", "clean", "drive", "help", "ask", "tell", "stay",
        "spend", "buy", "come", "give", "leave", "rent", "share", "struggle", "deal", "handle", "enjoy", "miss", "try",
        "watch", "play", "look", "sound", "seem", "remember", "forget", "doubt", "insist", "offer", "suggest", "feed", "host",
        "visit", "call", "text", "reply", "answer", "avoid", "apologise", "apologize", "cover", "consider", "study", "teach",
        "run", "walk", "read", "write", "speak", "talk", "listen", "lend", "owe", "save", "send", "babysit", "accept",
    };

    private static readonly HashSet<string> PastParticiples = new(StringComparer.Ordinal)
    {
        "been", "done", "gone", "had", "made", "said", "told", "got", "gotten", "seen", "known", "taken", "given", "left",
        "thought", "felt", "paid", "bought", "brought", "sent", "spent", "kept", "heard", "found", "lost", "met", "put",
    };

    /// <summary>
    /// Replaces every first-person word in the narration of <paramref name="text"/> (see the class remarks); quoted
    /// speech is left as it is. Afterwards <see cref="Narration.FirstPersonOutsideQuotes"/> finds nothing.
    /// </summary>
    public static string ToThirdPerson(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 64);
        foreach (var span in Narration.Split(text))
        {
            if (span.IsQuote) { sb.Append(span.Of(text)); continue; }
            var words = Narration.WordPattern().Matches(text, span.Start).Where(m => m.Index + m.Length <= span.Start + span.Length).ToList();
            var pos = span.Start;
            var agreeNext = false;
            var previous = "";
            var clauseWords = 0;          // words since the start of the clause (sentence end, comma, semicolon, line)
            var subjectInClause = false;  // a subject "I" already stood in this clause
            var verbInClause = false;     // a likely verb already stood in this clause
            var inParenthesis = false;    // inside a parenthesis that follows a subject "I"
            for (var w = 0; w < words.Count; w++)
            {
                var m = words[w];
                var gap = text.AsSpan(pos, m.Index - pos);
                if (gap.IndexOfAny(ClauseBreaks) >= 0) { clauseWords = 0; subjectInClause = false; verbInClause = false; }
                sb.Append(gap);
                pos = m.Index + m.Length;
                var key = Narration.Key(m.Value);
                var before = previous;
                previous = key;
                clauseWords++;
                if (IsLikelyVerb(key)) verbInClause = true;
                if (agreeNext)
                {
                    // "I (24m) have": the verb agrees across a parenthesis right after the subject.
                    if (gap.Contains('(')) inParenthesis = true;
                    if (inParenthesis && gap.Contains(')')) inParenthesis = false;
                    if (inParenthesis && Narration.IsFirstPerson(text, m.Value, m.Index))
                    {
                        // "I (we) were": the word in the parenthesis is replaced too; the verb after it still agrees.
                        var inner = Replace(key, w + 1 < words.Count ? Narration.Key(words[w + 1].Value) : "").Text;
                        sb.Append(inner);
                        continue;
                    }
                    if (inParenthesis || Adverbs.Contains(key)) { sb.Append(m.Value); continue; }
                    agreeNext = false;
                    if (!Narration.IsFirstPerson(text, m.Value, m.Index))
                    {
                        sb.Append(Agree(key, m.Value));
                        continue;
                    }
                }
                if (!Narration.IsFirstPerson(text, m.Value, m.Index)) { sb.Append(m.Value); continue; }
                var next = w + 1 < words.Count ? Narration.Key(words[w + 1].Value) : "";
                var (replacement, subject) = Replace(key, next);
                // "should I go", "did I say": the verb keeps its form. "My wife and I have": a compound subject (a short
                // noun phrase opens the clause, then "and I", and no "I" stood before) keeps the plural verb.
                var compound = before is "and" or "or" or "nor" && clauseWords <= 6 && !subjectInClause && !verbInClause;
                agreeNext = subject && !compound && !NoAgreementAfter.Contains(before);
                if (subject) subjectInClause = true;
                sb.Append(AtSentenceStart(sb) ? char.ToUpperInvariant(replacement[0]) + replacement[1..] : replacement);
            }
            sb.Append(text, pos, span.Start + span.Length - pos);
        }
        return sb.ToString();
    }

    /// <summary>The replacement of one first-person word, and whether it is a singular subject whose verb must agree.</summary>
    private static (string Text, bool SingularSubject) Replace(string key, string next) => key switch
    {
        "i" => (Actor, true),
        "me" => (Actor, false),
        "my" or "mine" => (Actor + "'s", false),
        "myself" => ("themself", false),
        "i'm" or "im" => (Actor + " is", false),
        "i've" or "ive" => (Actor + " has", false),
        "i'll" => (Actor + " will", false),
        "i'd" => (Actor + (IsParticiple(next) ? " had" : " would"), false),
        "we" or "us" => (Group, false),
        "our" => ("their", false),
        "ours" => ("theirs", false),
        "ourselves" or "ourself" => ("themselves", false),
        "we're" => (Group + " are", false),
        "we've" => (Group + " have", false),
        "we'll" => (Group + " will", false),
        "we'd" => (Group + (IsParticiple(next) ? " had" : " would"), false),
        _ => throw new InvalidOperationException($"No replacement for first-person word '{key}'."),
    };

    private static bool IsLikelyVerb(string key) =>
        key is "is" or "was" or "were" or "are" or "am" or "has" or "had" or "have" or "did" or "does" or "do" or "went" or "said"
        || PresentVerbs.Contains(key) || (key.EndsWith('s') && (PresentVerbs.Contains(key[..^1]) || (key.EndsWith("ies") && PresentVerbs.Contains(key[..^3] + "y"))))
        || key.EndsWith("ed", StringComparison.Ordinal);

    private static bool IsParticiple(string word) => PastParticiples.Contains(word) || word.EndsWith("ed", StringComparison.Ordinal) || word.EndsWith("en", StringComparison.Ordinal);

    /// <summary>A verb after a third-person singular subject: am → is, have → has, think → thinks; other words unchanged.</summary>
    internal static string Agree(string key, string original)
    {
        if (Irregular.TryGetValue(key, out var irregular)) return irregular;
        if (!PresentVerbs.Contains(key) || original != key) return original;
        if (key.EndsWith('y') && key.Length > 1 && !"aeiou".Contains(key[^2])) return key[..^1] + "ies";
        if (key.EndsWith("s") || key.EndsWith("sh") || key.EndsWith("ch") || key.EndsWith("x") || key.EndsWith("z") || key.EndsWith("o")) return key + "es";
        return key + "s";
    }

    /// <summary>True when what is written so far ends a sentence (or nothing is written yet).</summary>
    private static bool AtSentenceStart(StringBuilder sb)
    {
        for (var i = sb.Length - 1; i >= 0; i--)
        {
            var c = sb[i];
            if (c == '\n') return true;
            if (char.IsWhiteSpace(c) || c == '"' || c == '“' || c == '”' || c == '(' || c == '*') continue;
            return c is '.' or '!' or '?';
        }
        return true;
    }
}
