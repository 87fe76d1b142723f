using Microsoft.Extensions.AI;
using MoralGap.Judging;
using MoralGap.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Llm;

/// <summary>The same model, messages, temperature and sample index is one cache entry whichever stage asks.</summary>
public class OneCacheKeyTests
{
    private const string Provider = "openai-compatible:http://127.0.0.1:1/v1";

    [Fact]
    public async Task Judgment_collection_and_the_cached_chat_client_read_each_others_answers()
    {
        var dilemmas = Dilemmas(4);
        const int samples = 3;
        var cache = new ResponseCache(TempFolder("one-key"));
        var collectorModel = new Counting();
        var collected = await JudgmentCollector.CollectAsync(dilemmas, collectorModel, "m", Provider, FastOptions(cache, samples));
        Assert.Equal(dilemmas.Count * samples, collectorModel.Calls);

        // Another stage asks sample i of the same prompt at the same temperature and token limit: every answer is a hit.
        var otherModel = new Counting();
        var client = new CachedChatClient(otherModel, cache, Provider, "m");
        foreach (var d in dilemmas)
            for (var i = 0; i < samples; i++)
            {
                var response = await client.GetResponseAsync(JudgePrompt.Messages(d), new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 300, Seed = i });
                Assert.Equal(true, response.AdditionalProperties?[CachedChatClient.FromCacheProperty]);
                Assert.Equal(collected.Judgments.Single(j => j.DilemmaId == d.Id && j.SampleIndex == i).Rationale,
                    AnswerParser.Parse(response.Text, response.FinishReason?.Value).Rationale);
            }
        Assert.Equal(0, otherModel.Calls);

        // And the other way round: answers the client bought first are read by the collector without a call.
        var fresh = new ResponseCache(TempFolder("one-key-reverse"));
        var first = new CachedChatClient(new Counting(), fresh, Provider, "m");
        foreach (var d in dilemmas)
            for (var i = 0; i < samples; i++)
                await first.GetResponseAsync(JudgePrompt.Messages(d), new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 300, Seed = i });
        var collectorAfter = new Counting();
        var again = await JudgmentCollector.CollectAsync(dilemmas, collectorAfter, "m", Provider, FastOptions(fresh, samples));
        Assert.Equal(0, collectorAfter.Calls);
        Assert.Equal(dilemmas.Count * samples, again.CacheHits);

        // A different temperature, sample or provider is another entry.
        Assert.NotEqual(client.KeyFor(JudgePrompt.Messages(dilemmas[0]), new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 300, Seed = 0 }).Hash(),
            client.KeyFor(JudgePrompt.Messages(dilemmas[0]), new ChatOptions { Temperature = 0.7f, MaxOutputTokens = 300, Seed = 0 }).Hash());
        Assert.NotEqual(CacheKey.For(Provider, "m", JudgePrompt.Messages(dilemmas[0]), null, 0).Hash(),
            CacheKey.For("openai", "m", JudgePrompt.Messages(dilemmas[0]), null, 0).Hash());
    }

    /// <summary>Answers the planted verdict with a rationale naming the call number.</summary>
    private sealed class Counting : IChatClient
    {
        private int _calls;
        public int Calls => Volatile.Read(ref _calls);

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var n = Interlocked.Increment(ref _calls);
            var prompt = string.Join("\n", messages.Select(m => m.Text));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant,
                $"Evaluation: {PromptConventions.Word(PlantedInPrompt(prompt))}\nRationale: answer number {n}, seed {options?.Seed}."))
            { FinishReason = ChatFinishReason.Stop });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
