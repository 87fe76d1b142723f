using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MoralGap.Llm;

/// <summary>
/// An <see cref="IChatClient"/> that never pays twice for an answer and never loses one it paid for: it answers from a
/// <see cref="ResponseCache"/> when it can, and writes every new answer to the cache (atomically, see
/// <see cref="ResponseCache.Put"/>) <em>before</em> returning it, so a caller that crashes while parsing, or a run killed
/// midway, keeps every answer already received and a rerun calls only what is missing. Any stage that asks a model
/// (value extraction, topic assignment, DMP conditions) can wrap its client with it; judgment collection
/// (MoralGap.Judging.JudgmentCollector) calls through the same <see cref="CachedCaller"/> under the same key.
/// <code>
/// var client = LlmConfiguration.FromEnvironment().CreateCachedClient("gpt-4o-mini", "artifacts/llm-cache");
/// </code>
/// </summary>
/// <remarks>
/// <para><b>Key.</b> One answer per <see cref="CacheKey"/>, the key every stage shares (<see cref="CacheKey.For"/>):
/// provider id, model (<see cref="ChatOptions.ModelId"/> when set, else the model given to the constructor), messages as
/// (role, text), temperature, sample index, and the other answer-shaping options when any is set. The sample index is
/// the request's <see cref="ChatOptions.Seed"/> (0 without one): sample i is sent with seed i, so judgment collection and
/// this client asking the same sample of the same prompt read one entry. Requests the key cannot describe honestly
/// (tools, non-text content, …) are refused with <see cref="NotSupportedException"/> rather than answered wrongly.</para>
/// <para><b>Calls</b> go through <see cref="CachedCaller"/>, the one cache → retry → attempt-timeout path judgment
/// collection uses too. With <c>retry</c> options, transient failures (429, 5xx, timeouts, network errors) are retried
/// (backoff, Retry-After honoured), each attempt limited to <see cref="LlmRetryOptions.AttemptTimeout"/>; cancelling stops
/// the waits between retries but lets a call in flight finish, and its answer is stored and returned. Without them, the
/// token goes to the inner client. Nothing is stored for a call that failed.</para>
/// <para><b>Secrets.</b> The API key is not part of a request's messages or options, so it never reaches the cache.
/// With a <c>redact</c> function (e.g. <see cref="LlmConfiguration.Redact"/>), an exception whose text would contain the
/// key (some servers echo it in a 401 body) is replaced by an <see cref="LlmCallException"/> with the key shown as
/// <c>***</c> and no inner exception.</para>
/// <para><b>Streaming</b> is answered from one complete response (cached like any other), split into updates.</para>
/// </remarks>
public sealed class CachedChatClient : DelegatingChatClient
{
    /// <summary>The key in <see cref="ChatResponse.AdditionalProperties"/> set to <c>true</c> on an answer read from the cache.</summary>
    public const string FromCacheProperty = "moralgap.from_cache";

    private readonly CachedCaller _caller;
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
        _caller = new CachedCaller(inner, cache, retry);
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

    /// <summary>The cache key of a request (<see cref="CacheKey.For"/> with this client's provider and model; sample index = the request's seed, or 0).</summary>
    /// <exception cref="NotSupportedException">The request uses an option or content the cache cannot key (the message names it).</exception>
    public CacheKey KeyFor(IEnumerable<ChatMessage> messages, ChatOptions? options = null) => CacheKey.For(Provider, Model, messages, options);

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? messages.ToList();
        var key = KeyFor(list, options);
        CachedAnswer answer;
        try
        {
            answer = await _caller.GetAsync(key, list, options, cancellationToken: cancellationToken).ConfigureAwait(false);
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
        Interlocked.Increment(ref answer.FromCache ? ref _hits : ref _stored);
        return ToResponse(answer.Response, answer.FromCache);
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

    private static ChatResponse ToResponse(CachedResponse answer, bool fromCache) => new(new ChatMessage(ChatRole.Assistant, answer.Text))
    {
        ModelId = answer.ResponseModelId,
        FinishReason = string.IsNullOrEmpty(answer.FinishReason) ? null : new ChatFinishReason(answer.FinishReason),
        CreatedAt = answer.CreatedUtc,
        Usage = answer.InputTokens is null && answer.OutputTokens is null ? null
            : new UsageDetails { InputTokenCount = answer.InputTokens, OutputTokenCount = answer.OutputTokens, TotalTokenCount = (answer.InputTokens ?? 0) + (answer.OutputTokens ?? 0) },
        AdditionalProperties = new AdditionalPropertiesDictionary { [FromCacheProperty] = fromCache },
    };
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
