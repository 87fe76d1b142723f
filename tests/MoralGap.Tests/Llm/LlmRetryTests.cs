using MoralGap.Llm;

namespace MoralGap.Tests.Llm;

public class LlmRetryTests
{
    [Theory]
    [InlineData("2", 2000.0)]
    [InlineData(" 0.5 ", 500.0)]
    [InlineData("0", 0.0)]
    public void Retry_after_seconds(string header, double milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), LlmRetry.ParseRetryAfter(header, DateTimeOffset.UtcNow));

    [Fact]
    public void Retry_after_http_date()
    {
        var now = new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero);
        Assert.Equal(TimeSpan.FromSeconds(30), LlmRetry.ParseRetryAfter("Sat, 28 Nov 2026 03:00:30 GMT", now));
        Assert.Equal(TimeSpan.Zero, LlmRetry.ParseRetryAfter("Sat, 28 Nov 2026 02:59:00 GMT", now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-3")]
    public void Unusable_retry_after_is_ignored(string? header) => Assert.Null(LlmRetry.ParseRetryAfter(header, DateTimeOffset.UtcNow));

    [Fact]
    public void Retry_after_ms() => Assert.Equal(TimeSpan.FromMilliseconds(250), LlmRetry.ParseRetryAfterMilliseconds("250"));

    [Fact]
    public void Transient_and_permanent_failures()
    {
        Assert.True(LlmRetry.IsTransient(new HttpRequestException("reset")));
        Assert.True(LlmRetry.IsTransient(new HttpRequestException("busy", null, System.Net.HttpStatusCode.ServiceUnavailable)));
        Assert.False(LlmRetry.IsTransient(new HttpRequestException("nope", null, System.Net.HttpStatusCode.Unauthorized)));
        Assert.True(LlmRetry.IsTransient(new LlmAttemptTimeoutException(TimeSpan.FromSeconds(1))));
        Assert.True(LlmRetry.IsTransient(new System.Text.Json.JsonException("bad")));
        Assert.False(LlmRetry.IsTransient(new OperationCanceledException()));
        Assert.False(LlmRetry.IsTransient(new ArgumentException("bug")));
    }
}
