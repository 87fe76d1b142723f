using System.Text.Json;
using System.Text.RegularExpressions;
using MoralGap.Data;
using Microsoft.Extensions.AI;

namespace MoralGap.Values;

/// <summary>
/// The LLM value extractor: asks a chat model which values a rationale appeals to, as short free-form expressions
/// (in the spirit of Value Kaleidoscope, Sorensen et al. 2024, and of the paper's extraction step, whose prompt is
/// unpublished; the prompt here is our own, see <see cref="BuildPrompt"/>). The answer is parsed robustly
/// (<see cref="ParseExpressions"/>); an expression found verbatim in the rationale gets its span.
/// </summary>
/// <remarks>
/// Caching: this class has no cache of its own; give it a <see cref="MoralGap.Llm.CachedChatClient"/>
/// (<see cref="MoralGap.Llm.LlmConfiguration.CreateCachedClient(string, string, MoralGap.Llm.LlmRetryOptions?, TimeSpan?)"/>),
/// so every stage caches the same way: each answer, parseable or not, is stored before it is parsed, a rerun asks nothing
/// already answered, and a run that fails midway keeps what it received. Requests use temperature 0 unless other
/// <see cref="ChatOptions"/> are given, so a cached answer is the one a rerun asks for.
/// <code>
/// var extractor = new LlmValueExtractor(config.CreateCachedClient(config.Models[0], "artifacts/llm-cache"));
/// var values = await extractor.ExtractAsync("NTA. She lied to you, and honesty matters.");
/// </code>
/// </remarks>
public sealed partial class LlmValueExtractor
{
    private int unparsed;

    /// <summary>Creates an extractor over <paramref name="client"/>.</summary>
    /// <param name="client">Any chat client (Azure OpenAI, OpenAI, a local OpenAI-compatible server, the simulated judge, a fake in tests).</param>
    /// <param name="options">Options for every request (model id, temperature…); temperature 0 when null.</param>
    public LlmValueExtractor(IChatClient client, ChatOptions? options = null)
    {
        Client = client ?? throw new ArgumentNullException(nameof(client));
        Options = options ?? new ChatOptions { Temperature = 0f };
    }

    /// <summary>The chat client.</summary>
    public IChatClient Client { get; }

    /// <summary>The options sent with each request.</summary>
    public ChatOptions Options { get; }

    /// <summary>Number of non-empty answers from which no expression could be parsed (and that did not say "none").</summary>
    public int UnparsedResponses => Volatile.Read(ref unparsed);

    /// <summary>Instructions sent as the system message.</summary>
    public const string SystemPrompt =
        "You read short justifications of moral judgments and name the human values they rely on.";

    /// <summary>The user message for one rationale.</summary>
    public static string BuildPrompt(string rationale)
    {
        ArgumentNullException.ThrowIfNull(rationale);
        return """
            Someone judged whether another person's behaviour was acceptable and explained why. Which values does their
            explanation appeal to? Name each value as a short expression of one to four words, preferably words taken from
            the explanation itself (for example "honesty", "respect for privacy", "family loyalty"). List each value once.
            Answer with a JSON array of strings and nothing else, for example ["honesty", "fairness"]. If the explanation
            appeals to no value, answer [].

            Explanation:
            <<<
            """ + "\n" + rationale.Trim() + "\n>>>";
    }

    /// <summary>The value expressions of one rationale.</summary>
    public async Task<IReadOnlyList<ValueExpression>> ExtractAsync(string rationale, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rationale);
        List<ChatMessage> messages = [new(ChatRole.System, SystemPrompt), new(ChatRole.User, BuildPrompt(rationale))];
        var response = await Client.GetResponseAsync(messages, Options, cancellationToken).ConfigureAwait(false);
        var text = response.Text ?? "";
        var expressions = ParseExpressions(text);
        if (expressions.Count == 0 && !SaysNone(text)) Interlocked.Increment(ref unparsed);
        return expressions.Select(e => Locate(e, rationale)).ToArray();
    }

    /// <summary>The value expressions of each rationale, in order, asking one rationale at a time.</summary>
    /// <param name="rationales">The rationales.</param>
    /// <param name="progress">Receives the number of rationales done.</param>
    /// <param name="cancellationToken">Cancels the remaining requests.</param>
    public async Task<IReadOnlyList<IReadOnlyList<ValueExpression>>> ExtractManyAsync(IEnumerable<string> rationales, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rationales);
        var result = new List<IReadOnlyList<ValueExpression>>();
        foreach (var r in rationales)
        {
            if (r is null) throw new ArgumentException($"Rationale {result.Count} is null.", nameof(rationales));
            result.Add(await ExtractAsync(r, cancellationToken).ConfigureAwait(false));
            progress?.Report(result.Count);
        }
        return result;
    }

    /// <summary>
    /// An expression as a <see cref="ValueExpression"/>: its span when it appears verbatim in the rationale (ignoring case),
    /// else no span; its value when it is one of the paper's value names, else none (clustering maps it later).
    /// </summary>
    public static ValueExpression Locate(string expression, string rationale)
    {
        var at = rationale.IndexOf(expression, StringComparison.OrdinalIgnoreCase);
        var k = PaperValues.IndexOf(expression);
        return new ValueExpression(expression, at >= 0 ? new TextSpan(at, expression.Length) : null, k >= 0 ? PaperValues.Names[k] : null, null);
    }

    [GeneratedRegex(@"```[a-zA-Z]*\s*\n?(.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeFence();

    [GeneratedRegex(@"^\s*(?:[-*•+]|\(?\d{1,3}[.):]|\(?[a-zA-Z][.)])\s+")]
    private static partial Regex ListMarker();

    [GeneratedRegex(@"\s+(?:-|–|—|:)\s+|:\s+")]
    private static partial Regex Explanation();

    /// <summary>
    /// The expressions in a model's answer, in order, each once (case-insensitive). Accepts a JSON array of strings (or
    /// of objects with a "value", "expression" or "name" field, or an object holding such an array), possibly inside a
    /// code fence or surrounded by prose; otherwise a bulleted or numbered list ("- honesty", "1. Honesty: because…");
    /// otherwise short lines or a comma-separated line. Introductory prose ("Here are the values:") and explanations
    /// after a dash or colon are dropped.
    /// </summary>
    public static IReadOnlyList<string> ParseExpressions(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var text = response.Trim();
        var fence = CodeFence().Match(text);
        if (fence.Success) text = fence.Groups[1].Value.Trim();

        var fromJson = TryJson(text) ?? (fence.Success ? null : TryJson(response));
        var raw = fromJson ?? FromLines(text);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var result = new List<string>();
        foreach (var r in raw)
        {
            var c = Clean(r);
            if (c.Length == 0 || c.Length > 80 || IsNone(c)) continue;
            if (seen.Add(c)) result.Add(c);
        }
        return result;
    }

    private static List<string>? TryJson(string text)
    {
        foreach (var (open, close) in new[] { ('[', ']'), ('{', '}') })
        {
            var a = text.IndexOf(open);
            var b = text.LastIndexOf(close);
            if (a < 0 || b <= a) continue;
            try
            {
                using var doc = JsonDocument.Parse(text[a..(b + 1)], new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
                var list = new List<string>();
                Collect(doc.RootElement, list, depth: 0);
                return list;
            }
            catch (JsonException) { }
        }
        return null;
    }

    private static void Collect(JsonElement e, List<string> into, int depth)
    {
        if (depth > 3) return;
        switch (e.ValueKind)
        {
            case JsonValueKind.String: into.Add(e.GetString()!); break;
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) Collect(x, into, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var key in new[] { "value", "expression", "name", "values", "expressions" })
                    foreach (var p in e.EnumerateObject())
                        if (string.Equals(p.Name, key, StringComparison.OrdinalIgnoreCase)) { Collect(p.Value, into, depth + 1); return; }
                break;
        }
    }

    private static List<string> FromLines(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
        var listed = lines.Where(l => ListMarker().IsMatch(l)).ToArray();
        if (listed.Length > 0)
            return listed.Select(l => ListMarker().Replace(l, "")).Select(StripExplanation).ToList();
        var result = new List<string>();
        foreach (var l in lines)
        {
            if (l.EndsWith(':')) continue;                       // "Here are the values:"
            if (l.Contains(',') && !l.EndsWith('.'))
            { result.AddRange(l.Split(',').Select(StripExplanation)); continue; }
            var item = StripExplanation(l);
            if (item.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length <= 6) result.Add(item);
        }
        return result;
    }

    private static string StripExplanation(string item)
    {
        var m = Explanation().Match(item);
        return m.Success && m.Index > 0 ? item[..m.Index] : item;
    }

    private static string Clean(string s)
    {
        s = s.Replace("**", "").Replace("__", "").Trim();
        s = s.Trim('"', '\'', '“', '”', '‘', '’', '`', ' ', '.', ',', ';', '[', ']');
        if (s.StartsWith("and ", StringComparison.OrdinalIgnoreCase)) s = s[4..].Trim();
        return s;
    }

    private static bool IsNone(string s) => s.Equals("none", StringComparison.OrdinalIgnoreCase) || s.Equals("n/a", StringComparison.OrdinalIgnoreCase);

    private static bool SaysNone(string text)
    {
        var t = text.Trim().Trim('`').Trim();
        return t == "[]" || t.Contains("[]") || IsNone(t.TrimEnd('.')) || t.StartsWith("no value", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc/>
    public override string ToString() => $"LlmValueExtractor({Client.GetType().Name}, model {Options.ModelId ?? "default"})";
}
