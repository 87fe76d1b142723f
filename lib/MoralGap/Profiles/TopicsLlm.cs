using System.Text;
using System.Text.RegularExpressions;
using MoralGap.Data;
using Microsoft.Extensions.AI;

namespace MoralGap.Profiles;

/// <summary>
/// Optional third topic method: ask a chat model which of the topics a dilemma is about, and parse the answer tolerantly.
/// </summary>
public static partial class TopicsLlm
{
    /// <summary>
    /// The classification prompt: the numbered topics with their descriptions, the dilemma between delimiters,
    /// and the instruction to answer with one line <c>Topic: &lt;name&gt;</c>.
    /// </summary>
    public static string Prompt(Dilemma dilemma, IReadOnlyList<TopicDefinition> topics)
    {
        ArgumentNullException.ThrowIfNull(dilemma);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0) throw new ArgumentException("topics is empty.", nameof(topics));
        var sb = new StringBuilder();
        sb.AppendLine("Which of these topics is the following moral dilemma mainly about?");
        for (var i = 0; i < topics.Count; i++) sb.AppendLine($"{i + 1}. {topics[i].Name}: {topics[i].Description}");
        sb.AppendLine();
        sb.AppendLine("Dilemma:");
        sb.AppendLine("\"\"\"");
        sb.AppendLine(dilemma.Text.Trim());
        sb.AppendLine("\"\"\"");
        sb.AppendLine();
        sb.Append("Answer with exactly one line, using one topic name from the list: Topic: <name>");
        return sb.ToString();
    }

    /// <summary>
    /// Parses a topic answer tolerantly: the text after <c>Topic:</c> if present, else the whole answer; then an exact
    /// name (case-, punctuation- and markdown-insensitive), a list number (<c>3</c>, <c>3.</c>), or the longest topic name
    /// contained in the text (ties → null). Returns the topic index, or null when unparseable.
    /// </summary>
    public static int? ParseAnswer(string? answer, IReadOnlyList<TopicDefinition> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        if (string.IsNullOrWhiteSpace(answer)) return null;
        var m = TopicLine().Match(answer);
        var text = Clean(m.Success ? m.Groups[1].Value : answer);
        var names = topics.Select(t => Clean(t.Name)).ToArray();
        for (var i = 0; i < names.Length; i++) if (text == names[i]) return i;
        var num = Regex.Match(text, @"^(\d{1,2})\b");
        if (num.Success && int.TryParse(num.Groups[1].Value, out var n) && n >= 1 && n <= topics.Count) return n - 1;
        var hits = Enumerable.Range(0, names.Length).Where(i => (" " + text + " ").Contains(" " + names[i] + " ")).ToList();
        if (hits.Count == 0) return null;
        var longest = hits.Max(i => names[i].Length);
        var best = hits.Where(i => names[i].Length == longest).ToList();
        if (best.Count != 1) return null;
        // A shorter name that is not part of the longest one means the answer names two topics: ambiguous.
        return hits.Any(i => !names[best[0]].Contains(names[i])) ? null : best[0];
    }

    /// <summary>
    /// Asks <paramref name="client"/> for each dilemma (sequentially, temperature 0 unless <paramref name="options"/>
    /// says otherwise). Unparseable answers get label -1 (shown as <c>(none)</c> by <see cref="TopicAssignment.LabelNames"/>)
    /// and are counted in <c>Unparseable</c>; the raw answers are returned for inspection. Pass a
    /// <see cref="MoralGap.Llm.CachedChatClient"/> (<c>config.CreateCachedClient(model, cacheFolder)</c>) so that every answer
    /// is stored before it is parsed and a rerun asks nothing.
    /// </summary>
    public static async Task<(TopicAssignment Assignment, int Unparseable, string[] RawAnswers)> AssignAsync(
        IChatClient client, IReadOnlyList<Dilemma> dilemmas, IReadOnlyList<TopicDefinition> topics,
        ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(dilemmas);
        options ??= new ChatOptions { Temperature = 0f };
        var labels = new int[dilemmas.Count];
        var raw = new string[dilemmas.Count];
        var bad = 0;
        for (var i = 0; i < dilemmas.Count; i++)
        {
            var response = await client.GetResponseAsync(Prompt(dilemmas[i], topics), options, cancellationToken).ConfigureAwait(false);
            raw[i] = response.Text ?? "";
            var l = ParseAnswer(raw[i], topics);
            labels[i] = l ?? -1;
            if (l is null) bad++;
        }
        return (new TopicAssignment("llm", labels, topics.Select(t => t.Name).ToArray(),
            Enumerable.Repeat(double.NaN, labels.Length).ToArray()), bad, raw);
    }

    private static string Clean(string s) =>
        Regex.Replace(Regex.Replace(s.ToLowerInvariant().Replace("&", " and "), @"[^a-z0-9]+", " "), @"\s+", " ").Trim();

    [GeneratedRegex(@"topic\s*[:\-]\s*(.+)", RegexOptions.IgnoreCase)]
    private static partial Regex TopicLine();
}
