using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace MoralGap.Llm;

/// <summary>
/// An <see cref="IChatClient"/> that never pays twice for an answer and never loses one it paid for: it answers from a
/// <see cref="ResponseCache"/> when it can, and writes every new answer to the cache (atomically, see
/// <see cref="ResponseCache.Put"/>) <em>before</em> returning it, so a caller that crashes while parsing, or a run killed
/// midway, keeps every answer already received and a rerun calls only what is missing. Any stage that asks a model
/// (value extraction, topic assignment, DMP conditions) can wrap its client with it; judgment collection
/// (MoralGap.Judging.JudgmentCollector) caches in the same store by itself.
/// <code>
/// var client = LlmConfiguration.FromEnvironment().CreateCachedClient("gpt-4o-mini", "artifacts/llm-cache");
/// </code>
/// </summary>
/// <remarks>
/// <para><b>Key.</b> One answer per <see cref="CacheKey"/> = (provider id, model, messages as (role, text), temperature,
/// max output tokens, seed, sample index 0), built by <see cref="KeyFor"/>. The model is <see cref="ChatOptions.ModelId"/>
/// when set, else the model given to the constructor. Other options that shape the answer (instructions, top-p, top-k,
/// penalties, stop sequences, response format, reasoning, additional properties) are written, when any is set, into the
/// key as a first pseudo-message with role <see cref="OptionsRole"/> holding their JSON, so two requests that differ only
/// there are distinct keys; a request without them has exactly the key of the fields above. Options the cache cannot
/// key honestly (tools, a conversation id, a continuation token, a raw-representation factory, background responses) and
/// messages with non-text content are refused with <see cref="NotSupportedException"/> rather than answered wrongly.</para>
/// <para><b>Samples.</b> Identical requests get the identical stored answer. To draw several samples of one prompt, send a
/// distinct <see cref="ChatOptions.Seed"/> per sample (as MoralGap.Profiles.DmpEvaluation does); temperature-0 stages
/// (value extraction, topics) want exactly one answer per prompt anyway. Two identical requests in flight at the same
/// moment may both be sent (the second answer overwrites the first, both valid).</para>
/// <para><b>Retries.</b> With <c>retry</c> options, transient failures of the inner client (429, 5xx, timeouts, network
/// errors) are retried with <see cref="LlmRetry"/> (backoff, Retry-After honoured) and each attempt is limited to
/// <see cref="LlmRetryOptions.AttemptTimeout"/>; nothing is stored for a call that failed (nothing was received). With
/// retry options, cancelling stops the waits between retries but lets a call in flight finish (within its attempt timeout),
/// and its answer is stored and returned, as judgment collection does; without them, the token goes to the inner client.</para>
/// <para><b>Secrets.</b> The API key is not part of a request's messages or options, so it never reaches a cache file.
/// With a <c>redact</c> function (e.g. <see cref="LlmConfiguration.Redact"/>), an exception whose text would contain the
/// key (some servers echo it in a 401 body) is replaced by an <see cref="LlmCallException"/> with the key shown as
/// <c>***</c> and no inner exception.</para>
/// <para><b>Streaming</b> is answered from one complete response (cached like any other), split into updates.</para>
/// </remarks>
public sealed class CachedChatClient : DelegatingChatClient
{
    /// <summary>Role of the pseudo-message that carries the extra answer-shaping options in a <see cref="CacheKey"/>.</summary>
    public const string OptionsRole = "moralgap.chat-options";

    /// <summary>The key in <see cref="ChatResponse.AdditionalProperties"/> set to <c>true</c> on an answer read from the cache.</summary>
    public const string FromCacheProperty = "moralgap.from_cache";

    private static readonly JsonSerializerOptions OptionsJson = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly Polly.ResiliencePipeline _pipeline;
    private readonly Func<string?, string>? _redact;
    private long _hits, _stored, _failures;

    /// <summary>Wraps <paramref name="inner"/>, which answers as <paramref name="model"/> on <paramref name="provider"/>.</summary>
    /// <param name="inner">The client that makes the paid calls.</param>
    /// <param name="cache">Where answers are stored; may be shared by several clients and processes.</param>
    /// <param name="provider">Secret-free provider id for the key (<see cref="LlmConfiguration.ProviderId"/>), never a key.</param>
    /// <param name="model">The model or deployment <paramref name="inner"/> answers as.</param>
    /// <param name="retry">Retry transient failures with these options; null: no retries (one attempt, no attempt timeout).</param>
    /// <param name="redact">Removes the provider's secret from error text (<see cref="LlmConfiguration.Redact"/>); null: errors pass unchanged.</param>
    public CachedChatClient(IChatClient inner, ResponseCache cache, string provider, string model,
        LlmRetryOptions? retry = null, Func<string?, string>? redact = null) : base(inner)
    {
        Cache = cache ?? throw new ArgumentNullException(nameof(cache));
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        Provider = provider;
        Model = model;
        Retry = retry;
        _pipeline = retry is null ? Polly.ResiliencePipeline.Empty : LlmRetry.CreatePipeline(retry);
        _redact = redact;
    }

    /// <summary>The response cache.</summary>
    public ResponseCache Cache { get; }

    /// <summary>The secret-free provider id in every key.</summary>
    public string Provider { get; }

    /// <summary>The model in every key (unless a request's <see cref="ChatOptions.ModelId"/> names another).</summary>
    public string Model { get; }

    /// <summary>The retry options, or null when failures are not retried.</summary>
    public LlmRetryOptions? Retry { get; }

    /// <summary>Requests answered from the cache by this client (no call made).</summary>
    public long CacheHits => Interlocked.Read(ref _hits);

    /// <summary>Answers received from the inner client and stored (paid calls), by this client.</summary>
    public long AnswersStored => Interlocked.Read(ref _stored);

    /// <summary>Requests that failed after all retries (nothing received, nothing stored).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>
    /// The cache key of a request: (provider, model, messages, temperature, max output tokens, seed, sample 0), with the
    /// extra answer-shaping options, if any, as a first <see cref="OptionsRole"/> message (see remarks of the class).
    /// </summary>
    /// <exception cref="NotSupportedException">The request uses an option or content the cache cannot key (the message names it).</exception>
    public CacheKey KeyFor(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = new List<CacheMessage>();
        if (ExtraOptions(options) is { } extra) list.Add(new CacheMessage(OptionsRole, extra));
        var index = 0;
        foreach (var m in messages)
        {
            if (m is null) throw new ArgumentException($"Message {index} is null.", nameof(messages));
            var other = m.Contents.FirstOrDefault(c => c is not TextContent);
            if (other is not null)
                throw new NotSupportedException($"CachedChatClient: message {index} ({m.Role.Value}) holds {other.GetType().Name}; only text messages can be cached. Call the inner client directly.");
            list.Add(new CacheMessage(m.Role.Value, m.Text));
            index++;
        }
        // Temperature goes through float? exactly as the request sends it (the key chapters 08–09 wrote since they began).
        return new CacheKey(Provider, string.IsNullOrWhiteSpace(options?.ModelId) ? Model : options.ModelId!, list,
            options?.Temperature, options?.MaxOutputTokens, options?.Seed, 0);
    }

    /// <summary>True when the answer to this request is already stored (nothing would be called).</summary>
    public bool IsCached(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => File.Exists(Cache.PathFor(KeyFor(messages, options)));

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var key = KeyFor(list, options);
        var hit = Cache.TryGet(key);
        if (hit is not null)
        {
            Interlocked.Increment(ref _hits);
            return FromCache(hit);
        }

        ChatResponse response;
        try
        {
            response = await _pipeline.ExecuteAsync(async token =>
            {
                if (Retry is null) return await base.GetResponseAsync(list, options, token).ConfigureAwait(false);
                // As in judgment collection: the caller's token stops the waits between retries, not a call in flight
                // (the attempt timeout bounds it), so an answer the provider is already producing is received and kept.
                using var attempt = new CancellationTokenSource(Retry.EffectiveAttemptTimeout);
                try
                {
                    return await base.GetResponseAsync(list, options, attempt.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (attempt.IsCancellationRequested)
                {
                    throw new LlmAttemptTimeoutException(Retry.EffectiveAttemptTimeout);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failures);
            if (_redact is not null)
            {
                var text = e.ToString();
                if (_redact(text) != text)
                    throw new LlmCallException(_redact($"{e.GetType().Name}: {e.Message}"), LlmRetry.StatusOf(e));
            }
            throw;
        }

        // Stored before it is returned: the caller may crash while using it, the answer is kept.
        Cache.Put(key, new CachedResponse(response.Text ?? "", response.FinishReason?.Value, response.ModelId,
            response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, DateTimeOffset.UtcNow));
        Interlocked.Increment(ref _stored);
        return response;
    }

    /// <summary>Answers from one complete (cached) response, split into updates: the stream is not incremental.</summary>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Model} ({Provider}) cached in {Cache.Folder}: {AnswersStored} answers stored, {CacheHits} from cache, {Failures} failed" +
        (Retry is null ? "" : $", up to {Retry.MaxRetries} retries");

    private static ChatResponse FromCache(CachedResponse hit) => new(new ChatMessage(ChatRole.Assistant, hit.Text))
    {
        ModelId = hit.ResponseModelId,
        FinishReason = string.IsNullOrEmpty(hit.FinishReason) ? null : new ChatFinishReason(hit.FinishReason),
        CreatedAt = hit.CreatedUtc,
        Usage = hit.InputTokens is null && hit.OutputTokens is null ? null
            : new UsageDetails { InputTokenCount = hit.InputTokens, OutputTokenCount = hit.OutputTokens, TotalTokenCount = (hit.InputTokens ?? 0) + (hit.OutputTokens ?? 0) },
        AdditionalProperties = new AdditionalPropertiesDictionary { [FromCacheProperty] = true },
    };

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
        new($"CachedChatClient cannot cache a request with {what}: the stored answer could not be matched to it honestly. Call the inner client directly.");
}

/// <summary>
/// A failed LLM call whose original error text held a secret: the message is redacted (the key shown as <c>***</c>) and
/// the original exception is not kept, so nothing downstream (a notebook output, a log) can show the key.
/// </summary>
/// <param name="message">The redacted message: original exception type and message.</param>
/// <param name="httpStatus">The HTTP status of the failed call, if any.</param>
public sealed class LlmCallException(string message, int? httpStatus) : Exception(message)
{
    /// <summary>The HTTP status of the failed call, if any.</summary>
    public int? HttpStatus { get; } = httpStatus;
}
