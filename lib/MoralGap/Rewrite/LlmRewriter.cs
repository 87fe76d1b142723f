using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;
using MoralGap.Data;

namespace MoralGap.Rewrite;

/// <summary>One rewrite answer, read.</summary>
/// <param name="Title">The rewritten title (empty when the answer could not be read).</param>
/// <param name="Text">The rewritten text (empty when the answer could not be read).</param>
/// <param name="Raw">The model's answer as received.</param>
/// <param name="Parsed">The answer had the <c>Title:</c> / <c>Text:</c> form.</param>
public sealed record RewriteAnswer(string Title, string Text, string Raw, bool Parsed);

/// <summary>
/// The LLM rewriter: asks a chat model to turn a post into a neutral third-person account of "the main actor" (facts and
/// order kept, no verdict, no AITA framing, nothing invented). The prompt is in this project's own words; the paper
/// describes the step but did not publish its prompt. Give it a <c>CachedChatClient</c>
/// (<c>LlmConfiguration.CreateCachedClient</c>) so that every answer is stored before it is used: never paid twice,
/// resumable after a kill.
/// </summary>
public sealed partial class LlmRewriter
{
    /// <summary>The system message.</summary>
    public const string SystemPrompt =
        "You turn posts from an online advice forum into neutral case descriptions for a study of moral judgment. " +
        "You never judge the people in them and never add facts.";

    private readonly IChatClient _client;

    /// <summary>A rewriter over <paramref name="client"/> sampling at <paramref name="temperature"/> (low by default: one faithful rewrite is wanted, not variety).</summary>
    public LlmRewriter(IChatClient client, double temperature = 0.2, int maxOutputTokens = 2048)
    {
        _client = client ?? throw new ArgumentNullException(nameof(client));
        if (temperature is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "Temperature must be in [0, 2].");
        Options = new ChatOptions { Temperature = (float)temperature, MaxOutputTokens = maxOutputTokens };
    }

    /// <summary>The options sent with every request.</summary>
    public ChatOptions Options { get; }

    /// <summary>The user message that asks for the rewrite of <paramref name="dilemma"/>.</summary>
    public static string BuildPrompt(Dilemma dilemma)
    {
        ArgumentNullException.ThrowIfNull(dilemma);
        return """
            Rewrite the post below as a neutral account in the third person.
            - Call the person who wrote the post "the main actor". Nothing outside quoted speech may stay in the first person (no I, me, my, we, us, our).
            - Keep every fact and the order of events. Add nothing: no names, ages, places, feelings or motives the post does not give.
            - Leave out the forum's framing: no "AITA", "WIBTA", "am I the asshole" or other questions to the readers, no edits that answer commenters, no TL;DR.
            - Do not judge: no verdict, and no words such as asshole, wrong, acceptable or unacceptable about anyone's behaviour.
            - Keep quoted speech as it was said.
            Answer in exactly this form, with nothing before or after:
            Title: <the title, one line>
            Text: <the account>

            <post>
            """ + "\nTitle: " + dilemma.Title.Trim() + "\nText: " + dilemma.Text.Trim() + "\n</post>";
    }

    /// <summary>The follow-up message after a rewrite that failed the checks: what failed, and the request to fix it.</summary>
    public static string RetryNote(IEnumerable<string> failures) =>
        "That rewrite failed these checks: " + string.Join("; ", failures) +
        ". Rewrite the post again, fixing them, in the same form (Title: … / Text: …).";

    [GeneratedRegex(@"^\s*\**Title\**\s*:\s*\**\s*(?<title>[^\n]*)\n+\s*\**Text\**\s*:\s*\**\s*(?<text>[\s\S]*?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex AnswerForm();

    /// <summary>Reads an answer of the form <c>Title: …</c> / <c>Text: …</c> (a code fence around it is allowed).</summary>
    public static RewriteAnswer Parse(string raw)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var body = raw.Trim();
        if (body.StartsWith("```", StringComparison.Ordinal))
        {
            var firstLine = body.IndexOf('\n');
            body = firstLine < 0 ? "" : body[(firstLine + 1)..];
            if (body.TrimEnd().EndsWith("```", StringComparison.Ordinal)) body = body.TrimEnd()[..^3];
        }
        var m = AnswerForm().Match(body.Replace("\r\n", "\n"));
        return m.Success && m.Groups["text"].Value.Trim().Length > 0
            ? new RewriteAnswer(m.Groups["title"].Value.Trim(), m.Groups["text"].Value.Trim(), raw, true)
            : new RewriteAnswer("", "", raw, false);
    }

    /// <summary>
    /// The first rewrite of <paramref name="dilemma"/>, or (with <paramref name="previous"/> and its
    /// <paramref name="failures"/>) the retry: the first answer stays in the conversation and a note says what failed.
    /// </summary>
    public async Task<(RewriteAnswer Answer, ChatResponse Response)> RewriteAsync(Dilemma dilemma, RewriteAnswer? previous = null,
        IReadOnlyList<string>? failures = null, CancellationToken cancellationToken = default)
    {
        List<ChatMessage> messages = [new(ChatRole.System, SystemPrompt), new(ChatRole.User, BuildPrompt(dilemma))];
        if (previous is not null)
        {
            messages.Add(new ChatMessage(ChatRole.Assistant, previous.Raw));
            messages.Add(new ChatMessage(ChatRole.User, RetryNote(failures ?? ["the answer was not in the form Title: … / Text: …"])));
        }
        var response = await _client.GetResponseAsync(messages, Options, cancellationToken).ConfigureAwait(false);
        return (Parse(response.Text ?? ""), response);
    }
}
