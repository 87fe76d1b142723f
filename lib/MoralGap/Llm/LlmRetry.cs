using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Polly;
using Polly.Retry;

namespace MoralGap.Llm;

/// <summary>How LLM calls are retried.</summary>
/// <param name="MaxRetries">Retries after the first attempt (default 5).</param>
/// <param name="BaseDelay">First exponential backoff delay, doubled each retry, with jitter (default 1 s).</param>
/// <param name="MaxDelay">Upper bound on any single wait, including a server's Retry-After (default 60 s).</param>
/// <param name="AttemptTimeout">Time allowed for one attempt before it counts as a timeout (default 90 s).</param>
public sealed record LlmRetryOptions(int MaxRetries = 5, TimeSpan? BaseDelay = null, TimeSpan? MaxDelay = null, TimeSpan? AttemptTimeout = null)
{
    /// <summary>The effective first backoff delay.</summary>
    public TimeSpan EffectiveBaseDelay => BaseDelay ?? TimeSpan.FromSeconds(1);

    /// <summary>The effective maximum wait.</summary>
    public TimeSpan EffectiveMaxDelay => MaxDelay ?? TimeSpan.FromSeconds(60);

    /// <summary>The effective per-attempt timeout.</summary>
    public TimeSpan EffectiveAttemptTimeout => AttemptTimeout ?? TimeSpan.FromSeconds(90);
}

/// <summary>Thrown when one attempt of an LLM call took longer than <see cref="LlmRetryOptions.AttemptTimeout"/>.</summary>
public sealed class LlmAttemptTimeoutException(TimeSpan timeout)
    : TimeoutException($"The LLM call did not answer within {timeout.TotalSeconds:0.###} s.");

/// <summary>
/// Retry policy for LLM calls, built on Polly (<see cref="ResiliencePipeline"/>): exponential backoff with jitter for
/// transient failures (HTTP 408, 409, 429, 5xx, network errors, timeouts, malformed responses), waiting what the server
/// asks for in <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or HTTP date) when it says so, capped at
/// <see cref="LlmRetryOptions.MaxDelay"/>. Client errors such as 400, 401, 403 and 404 are not retried.
/// </summary>
public static class LlmRetry
{
    /// <summary>A Polly pipeline for <paramref name="options"/>; <paramref name="onRetry"/> is told of each retry.</summary>
    public static ResiliencePipeline CreatePipeline(LlmRetryOptions options, Action<Exception?, TimeSpan>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetries < 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxRetries must be ≥ 0.");
        if (options.MaxRetries == 0) return ResiliencePipeline.Empty;
        var maxDelay = options.EffectiveMaxDelay;
        return new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.EffectiveBaseDelay,
                MaxDelay = maxDelay,
                DelayGenerator = args =>
                {
                    var after = RetryAfter(args.Outcome.Exception);
                    return ValueTask.FromResult<TimeSpan?>(after is { } a ? (a > maxDelay ? maxDelay : a) : null);
                },
                OnRetry = args =>
                {
                    onRetry?.Invoke(args.Outcome.Exception, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>True for failures worth retrying: 408/409/429/5xx, network errors, timeouts and malformed responses.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        ClientResultException c => c.Status is 0 or 408 or 409 or 429 or >= 500,
        HttpRequestException h => h.StatusCode is null or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int?)h.StatusCode >= 500,
        TimeoutException or IOException or JsonException or FormatException => true,
        OperationCanceledException { InnerException: TimeoutException } => true, // HttpClient's own timeout
        OperationCanceledException => false,
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>HTTP status of a failed call, if the exception carries one.</summary>
    public static int? StatusOf(Exception exception) => exception switch
    {
        ClientResultException c when c.Status != 0 => c.Status,
        HttpRequestException { StatusCode: { } s } => (int)s,
        _ => exception.InnerException is { } inner ? StatusOf(inner) : null,
    };

    /// <summary>The wait a server asked for in a failed response (<c>retry-after-ms</c>, then <c>Retry-After</c>), if any.</summary>
    public static TimeSpan? RetryAfter(Exception? exception)
    {
        if (exception is ClientResultException c && c.GetRawResponse() is { } response)
        {
            if (response.Headers.TryGetValue("retry-after-ms", out var ms))
                return ParseRetryAfterMilliseconds(ms);
            if (response.Headers.TryGetValue("Retry-After", out var ra))
                return ParseRetryAfter(ra, DateTimeOffset.UtcNow);
        }
        return exception?.InnerException is { } inner ? RetryAfter(inner) : null;
    }

    /// <summary>Parses a <c>Retry-After</c> header: delay-seconds or an HTTP date (RFC 9110 §10.2.3).</summary>
    public static TimeSpan? ParseRetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        if (DateTimeOffset.TryParseExact(value.Trim(), "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }

    /// <summary>Parses a <c>retry-after-ms</c> header (OpenAI and Azure send it).</summary>
    public static TimeSpan? ParseRetryAfterMilliseconds(string? value) =>
        double.TryParse(value?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0 ? TimeSpan.FromMilliseconds(ms) : null;
}
