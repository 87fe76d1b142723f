using Microsoft.Extensions.AI;
using MoralGap.Llm;
using MoralGap.Tests.Llm;
using MoralGap.Values;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Values;

/// <summary>
/// The LLM value extractor over real HTTP (the OpenAI client against <see cref="FakeOpenAIServer"/>) through the cached
/// client chapter 04 uses: paid answers are kept, reruns pay nothing, a crash loses nothing, the key stays out of the cache.
/// </summary>
public class LlmValueExtractorHttpTests
{
    private static readonly string[] Rationales =
    [
        "NTA. She lied to you about the money, and honesty matters.",
        "YTA. He broke a promise he made to his own family.",
        "NTA. Reading someone's diary ignores their privacy.",
        "YTA, obviously, for reasons I will not spell out.",
    ];

    /// <summary>The model's answer to each rationale: three styles it can parse, and one it cannot.</summary>
    private static string AnswerFor(string prompt) =>
        prompt.Contains("honesty matters") ? "[\"honesty\"]"
        : prompt.Contains("broke a promise") ? "Here are the values:\n- keeping promises\n- family loyalty"
        : prompt.Contains("diary") ? "```json\n[\"privacy\"]\n```"
        : "I would rather not comment on this particular situation at all.";

    private static FakeOpenAIServer Server(string key, Func<bool>? failDiary = null) => new(r =>
        r.Authorization != "Bearer " + key ? new FakeReply.Error(401, "{\"error\":{\"message\":\"bad key\"}}")
        : failDiary?.Invoke() == true && r.UserText.Contains("diary") ? new FakeReply.Error(400, "{\"error\":{\"message\":\"rejected\"}}")
        : new FakeReply.Answer(AnswerFor(r.UserText)));

    private static IEnumerable<(string, string?, string?)> Shape(IReadOnlyList<IReadOnlyList<ValueExpression>> values) =>
        values.SelectMany((list, i) => list.Select(e => ($"{i}:{e.Text}", e.Span?.ToString(), e.Value)));

    [Fact]
    public async Task Extracts_through_the_cached_client_and_a_second_run_makes_no_request()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = Server(canary);
        var folder = TempFolder("extractor-cache");
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, "extractor-model");

        var client = config.CreateCachedClient("extractor-model", folder, new LlmRetryOptions(0));
        var extractor = ValueExtraction.Llm(client);
        var first = await extractor.ExtractManyAsync(Rationales);

        Assert.Equal(4, server.Answered.Count);                     // four paid answers…
        Assert.Equal(4, client.AnswersStored);                      // …all stored
        Assert.Equal(4, new ResponseCache(folder).Count());
        Assert.Equal(["honesty"], first[0].Select(e => e.Text));
        Assert.Equal("honesty", first[0][0].Span!.Value.Of(Rationales[0]));
        Assert.Equal(["keeping promises", "family loyalty"], first[1].Select(e => e.Text));
        Assert.Equal("Privacy", first[2].Single().Value);           // a name of the paper's taxonomy
        Assert.Empty(first[3]);
        Assert.Equal(1, extractor.UnparsedResponses);               // counted as unparsed…
        List<ChatMessage> unparsedPrompt = [new(ChatRole.System, LlmValueExtractor.SystemPrompt), new(ChatRole.User, LlmValueExtractor.BuildPrompt(Rationales[3]))];
        var stored = client.Cache.TryGet(client.KeyFor(unparsedPrompt, extractor.Options))!.Text;
        Assert.Contains("rather not comment", stored);              // …and still kept: it was paid for
        Assert.All(server.Requests, r => Assert.Equal(0.0, r.Temperature));

        // A second run (new configuration, client and extractor, same folder): no request, the same expressions, the same count.
        var again = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, "extractor-model").CreateCachedClient("extractor-model", folder, new LlmRetryOptions(0));
        var rerun = ValueExtraction.Llm(again);
        var second = await rerun.ExtractManyAsync(Rationales);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal(4, again.CacheHits);
        Assert.Equal(0, again.AnswersStored);
        Assert.Equal(Shape(first), Shape(second));
        Assert.Equal(1, rerun.UnparsedResponses);

        // The key went to the server and nowhere else.
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + canary, r.Authorization));
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => Path.GetFileName(f) == ResponseCache.DatabaseFileName);
        Assert.All(files, f => Assert.DoesNotContain(canary, File.ReadAllText(f)));
        Assert.DoesNotContain(canary, client + " " + extractor + " " + config);
    }

    [Fact]
    public async Task A_run_that_fails_midway_keeps_what_it_paid_for_and_the_rerun_asks_only_for_the_rest()
    {
        var key = "canary-" + Guid.NewGuid().ToString("N");
        var failing = true;
        using var server = Server(key, () => Volatile.Read(ref failing));
        var folder = TempFolder("extractor-crash");
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, key, "m");

        await Assert.ThrowsAnyAsync<Exception>(() => ValueExtraction.Llm(config.CreateCachedClient("m", folder, new LlmRetryOptions(0))).ExtractManyAsync(Rationales));
        Assert.Equal(2, server.Answered.Count);                     // rationales 0 and 1 answered, 2 rejected, 3 never asked
        Assert.Equal(2, new ResponseCache(folder).Count());

        Volatile.Write(ref failing, false);
        var client = config.CreateCachedClient("m", folder, new LlmRetryOptions(0));
        var values = await ValueExtraction.Llm(client).ExtractManyAsync(Rationales);
        Assert.Equal(2, client.CacheHits);
        Assert.Equal(2, client.AnswersStored);
        Assert.Equal(4, server.Answered.Count);                     // nothing paid twice
        Assert.Equal(server.Answered.Count, server.Answered.Select(r => r.UserText).Distinct().Count());
        Assert.Equal(["honesty"], values[0].Select(e => e.Text));
        Assert.Equal(["privacy"], values[2].Select(e => e.Text));
    }
}
