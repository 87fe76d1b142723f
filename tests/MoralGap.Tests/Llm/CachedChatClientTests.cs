using System.Net;
using Microsoft.Extensions.AI;
using MoralGap.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Llm;

/// <summary>The cached chat client every LLM stage can use: keys, hits, refusals, retries, secrets.</summary>
public class CachedChatClientTests
{
    private static List<ChatMessage> Prompt(string text) => [new(ChatRole.System, "You name values."), new(ChatRole.User, text)];

    [Fact]
    public async Task Stores_each_answer_before_returning_it_and_answers_a_repeat_from_the_cache()
    {
        var inner = new CountingClient(FailBefore: 0);
        var cache = new ResponseCache(TempFolder("cached-client"));
        var client = new CachedChatClient(inner, cache, "openai-compatible:http://x/v1", "m");
        var options = new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 7 };

        var first = await client.GetResponseAsync(Prompt("a"), options);
        Assert.Equal(1, cache.Count());                               // on disk before we got it back
        var again = await client.GetResponseAsync(Prompt("a"), options);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(first.Text, again.Text);
        Assert.Equal("length", again.FinishReason?.Value);            // what a truncation check needs survives the cache
        Assert.Equal("m-2026", again.ModelId);
        Assert.Equal(true, again.AdditionalProperties?[CachedChatClient.FromCacheProperty]);
        Assert.Equal(12, again.Usage?.InputTokenCount);

        // Each field of the key makes a distinct call: seed, temperature, max tokens, messages, model id.
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 8 });
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.2f, MaxOutputTokens = 50, Seed = 7 });
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 51, Seed = 7 });
        await client.GetResponseAsync(Prompt("b"), options);
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 7, ModelId = "other" });
        // Options outside the key's own fields are keyed too, not ignored.
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 7, TopP = 0.5f });
        await client.GetResponseAsync(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 7, ResponseFormat = ChatResponseFormat.Json });
        Assert.Equal(8, inner.Calls);
        Assert.Equal(8, cache.Count());
        Assert.Equal(8, client.AnswersStored);
        Assert.Equal(1, client.CacheHits);

        // A streaming caller is answered from (and stores) one complete response.
        var streamed = await client.GetStreamingResponseAsync(Prompt("c"), options).ToChatResponseAsync();
        var streamedAgain = await client.GetStreamingResponseAsync(Prompt("c"), options).ToChatResponseAsync();
        Assert.Equal(9, inner.Calls);
        Assert.Equal(streamed.Text, streamedAgain.Text);
    }

    [Fact]
    public void A_request_is_keyed_by_provider_model_messages_temperature_sample_index_and_its_other_options()
    {
        var client = new CachedChatClient(new CountingClient(0), new ResponseCache(TempFolder("cached-key")), "openai", "gpt-x");
        var key = client.KeyFor(Prompt("a"), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 50, Seed = 3 });
        var expected = new CacheKey("openai", "gpt-x", [new CacheMessage("system", "You name values."), new CacheMessage("user", "a")],
            0.7, 3, "{\"maxOutputTokens\":50}");
        Assert.Equal(expected.Canonical(), key.Canonical());
        // The temperature as a double or as the float the request carries is one key.
        Assert.Equal(key.Hash(), CacheKey.For("openai", "gpt-x", Prompt("a"), new ChatOptions { Temperature = (float)0.7, MaxOutputTokens = 50 }, 3).Hash());
        Assert.Equal(0.7, CacheKey.NormalTemperature(0.7f));
        // No seed: sample 0; a seed is the sample index, so a seed that is not one is refused.
        Assert.Equal(0, client.KeyFor(Prompt("a")).SampleIndex);
        Assert.Throws<ArgumentException>(() => CacheKey.For("openai", "m", Prompt("a"), new ChatOptions { Seed = 5 }, 4));
        Assert.Throws<ArgumentException>(() => client.KeyFor(Prompt("a"), new ChatOptions { Seed = -1 }));
        Assert.Equal(key.Canonical(), CacheKey.Parse(key.Canonical()).Canonical());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key.Canonical()))), key.Hash());
        // Every answer-shaping option outside the key's fields gives a key of its own.
        ChatOptions[] variants =
        [
            new() { Instructions = "Be brief." }, new() { TopP = 0.5f }, new() { TopK = 5 }, new() { FrequencyPenalty = 0.5f },
            new() { PresencePenalty = 0.5f }, new() { StopSequences = ["\n\n"] }, new() { ResponseFormat = ChatResponseFormat.Json },
            new() { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.Low } }, new() { Reasoning = new ReasoningOptions { Effort = ReasoningEffort.High } },
            new() { AdditionalProperties = new AdditionalPropertiesDictionary { ["reasoning_effort"] = "low" } },
            new() { AdditionalProperties = new AdditionalPropertiesDictionary { ["reasoning_effort"] = "high" } },
            new() { MaxOutputTokens = 300 },
        ];
        var keys = variants.Select(o => client.KeyFor(Prompt("a"), o).Canonical()).Append(client.KeyFor(Prompt("a")).Canonical()).ToArray();
        Assert.Equal(keys.Length, keys.Distinct().Count());
        Assert.All(variants, o => Assert.NotNull(client.KeyFor(Prompt("a"), o).Options));
        Assert.Null(client.KeyFor(Prompt("a"), new ChatOptions { Temperature = 1, Seed = 2 }).Options);
    }

    [Fact]
    public async Task Refuses_requests_it_cannot_key_instead_of_answering_them_wrongly()
    {
        var inner = new CountingClient(0);
        var client = new CachedChatClient(inner, new ResponseCache(TempFolder("cached-refuse")), "openai", "m");
        var tools = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] };
        Assert.Contains("tools", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Prompt("a"), tools))).Message);
        List<ChatMessage> image = [new(ChatRole.User, [new TextContent("look"), new DataContent(new byte[] { 1, 2, 3 }, "image/png")])];
        Assert.Contains("DataContent", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(image))).Message);
        Assert.Equal(0, inner.Calls);
    }

    [Fact]
    public async Task Retries_a_transient_failure_and_stores_nothing_for_a_call_that_failed()
    {
        var cache = new ResponseCache(TempFolder("cached-retry"));
        var flaky = new CountingClient(FailBefore: 2);
        var retrying = new CachedChatClient(flaky, cache, "openai", "m", new LlmRetryOptions(3, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(5)));
        var answer = await retrying.GetResponseAsync(Prompt("a"));
        Assert.Equal(3, flaky.Calls);
        Assert.Equal(0, retrying.Failures);
        Assert.Equal(1, cache.Count());

        var failing = new CachedChatClient(new CountingClient(FailBefore: 5), cache, "openai", "m2", new LlmRetryOptions(1, TimeSpan.FromMilliseconds(1)));
        await Assert.ThrowsAsync<HttpRequestException>(() => failing.GetResponseAsync(Prompt("a")));
        Assert.Equal(1, failing.Failures);
        Assert.Equal(1, cache.Count());
        Assert.StartsWith("answer 3", answer.Text);
    }

    [Fact]
    public async Task Cancelling_while_a_call_is_in_flight_still_keeps_its_answer()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inner = new GatedClient(gate.Task);
        var cache = new ResponseCache(TempFolder("cached-cancel"));
        var client = new CachedChatClient(inner, cache, "openai", "m", new LlmRetryOptions(2, TimeSpan.FromMilliseconds(1)));
        using var stop = new CancellationTokenSource();
        var call = client.GetResponseAsync(Prompt("a"), cancellationToken: stop.Token);
        await inner.Started.Task;
        stop.Cancel();                                                // the user stops the cell while the answer is coming
        gate.SetResult();
        var answer = await call;
        Assert.Equal("paid answer", answer.Text);
        Assert.Equal(1, cache.Count());
        Assert.Equal("paid answer", (await client.GetResponseAsync(Prompt("a"))).Text);
        Assert.Equal(1, inner.Calls);
    }

    [Fact]
    public async Task Over_real_http_the_key_reaches_the_server_and_no_cache_file_or_error_message()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = new FakeOpenAIServer(r =>
            r.Authorization != "Bearer " + canary ? new FakeReply.Error(401, "{\"error\":{\"message\":\"no key\"}}")
            : r.Model == "revoked" ? new FakeReply.Error(401, $"{{\"error\":{{\"message\":\"Incorrect API key provided: {canary}.\",\"type\":\"invalid_request_error\"}}}}")
            : new FakeReply.Answer("[\"honesty\"]"));
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, "good", "revoked");
        var folder = TempFolder("cached-canary");
        var good = config.CreateCachedClient("good", folder, new LlmRetryOptions(0));
        Assert.Equal("[\"honesty\"]", (await good.GetResponseAsync(Prompt("a"))).Text);

        var revoked = config.CreateCachedClient("revoked", folder, new LlmRetryOptions(0));
        var error = await Assert.ThrowsAsync<LlmCallException>(() => revoked.GetResponseAsync(Prompt("a")));
        Assert.Equal(401, error.HttpStatus);
        Assert.Contains("***", error.Message);
        Assert.Contains(server.SentBodies, b => b.Contains(canary)); // the server really echoed it

        Assert.All(server.Requests, r => Assert.Equal("Bearer " + canary, r.Authorization));
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.Equal(1, new ResponseCache(folder).Count());
        Assert.All(files, f => Assert.DoesNotContain(canary, File.ReadAllText(f)));
        Assert.DoesNotContain(canary, error.ToString());
        Assert.DoesNotContain(canary, good.ToString() + revoked);
    }

    /// <summary>Answers "paid answer" once <paramref name="gate"/> opens, observing the token it is given while it waits.</summary>
    private sealed class GatedClient(Task gate) : IChatClient
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _calls);
            Started.TrySetResult();
            await gate.WaitAsync(cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            return new ChatResponse(new ChatMessage(ChatRole.Assistant, "paid answer"));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    /// <summary>Answers "answer N" (finish reason length); the first <paramref name="FailBefore"/> calls fail with HTTP 503.</summary>
    private sealed class CountingClient(int FailBefore) : IChatClient
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var n = Interlocked.Increment(ref _calls);
            if (n <= FailBefore) throw new HttpRequestException("busy", null, HttpStatusCode.ServiceUnavailable);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, $"answer {n} to {messages.Last().Text}"))
            {
                ModelId = "m-2026",
                FinishReason = ChatFinishReason.Length,
                Usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3 },
            });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var u in (await GetResponseAsync(messages, options, cancellationToken)).ToChatResponseUpdates()) yield return u;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
