using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MoralGap.Data;

namespace MoralGap.Rewrite;

/// <summary>One probe answer, read, and whether it shows recall.</summary>
/// <param name="Sample">0-based sample index.</param>
/// <param name="Raw">The answer as received.</param>
/// <param name="ClaimsKnown">Its first line says KNOWN (not UNKNOWN).</param>
/// <param name="Verdict">The Reddit verdict it names (YTA, NTA, ESH, NAH), if any.</param>
/// <param name="Continuation">The continuation it gives, if any.</param>
/// <param name="VerbatimWords">The longest run of consecutive words it shares with the part of the post it was not shown.</param>
/// <param name="Recall">The rule's decision (see <see cref="MemorisationProbe"/>).</param>
/// <param name="Reason">Why it counts as recall (null when it does not).</param>
public sealed record ProbeAnswer(int Sample, string Raw, bool ClaimsKnown, string? Verdict, string? Continuation, int VerbatimWords, bool Recall, string? Reason);

/// <summary>The probe of one dilemma: every answer, and whether the dilemma is flagged.</summary>
public sealed record ProbeResult(IReadOnlyList<ProbeAnswer> Answers)
{
    /// <summary>Flagged as memorised: any answer shows recall.</summary>
    public bool Flagged => Answers.Any(a => a.Recall);

    /// <summary>The first reason for the flag, or null.</summary>
    public string? Reason => Answers.FirstOrDefault(a => a.Recall)?.Reason;
}

/// <summary>
/// The memorisation probe: the model sees the original post's title and its opening (the first half of its words, at
/// most <see cref="OpeningWords"/>) and is asked, <c>samples</c> times, whether it knows this exact post and, if so, the
/// verdict it received and how it goes on.
/// <para><b>The rule.</b> An answer shows recall when (a) it claims to know the post (first line KNOWN) <em>and</em> backs
/// the claim with a Reddit verdict (YTA, NTA, ESH, NAH) or a continuation of at least <see cref="MinContinuationWords"/>
/// words; or (b) whatever it claims, it repeats at least <see cref="VerbatimRun"/> consecutive words of the part of the post
/// it was not shown (word-for-word recall: words lower-cased, punctuation ignored). A bare "KNOWN" with nothing behind
/// it is not recall (models say yes to please); an "UNKNOWN" that goes on to quote the unseen text is. A dilemma is
/// flagged when any of its answers shows recall.</para>
/// <para>Samples are distinct requests (seed = sample index), so a response cache stores each and a rerun pays for none.</para>
/// </summary>
public sealed partial class MemorisationProbe
{
    /// <summary>At most this many words of the original text are shown.</summary>
    public const int OpeningWords = 120;

    /// <summary>A run of this many words shared with the unseen part is verbatim recall.</summary>
    public const int VerbatimRun = 8;

    /// <summary>A continuation this long backs a KNOWN claim.</summary>
    public const int MinContinuationWords = 5;

    private readonly IChatClient _client;

    /// <summary>A probe over <paramref name="client"/>, asking <paramref name="samples"/> times at <paramref name="temperature"/>.</summary>
    public MemorisationProbe(IChatClient client, int samples = 3, double temperature = 1.0)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), samples, "Ask at least once.");
        if (temperature is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature must be in [0, 2].");
        Samples = samples;
        Temperature = temperature;
    }

    /// <summary>How many times each dilemma is probed.</summary>
    public int Samples { get; }

    /// <summary>The sampling temperature of the probe.</summary>
    public double Temperature { get; }

    [GeneratedRegex(@"[\p{L}\p{N}]+(?:['’][\p{L}]+)?")]
    private static partial Regex Word();

    [GeneratedRegex(@"\b(YTA|NTA|ESH|NAH)\b", RegexOptions.IgnoreCase)]
    private static partial Regex VerdictWord();

    [GeneratedRegex(@"continuation\s*:\s*(?<c>[\s\S]*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ContinuationLine();

    private static string[] Words(string text) => Word().Matches(text).Select(m => m.Value.ToLowerInvariant().Replace('’', '\'')).ToArray();

    /// <summary>The shown opening and the unseen rest of a post's text.</summary>
    public static (string Shown, string Unseen) SplitText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = Word().Matches(text);
        var shownWords = Math.Min(OpeningWords, matches.Count / 2);
        if (shownWords == 0) return ("", text);
        var cut = matches[shownWords - 1].Index + matches[shownWords - 1].Length;
        return (text[..cut], text[cut..]);
    }

    /// <summary>The probe's user message for <paramref name="dilemma"/> (original title and opening).</summary>
    public static string BuildPrompt(Dilemma dilemma)
    {
        ArgumentNullException.ThrowIfNull(dilemma);
        var (shown, _) = SplitText(dilemma.Text);
        return """
            Below are the title and the opening of a post. Do you know this exact post, for example from Reddit's r/AmItheAsshole? Most posts are not known to you; say so when you do not know it.
            Answer in this form:
            Line 1: KNOWN or UNKNOWN
            Only if KNOWN, also:
            Verdict: <the verdict the post received: YTA, NTA, ESH or NAH>
            Continuation: <the next sentences of the post, as you remember them>

            <post>
            """ + "\nTitle: " + dilemma.Title.Trim() + "\nOpening: " + shown.Trim() + " …\n</post>";
    }

    /// <summary>Reads one answer and applies the rule (see the class remarks) against the unseen part of <paramref name="originalText"/>.</summary>
    public static ProbeAnswer Read(int sample, string raw, string originalText)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(originalText);
        var firstLine = raw.TrimStart().Split('\n', 2)[0];
        var claims = Regex.IsMatch(firstLine, @"\bKNOWN\b", RegexOptions.IgnoreCase) && !Regex.IsMatch(firstLine, @"\bUNKNOWN\b", RegexOptions.IgnoreCase);
        var verdict = VerdictWord().Match(raw) is { Success: true } v ? v.Value.ToUpperInvariant() : null;
        var continuation = ContinuationLine().Match(raw) is { Success: true } c && c.Groups["c"].Value.Trim().Length > 0 ? c.Groups["c"].Value.Trim() : null;
        var verbatim = LongestSharedRun(Words(raw), Words(SplitText(originalText).Unseen));
        string? reason = null;
        if (verbatim >= VerbatimRun) reason = $"repeats {verbatim} consecutive words of the unseen text";
        else if (claims && verdict is not null) reason = $"claims to know the post and gives its verdict ({verdict})";
        else if (claims && continuation is not null && Words(continuation).Length >= MinContinuationWords) reason = "claims to know the post and continues it";
        return new ProbeAnswer(sample, raw, claims, verdict, continuation, verbatim, reason is not null, reason);
    }

    /// <summary>The length of the longest run of consecutive words <paramref name="a"/> and <paramref name="b"/> share.</summary>
    internal static int LongestSharedRun(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        var best = 0;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = a[i - 1] == b[j - 1] ? previous[j - 1] + 1 : 0;
                if (current[j] > best) best = current[j];
            }
            (previous, current) = (current, previous);
        }
        return best;
    }

    /// <summary>Asks about <paramref name="dilemma"/> <see cref="Samples"/> times (seed = sample index) and reads every answer.</summary>
    public async Task<(ProbeResult Result, IReadOnlyList<ChatResponse> Responses)> ProbeAsync(Dilemma dilemma, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dilemma);
        List<ChatMessage> messages = [new(ChatRole.User, BuildPrompt(dilemma))];
        var answers = new List<ProbeAnswer>();
        var responses = new List<ChatResponse>();
        for (var s = 0; s < Samples; s++)
        {
            var options = new ChatOptions { Temperature = (float)Temperature, Seed = s, MaxOutputTokens = 512 };
            var response = await _client.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            responses.Add(response);
            answers.Add(Read(s, response.Text ?? "", dilemma.Text));
        }
        return (new ProbeResult(answers), responses);
    }
}
