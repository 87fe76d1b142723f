using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MoralGap.Llm;

/// <summary>
/// What identifies one paid LLM answer, the one key every chapter, verb and batch shares: the same provider, model,
/// messages (system + user), temperature and sample index is one cache entry whichever stage asks. Its canonical JSON
/// (fixed property order) is hashed with SHA-256 (<see cref="Hash"/>); that hash names the cache row and is the
/// <c>custom_id</c> of the request in a Batch API file.
/// </summary>
/// <remarks>
/// <para><b>Provider</b> is part of the key because a model name is not global: an Azure deployment name or a local
/// server's model name is chosen by whoever runs it, so <c>gpt-4o</c> on two endpoints may be two different models.
/// It is a secret-free id (<see cref="LlmConfiguration.ProviderId"/>), never an API key.</para>
/// <para><b>Sample index.</b> Sample i of a prompt is sent with request seed i (<see cref="RequestSeed"/>), so the seed
/// adds nothing to the key: a request whose seed is not its sample index is refused, and a request without a seed is
/// sample 0 unless the caller names another (as the judgment collector does with seeds switched off).</para>
/// <para><b>Options</b> holds, as sorted JSON, every other option that shapes the answer and is set: max output tokens
/// (a lower limit truncates the answer), instructions, top-p, top-k, penalties, stop sequences, response format,
/// reasoning, additional properties. Null when none is set. Options that cannot be keyed honestly (tools, a
/// conversation id, a continuation token, a raw-representation factory, background responses) and messages with
/// non-text content are refused with <see cref="NotSupportedException"/>.</para>
/// <para><b>Temperature</b> is written as the shortest text of the single-precision value the request carries
/// (<see cref="ChatOptions.Temperature"/> is a float), so 0.7 given as a double or a float is one key.</para>
/// </remarks>
/// <param name="Provider">Secret-free provider id, e.g. <c>openai</c> or <c>openai-compatible:http://127.0.0.1:11434/v1</c>.</param>
/// <param name="Model">Model or deployment name.</param>
/// <param name="Messages">The prompt, as (role, text) pairs in order.</param>
/// <param name="Temperature">Sampling temperature as sent, or null when not sent.</param>
/// <param name="SampleIndex">0-based sample index: samples of the same prompt are distinct answers.</param>
/// <param name="Options">Sorted JSON of the other answer-shaping options, or null when none is set.</param>
public sealed record CacheKey(
    string Provider,
    string Model,
    IReadOnlyList<CacheMessage> Messages,
    double? Temperature,
    int SampleIndex,
    string? Options)
{
    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web) { WriteIndented = false };

    /// <summary>The serializer options of <see cref="Canonical"/> (for code that assembles canonical bytes from pieces).</summary>
    internal static JsonSerializerOptions CanonicalJsonOptions => CanonicalJson;
    private static readonly JsonSerializerOptions OptionsJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    /// <summary>The canonical JSON text of the key (what is hashed and stored beside the answer).</summary>
    public string Canonical() => JsonSerializer.Serialize(this, CanonicalJson);

    /// <summary>Lower-case hex SHA-256 of <see cref="Canonical"/>: the cache row's name and the batch request's <c>custom_id</c>.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(this, CanonicalJson))); // the UTF-8 bytes of Canonical()

    /// <summary>Reads a key back from its <see cref="Canonical"/> text.</summary>
    /// <exception cref="JsonException">The text is not a key.</exception>
    public static CacheKey Parse(string canonical)
    {
        var key = JsonSerializer.Deserialize<CacheKey>(canonical, CanonicalJson) ?? throw new JsonException("empty cache key");
        if (string.IsNullOrEmpty(key.Provider) || string.IsNullOrEmpty(key.Model) || key.Messages is null) throw new JsonException("incomplete cache key");
        return key;
    }

    /// <summary>The seed sample <paramref name="sampleIndex"/> is sent with: the index itself.</summary>
    public static long RequestSeed(int sampleIndex) => sampleIndex;

    /// <summary>
    /// The one key of a request: <paramref name="model"/> unless <see cref="ChatOptions.ModelId"/> names another, the
    /// messages as (role, text), the temperature as sent, the sample index and the other answer-shaping options.
    /// </summary>
    /// <param name="provider">Secret-free provider id.</param>
    /// <param name="model">The model the client answers as.</param>
    /// <param name="messages">The prompt.</param>
    /// <param name="options">The request's options (may be null).</param>
    /// <param name="sampleIndex">The sample index; null: the request's seed (0 when it has none).</param>
    /// <exception cref="NotSupportedException">The request uses an option or content the cache cannot key (the message names it).</exception>
    /// <exception cref="ArgumentException">The request's seed is not its sample index.</exception>
    public static CacheKey For(string provider, string model, IEnumerable<ChatMessage> messages, ChatOptions? options, int? sampleIndex = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(messages);
        var seed = options?.Seed;
        if (seed is not null && (seed < 0 || seed > int.MaxValue))
            throw new ArgumentException($"The request seed {seed} is not a sample index: sample i is sent with seed i, so one request has one key.", nameof(options));
        var sample = sampleIndex ?? (int)(seed ?? 0);
        if (sample < 0) throw new ArgumentOutOfRangeException(nameof(sampleIndex), sample, "The sample index must be ≥ 0.");
        if (seed is not null && seed != RequestSeed(sample))
            throw new ArgumentException($"The request seed {seed} differs from its sample index {sample}: sample i is sent with seed i, so one request has one key.", nameof(options));

        var list = new List<CacheMessage>();
        var index = 0;
        foreach (var m in messages)
        {
            if (m is null) throw new ArgumentException($"Message {index} is null.", nameof(messages));
            var other = m.Contents.FirstOrDefault(c => c is not TextContent);
            if (other is not null)
                throw new NotSupportedException($"The response cache cannot key message {index} ({m.Role.Value}): it holds {other.GetType().Name}; only text messages can be cached. Call the model directly.");
            list.Add(new CacheMessage(m.Role.Value, m.Text));
            index++;
        }
        return new CacheKey(provider, string.IsNullOrWhiteSpace(options?.ModelId) ? model : options.ModelId!, list,
            NormalTemperature(options?.Temperature), sample, ExtraOptions(options));
    }

    /// <summary>A temperature as the request carries it (single precision), written as its shortest decimal text.</summary>
    public static double? NormalTemperature(double? temperature) =>
        temperature is null ? null : double.Parse(((float)temperature.Value).ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    /// <summary>The JSON of the answer-shaping options outside the key's own fields, or null when none is set.</summary>
    private static string? ExtraOptions(ChatOptions? o)
    {
        if (o is null) return null;
        if (o.Tools is { Count: > 0 }) throw Unsupported("tools (function calling)");
        if (!string.IsNullOrEmpty(o.ConversationId)) throw Unsupported("a ConversationId (server-side conversation state)");
        if (o.ContinuationToken is not null) throw Unsupported("a ContinuationToken");
        if (o.RawRepresentationFactory is not null) throw Unsupported("a RawRepresentationFactory (the request it builds cannot be keyed)");
        if (o.AllowBackgroundResponses == true) throw Unsupported("background responses");

        var extra = new SortedDictionary<string, JsonElement>(StringComparer.Ordinal);
        void Add(string name, object? value, Type type)
        {
            if (value is not null) extra[name] = JsonSerializer.SerializeToElement(value, type, OptionsJson);
        }
        Add("maxOutputTokens", o.MaxOutputTokens, typeof(int));
        Add("instructions", o.Instructions, typeof(string));
        Add("topP", o.TopP, typeof(float));
        Add("topK", o.TopK, typeof(int));
        Add("frequencyPenalty", o.FrequencyPenalty, typeof(float));
        Add("presencePenalty", o.PresencePenalty, typeof(float));
        if (o.StopSequences is { Count: > 0 }) Add("stopSequences", o.StopSequences.ToArray(), typeof(string[]));
        if (o.ResponseFormat is not null) Add("responseFormat", o.ResponseFormat, typeof(ChatResponseFormat));
        if (o.Reasoning is not null) Add("reasoning", o.Reasoning, o.Reasoning.GetType());
        if (o.AdditionalProperties is { Count: > 0 })
            Add("additionalProperties", new SortedDictionary<string, object?>(o.AdditionalProperties, StringComparer.Ordinal), typeof(SortedDictionary<string, object?>));
        return extra.Count == 0 ? null : JsonSerializer.Serialize(extra, OptionsJson);
    }

    private static NotSupportedException Unsupported(string what) =>
        new($"The response cache cannot key a request with {what}: the stored answer could not be matched to it honestly. Call the model directly.");
}

/// <summary>One prompt message in a <see cref="CacheKey"/>.</summary>
public sealed record CacheMessage(string Role, string Text);
