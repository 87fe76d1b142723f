using System.Text.Json;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>The collector against a real HTTP server on 127.0.0.1, through the real OpenAI client (OPENAI_BASE_URL path).</summary>
public class JudgmentCollectorHttpTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static LlmConfiguration Configure(FakeOpenAIServer server, string models, string key = "sk-test-key") =>
        LlmConfiguration.FromEnvironment(new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPENAI_API_KEY"] = key,
            ["MORALGAP_MODELS"] = models,
        });

    [Fact]
    public async Task Normal_answers_in_several_styles_become_the_planted_verdicts()
    {
        using var server = new FakeOpenAIServer(Answer);
        var dilemmas = Dilemmas(5);
        var result = await JudgmentCollector.CollectAsync(dilemmas, Configure(server, "model-a,model-b"), options: FastOptions(null, 4));

        Assert.Equal(5 * 2 * 4, result.Judgments.Count);
        Assert.All(result.Judgments, j => Assert.Equal(Planted(dilemmas.Single(d => d.Id == j.DilemmaId)), j.Verdict));
        Assert.Equal(40, result.CallsMade);
        Assert.Equal(40, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/v1/chat/completions", r.Path));
        Assert.All(server.Requests, r => Assert.Equal(1.0, r.Temperature));
        // Each sample is its own call with its own seed; the prompt holds the dilemma between delimiters.
        Assert.Equal(4, server.Requests.Select(r => r.Seed).Distinct().Count());
        Assert.All(server.Requests, r => Assert.Contains("<dilemma>", r.UserText));
        Assert.False(result.Simulated);
        Assert.Contains(result.Usage, u => u.Model == "model-b" && u.Calls == 20 && u.InputTokens > 0);
    }

    [Fact]
    public async Task Faults_at_a_30_percent_rate_still_give_every_dilemma_N_parsed_samples_or_recorded_failures()
    {
        var random = new Random(7);
        var faults = new Dictionary<string, int>();
        var gate = new Lock();
        FakeReply Handler(FakeRequest r)
        {
            double u;
            lock (gate) u = random.NextDouble();
            if (u >= 0.30) return Answer(r);
            var kind = (int)(u / 0.05); // six faults, 5% each
            lock (gate) faults[kind.ToString()] = faults.GetValueOrDefault(kind.ToString()) + 1;
            return kind switch
            {
                0 => new FakeReply.Error(429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\"}}",
                    new Dictionary<string, string> { ["Retry-After"] = "0", ["retry-after-ms"] = "5" }),
                1 => new FakeReply.Error(500),
                2 => new FakeReply.Hang(TimeSpan.FromSeconds(5), Answer(r)),
                3 => new FakeReply.Malformed(),
                4 => new FakeReply.Answer("Evaluation: UNACC", "length"),
                _ => new FakeReply.Answer("I'm sorry, but I can't help with judging real people."),
            };
        }
        using var server = new FakeOpenAIServer(Handler);
        var dilemmas = Dilemmas(10);
        var cache = new ResponseCache(TempFolder("faults"));
        const int n = 6;
        var progress = new List<JudgingProgress>();
        // 1.5 s an attempt: well under the 5 s hang, and above how long a machine at load ~30 can take to read a request
        // (a shorter timeout aborted requests the server had not yet read, so the two counts below differed).
        var options = FastOptions(cache, n) with { Retry = FastOptions(cache, n).Retry with { AttemptTimeout = TimeSpan.FromMilliseconds(1500) } };
        var result = await JudgmentCollector.CollectAsync(dilemmas, Configure(server, "model-a,model-b"), options: options,
            progress: new MoralGap.Notebooks.InlineProgress<JudgingProgress>(p => { lock (progress) progress.Add(p); }));

        foreach (var d in dilemmas)
            foreach (var model in new[] { "model-a", "model-b" })
            {
                var mine = result.Judgments.Where(j => j.DilemmaId == d.Id && j.Author == model).ToList();
                Assert.Equal(Enumerable.Range(0, n), mine.Select(j => j.SampleIndex).Order());
                // A verdict, when there is one, is the one the server gave: faults never turn into verdicts.
                Assert.All(mine.Where(j => j.Verdict is not null), j => Assert.Equal(Planted(d), j.Verdict));
            }
        var outcomes = result.Outcomes;
        Assert.Equal(result.Judgments.Count, outcomes.Count);
        Assert.All(outcomes.Zip(result.Judgments), p => Assert.Equal(p.First.Kind == OutcomeKind.Ok, p.Second.Verdict is not null));
        Assert.Contains(outcomes, o => o.Kind == OutcomeKind.Refusal);
        Assert.Contains(outcomes, o => o.Kind == OutcomeKind.Truncated);
        Assert.All(result.Judgments.Where(j => j.Verdict is null), j => Assert.Contains(j.RawLabel, new[] { "REFUSAL", "TRUNCATED" }));
        // Transient faults (429, 500, timeout, malformed JSON) were retried away.
        Assert.DoesNotContain(outcomes, o => o.Kind is OutcomeKind.HttpError or OutcomeKind.Timeout or OutcomeKind.BadResponse or OutcomeKind.Error);
        Assert.True(outcomes.Sum(o => o.Attempts) > outcomes.Count, "some calls needed retries");
        Assert.Equal(server.Requests.Count, result.CallsMade);
        Assert.Equal(new[] { "0", "1", "2", "3" }, faults.Keys.Where(k => k is "0" or "1" or "2" or "3").Order());
        Assert.Equal(result.Judgments.Count, progress.Max(p => p.Completed));

        output.WriteLine($"faulty run: {result}\nserver requests {server.Requests.Count}");
        // A rerun reads everything from the cache and calls nothing.
        var before = server.Requests.Count;
        var rerun = await JudgmentCollector.CollectAsync(dilemmas, Configure(server, "model-a,model-b"), options: FastOptions(cache, n));
        Assert.Equal(before, server.Requests.Count);
        Assert.Equal(0, rerun.CallsMade);
        Assert.Equal(rerun.Judgments.Count, rerun.CacheHits);
        Assert.Equal(result.Judgments, rerun.Judgments);
    }

    [Fact]
    public async Task A_run_cancelled_midway_resumes_without_repeating_any_answered_call()
    {
        using var server = new FakeOpenAIServer(r => new FakeReply.Hang(TimeSpan.FromMilliseconds(10), Answer(r)));
        var dilemmas = Dilemmas(8);
        var folder = TempFolder("resume");
        const int n = 5;
        using var cts = new CancellationTokenSource();
        var first = new MoralGap.Notebooks.InlineProgress<JudgingProgress>(p => { if (p.Completed >= 15) cts.Cancel(); });
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            JudgmentCollector.CollectAsync(dilemmas, Configure(server, "m1,m2"), options: FastOptions(new ResponseCache(folder), n), progress: first, cancellationToken: cts.Token));
        var answeredInFirstRun = server.Answered.Count;
        Assert.InRange(answeredInFirstRun, 15, 8 * 2 * n - 1);

        var resumed = await JudgmentCollector.CollectAsync(dilemmas, Configure(server, "m1,m2"), options: FastOptions(new ResponseCache(folder), n));
        Assert.Equal(8 * 2 * n, resumed.Judgments.Count);
        Assert.All(resumed.Judgments, j => Assert.NotNull(j.Verdict));
        Assert.Equal(answeredInFirstRun, resumed.CacheHits);
        output.WriteLine($"cancelled run answered {answeredInFirstRun}; resumed run: {resumed.CallsMade} calls, {resumed.CacheHits} cache hits");
        // Every (model, prompt, sample seed) was answered exactly once over both runs.
        var keys = server.Answered.Select(r => (r.Model, r.UserText, r.Seed)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(8 * 2 * n, keys.Count);
    }

    [Fact]
    public async Task Two_collections_sharing_a_cache_folder_concurrently_leave_it_valid_and_complete()
    {
        using var server = new FakeOpenAIServer(r => new FakeReply.Hang(TimeSpan.FromMilliseconds(2), Answer(r)));
        var dilemmas = Dilemmas(10);
        var folder = TempFolder("shared");
        const int n = 4;
        var a = JudgmentCollector.CollectAsync(dilemmas, Configure(server, "m1,m2"), options: FastOptions(new ResponseCache(folder), n));
        var b = JudgmentCollector.CollectAsync(dilemmas.Reverse(), Configure(server, "m2,m1"), options: FastOptions(new ResponseCache(folder), n));
        var results = await Task.WhenAll(a, b);
        Assert.All(results, r => Assert.Equal(10 * 2 * n, r.Judgments.Count(j => j.Verdict is not null)));

        Assert.Equal(10 * 2 * n, new ResponseCache(folder).Count()); // one answer per key
        Assert.Equal(10 * 2 * n, server.Answered.Count);             // each bought once: the other collection waited for it

        var third = await JudgmentCollector.CollectAsync(dilemmas, Configure(server, "m1,m2"), options: FastOptions(new ResponseCache(folder), n));
        Assert.Equal(0, third.CallsMade);
        Assert.Equal(results[0].Judgments.Select(j => j.Verdict), third.Judgments.Select(j => j.Verdict));
    }

    [Fact]
    public async Task Client_errors_are_not_retried_and_stop_further_calls_for_that_model()
    {
        using var server = new FakeOpenAIServer(r => r.Model == "missing"
            ? new FakeReply.Error(404, "{\"error\":{\"message\":\"The model 'missing' does not exist\",\"type\":\"invalid_request_error\"}}")
            : Answer(r));
        var result = await JudgmentCollector.CollectAsync(Dilemmas(4), Configure(server, "ok,missing"), options: FastOptions(null, 3) with { Concurrency = 1 });
        var missing = result.Outcomes.Where(o => o.Model == "missing").ToList();
        Assert.All(missing, o => Assert.Equal(OutcomeKind.HttpError, o.Kind));
        Assert.Equal(1, server.Requests.Count(r => r.Model == "missing"));
        Assert.Equal(404, missing[0].HttpStatus);
        Assert.Contains("does not exist", missing[0].Detail);
        Assert.All(result.Judgments.Where(j => j.Author == "ok"), j => Assert.NotNull(j.Verdict));
        Assert.Equal(4 * 3, result.FailuresByKind[OutcomeKind.HttpError]);
    }

    [Fact]
    public async Task A_429_is_retried_after_the_wait_the_server_asks_for()
    {
        var first = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTime>();
        var gaps = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        using var server = new FakeOpenAIServer(r =>
        {
            var key = r.UserText + r.Seed;
            var now = DateTime.UtcNow;
            if (first.TryAdd(key, now))
                return new FakeReply.Error(429, Headers: new Dictionary<string, string> { ["retry-after-ms"] = "600", ["Retry-After"] = "1" });
            gaps.Add(now - first[key]);
            return Answer(r);
        });
        var result = await JudgmentCollector.CollectAsync(Dilemmas(2), Configure(server, "m"), options: FastOptions(null, 1) with
        {
            Retry = new LlmRetryOptions(MaxRetries: 3, BaseDelay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromSeconds(5), AttemptTimeout: TimeSpan.FromSeconds(20)),
        });
        Assert.All(result.Outcomes, o => Assert.Equal(OutcomeKind.Ok, o.Kind));
        Assert.All(result.Outcomes, o => Assert.Equal(2, o.Attempts));
        Assert.Equal(2, gaps.Count);
        // The backoff alone would wait ~1 ms; the server asked for 600 ms (retry-after-ms wins over Retry-After: 1 s).
        Assert.All(gaps, g => Assert.True(g >= TimeSpan.FromMilliseconds(580), $"retried after {g.TotalMilliseconds} ms"));
    }

    [Theory]
    [InlineData("500", OutcomeKind.HttpError)]
    [InlineData("429", OutcomeKind.HttpError)]
    [InlineData("hang", OutcomeKind.Timeout)]
    [InlineData("malformed", OutcomeKind.BadResponse)]
    public async Task Persistent_faults_are_retried_then_recorded_as_failures_by_kind(string fault, OutcomeKind expected)
    {
        using var server = new FakeOpenAIServer(r => fault switch
        {
            "500" => new FakeReply.Error(500),
            "429" => new FakeReply.Error(429, Headers: new Dictionary<string, string> { ["Retry-After"] = "0.001" }),
            "hang" => new FakeReply.Hang(TimeSpan.FromSeconds(5), Answer(r)),
            _ => new FakeReply.Malformed(),
        });
        // Only the hanging server needs a short attempt timeout; for the others a 150 ms limit turned a slow first answer on
        // a loaded machine (an error reply, not a hang) into a timeout.
        var attemptTimeout = fault == "hang" ? TimeSpan.FromMilliseconds(150) : TimeSpan.FromSeconds(2);
        var options = FastOptions(new ResponseCache(TempFolder("persistent")), 2) with
        {
            Retry = new LlmRetryOptions(MaxRetries: 2, BaseDelay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(5), AttemptTimeout: attemptTimeout),
        };
        var result = await JudgmentCollector.CollectAsync(Dilemmas(2), Configure(server, "m"), options: options);
        Assert.All(result.Outcomes, o => Assert.Equal(expected, o.Kind));
        Assert.All(result.Outcomes, o => Assert.Equal(3, o.Attempts));
        Assert.All(result.Judgments, j => Assert.Null(j.Verdict));
        Assert.All(result.Outcomes, o => Assert.False(string.IsNullOrEmpty(o.Detail)));
        if (expected == OutcomeKind.HttpError) Assert.All(result.Outcomes, o => Assert.Equal(int.Parse(fault), o.HttpStatus));
        Assert.Equal(0, options.Cache!.Count()); // failures are not cached: a rerun tries again
    }

    [Fact]
    public async Task Azure_deployments_are_called_on_the_azure_path_with_the_api_key_header()
    {
        using var server = new FakeOpenAIServer(Answer);
        var config = LlmConfiguration.FromEnvironment(new Dictionary<string, string?>
        {
            ["AZURE_OPENAI_ENDPOINT"] = server.AzureEndpoint.ToString(),
            ["AZURE_OPENAI_API_KEY"] = "azure-test-key",
            ["MORALGAP_MODELS"] = "my-gpt4o",
        });
        Assert.Equal(LlmProvider.AzureOpenAI, config.Provider);
        var dilemmas = Dilemmas(3);
        var result = await JudgmentCollector.CollectAsync(dilemmas, config, options: FastOptions(null, 2));
        Assert.All(result.Judgments, j => Assert.Equal(Planted(dilemmas.Single(d => d.Id == j.DilemmaId)), j.Verdict));
        Assert.All(server.Requests, r => Assert.StartsWith("/openai/deployments/my-gpt4o/chat/completions?api-version=", r.Path));
        Assert.All(server.Requests, r => Assert.Equal("azure-test-key", r.ApiKeyHeader));
    }

    [Fact]
    public async Task Prices_give_the_cost_of_the_calls_made()
    {
        using var server = new FakeOpenAIServer(Answer);
        var options = FastOptions(new ResponseCache(TempFolder("cost")), 2) with
        {
            Prices = new Dictionary<string, ModelPrice> { ["m"] = new(InputPerMillion: 2.5, OutputPerMillion: 10) },
        };
        var result = await JudgmentCollector.CollectAsync(Dilemmas(3), Configure(server, "m"), options: options);
        var usage = Assert.Single(result.Usage);
        Assert.Equal(usage.InputTokens * 2.5 / 1e6 + usage.OutputTokens * 10 / 1e6, usage.Cost, 12);
        Assert.True(usage.Cost > 0);
        var rerun = await JudgmentCollector.CollectAsync(Dilemmas(3), Configure(server, "m"), options: options);
        Assert.Equal(0, rerun.Cost);
        Assert.Equal(usage.Cost, rerun.Usage[0].CostIncludingCache, 12);
    }
}

