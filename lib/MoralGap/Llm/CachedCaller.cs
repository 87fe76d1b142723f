using Microsoft.Extensions.AI;

namespace MoralGap.Llm;

/// <summary>One answer obtained through <see cref="CachedCaller"/>.</summary>
/// <param name="Response">The answer as stored.</param>
/// <param name="FromCache">True when it was read from the cache (no call made by this caller).</param>
/// <param name="Attempts">Calls made for it (0 when read from the cache).</param>
public sealed record CachedAnswer(CachedResponse Response, bool FromCache, int Attempts);

/// <summary>
/// The one way a paid call is made, shared by <see cref="CachedChatClient"/> and judgment collection: claim the
/// <see cref="CacheKey"/> in the cache (<see cref="ResponseCache.ClaimAsync"/>: the stored answer, or a lease, or a wait
/// while another process buys it); without an answer, call the model with retries of transient failures
/// (<see cref="LlmRetry"/>) and a per-attempt timeout; store the answer before returning it.
/// </summary>
/// <remarks>
/// With retry options, the caller's token stops the waits between retries, not a call in flight (the attempt timeout
/// bounds it), so an answer the provider is already producing is received and kept. Without them there is one attempt
/// and the token goes to the model. Failures throw the model's exception unchanged; nothing is stored for them.
/// </remarks>
public sealed class CachedCaller
{
    private readonly Polly.ResiliencePipeline _pipeline;

    /// <summary>Calls <paramref name="inner"/>, caching in <paramref name="cache"/> (null: no cache, every request is a call).</summary>
    public CachedCaller(IChatClient inner, ResponseCache? cache, LlmRetryOptions? retry)
    {
        Inner = inner ?? throw new ArgumentNullException(nameof(inner));
        Cache = cache;
        Retry = retry;
        _pipeline = retry is null ? Polly.ResiliencePipeline.Empty : LlmRetry.CreatePipeline(retry);
    }

    /// <summary>The model client that makes the paid calls.</summary>
    public IChatClient Inner { get; }

    /// <summary>The response cache, or null.</summary>
    public ResponseCache? Cache { get; }

    /// <summary>Retry options, or null (one attempt, no attempt timeout).</summary>
    public LlmRetryOptions? Retry { get; }

    /// <summary>The answer to <paramref name="messages"/> under <paramref name="key"/>, from the cache or from one paid call.</summary>
    /// <param name="key">The request's key (<see cref="CacheKey.For"/> of the same messages and options).</param>
    /// <param name="messages">The prompt.</param>
    /// <param name="options">The request options sent to the model.</param>
    /// <param name="onAttempt">Called as each attempt starts (progress counters).</param>
    /// <param name="cancellationToken">Stops the waits between retries (see remarks of the class).</param>
    public async Task<CachedAnswer> GetAsync(CacheKey key, IList<ChatMessage> messages, ChatOptions? options, Action? onAttempt = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(messages);
        CacheLease? lease = null;
        if (Cache is not null)
        {
            var claim = await Cache.ClaimAsync(key, cancellationToken).ConfigureAwait(false);
            if (claim.Answer is not null) return new CachedAnswer(claim.Answer, true, 0);
            lease = claim.Lease;
        }
        using var held = lease; // another process asking the same key waits for this answer instead of buying it too

        var attempts = 0;
        var response = await _pipeline.ExecuteAsync(async token =>
        {
            Interlocked.Increment(ref attempts);
            onAttempt?.Invoke();
            if (Retry is null) return await Inner.GetResponseAsync(messages, options, token).ConfigureAwait(false);
            using var attempt = new CancellationTokenSource(Retry.EffectiveAttemptTimeout);
            try
            {
                return await Inner.GetResponseAsync(messages, options, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (attempt.IsCancellationRequested)
            {
                throw new LlmAttemptTimeoutException(Retry.EffectiveAttemptTimeout);
            }
        }, cancellationToken).ConfigureAwait(false);

        var answer = new CachedResponse(response.Text ?? "", response.FinishReason?.Value, response.ModelId,
            response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, DateTimeOffset.UtcNow);
        // Stored before it is used (the caller may crash while parsing it); should an answer already be stored (a lease
        // that expired under a stalled process), the first one is kept and returned, so every stage reads the same answer.
        var stored = Cache?.Put(key, answer) ?? answer;
        return new CachedAnswer(stored, false, attempts);
    }
}
