using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>Judging through a Batch API against a loopback server with the files and batches endpoints.</summary>
public class BatchJudgingTests
{
    private const int Samples = 3;
    private static readonly string[] Models = ["m1", "m2"];

    private static string AnswerOf(JsonNode body)
    {
        var prompt = string.Join("\n", body["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>()));
        return $"Evaluation: {PromptConventions.Word(PlantedInPrompt(prompt))}\nRationale: batch answer, seed {body["seed"]}.";
    }

    private static JudgmentCollectionOptions Options(ResponseCache? cache) => FastOptions(cache, Samples);

    private static (List<BatchFileState> Files, BatchPlanSummary Summary, List<string> Lines) PlanInMemory(int dilemmas, ResponseCache? cache, BatchLimits limits, string provider = "openai")
    {
        var streams = new List<MemoryStream>();
        var (files, summary) = BatchPlanner.Plan(Dilemmas(dilemmas), Models, provider, "/v1/chat/completions", Options(cache), cache, limits,
            i => { var s = new MemoryStream(); streams.Add(s); return ($"input-{i + 1:0000}.jsonl", s); },
            Models.ToDictionary(m => m, _ => new ModelPrice(2.5, 10)));
        var lines = streams.SelectMany(s => System.Text.Encoding.UTF8.GetString(s.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        return (files, summary, lines);
    }

    [Fact]
    public void Every_planned_line_is_the_request_the_live_path_would_build_byte_for_byte()
    {
        // The planner assembles lines from per-prompt pieces; each must equal WriteLine over the slow path's key, for
        // one- and two-digit sample indexes alike.
        var options = FastOptions(null, 12);
        var dilemmas = Dilemmas(2);
        Assert.NotNull(BatchPlanner.RequestTemplate.TryCreate("openai", "/v1/chat/completions", Models[0], options.MessagesFor(dilemmas[0]), options));
        var stream = new MemoryStream();
        BatchPlanner.Plan(dilemmas, Models, "openai", "/v1/chat/completions", options, null, new BatchLimits(), _ => ("in.jsonl", stream));
        var planned = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        var expected = new System.Text.StringBuilder();
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        foreach (var d in dilemmas)
            foreach (var model in Models)
                for (var sample = 0; sample < 12; sample++)
                {
                    var messages = options.MessagesFor(d);
                    buffer.Clear();
                    BatchPlanner.WriteLine(buffer, options.KeyFor("openai", model, messages, sample).Hash(), "/v1/chat/completions", model, messages, options.ChatOptionsFor(sample));
                    expected.Append(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
                }
        Assert.Equal(expected.ToString(), planned);
    }

    [Fact]
    public void Request_lines_carry_the_one_cache_key_and_split_at_the_limits()
    {
        var dilemmas = Dilemmas(5);
        var (files, summary, lines) = PlanInMemory(5, null, new BatchLimits(MaxRequestsPerFile: 7));
        Assert.Equal(5 * Models.Length * Samples, summary.Requests);
        Assert.Equal(summary.Requests, lines.Count);
        Assert.Equal([7, 7, 7, 7, 2], files.Select(f => f.Requests));
        Assert.Equal(files.Sum(f => f.Bytes), summary.Bytes);

        // custom_id = the hash of the key the live collector and the cached chat client use for the same request.
        var client = new CachedChatClient(new SimulatedJudge(_ => 0.5), new ResponseCache(TempFolder("batch-key")), "openai", "m2");
        var expected = client.KeyFor(JudgePrompt.Messages(dilemmas[3]), new ChatOptions { Temperature = 1.0f, MaxOutputTokens = 300, Seed = 2 }).Hash();
        Assert.Equal(expected, Options(null).KeyFor("openai", "m2", JudgePrompt.Messages(dilemmas[3]), 2).Hash());
        var line = Assert.Single(lines, l => l.Contains(expected, StringComparison.Ordinal));
        var (id, key) = BatchPlanner.KeyOfLine("openai", line, "input", 1);
        Assert.Equal(expected, id);
        Assert.Equal("m2", key.Model);
        Assert.Equal(2, key.SampleIndex);
        var body = JsonNode.Parse(line)!["body"]!;
        Assert.Equal(2, body["seed"]!.GetValue<int>());
        Assert.Equal(300, body["max_completion_tokens"]!.GetValue<int>());
        Assert.Equal(1.0, body["temperature"]!.GetValue<double>());

        // Bytes split too: no file above the limit.
        var (byBytes, _, _) = PlanInMemory(5, null, new BatchLimits(MaxBytesPerFile: 3 * lines.Max(l => l.Length + 1)));
        Assert.All(byBytes, f => Assert.True(f.Bytes <= 3 * lines.Max(l => l.Length + 1)));
        Assert.Equal(summary.Requests, byBytes.Sum(f => f.Requests));

        // An edited line is refused with its file and line.
        var edited = line.Replace("\"seed\":2", "\"seed\":3", StringComparison.Ordinal);
        Assert.Contains("input:4", Assert.Throws<MoralGap.Data.DataFormatException>(() => BatchPlanner.KeyOfLine("openai", edited, "input", 4)).Message);
    }

    [Fact]
    public async Task A_dry_run_counts_exactly_and_leaves_out_what_is_cached()
    {
        var cache = new ResponseCache(TempFolder("batch-dry"));
        // Two dilemmas already judged live: their 2 × 2 × 3 answers are not planned again.
        var dilemmas = Dilemmas(4);
        await JudgmentCollector.CollectAsync(dilemmas.Take(2), Models.Select(m => new JudgeModel(m, new SimulatedJudge(_ => 0.5), "openai")).ToArray(), Options(cache) with { CacheSimulated = true });
        var (_, summary, lines) = PlanInMemory(4, cache, new BatchLimits());
        Assert.Equal(2 * Models.Length * Samples, summary.AlreadyCached);
        Assert.Equal(2 * Models.Length * Samples, summary.Requests);
        Assert.Equal(summary.Requests * 300L, summary.MaxOutputTokens);
        Assert.Equal(summary.LiveCost * 0.5, summary.BatchCost, 12);
        Assert.True(summary.BatchCostAtLimit > summary.BatchCost);
        // Hand-computed: input 4 characters a token at 2.5 per million, 80 output tokens at 10 per million, per request.
        var chars = JudgePrompt.Messages(Dilemmas(4)[2]).Sum(m => m.Text.Length);
        Assert.Equal(Models.Length * Samples * ((chars + 3) / 4 * 2.5 / 1e6 + 80 * 10 / 1e6), PlanInMemory(3, cache, new BatchLimits()).Summary.LiveCost
            - PlanInMemory(2, cache, new BatchLimits()).Summary.LiveCost, 9);
        Assert.True(summary.LiveCost > 0);
        Assert.Contains("requests to send", summary.ToString());
    }

    [Fact]
    public async Task A_batch_run_stores_every_answer_once_and_the_live_collector_then_calls_nothing()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = new FakeOpenAIServer(r => new FakeReply.Error(500)) { Batches = new FakeBatchService(AnswerOf) };
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, Models);
        var root = TempFolder("batch-run");
        var cache = new ResponseCache(Path.Combine(root, "cache"));
        var dilemmas = Dilemmas(6);
        using var api = BatchApi.For(config);
        var collector = new BatchCollector(api, cache, config.ProviderId, config.BatchChatUrl, root) { PollInterval = TimeSpan.FromMilliseconds(10) };
        var log = new StringWriter();
        var state = await collector.RunAsync(dilemmas, Models, Options(cache), new BatchLimits(MaxRequestsPerFile: 10), false, log);

        var total = dilemmas.Count * Models.Length * Samples;
        Assert.Equal(total, cache.Count());
        Assert.Equal(4, server.Batches!.Creates);                    // 36 requests, 10 a file
        Assert.All(server.Batches.Paid.Values, n => Assert.Equal(1, n));
        Assert.Equal(total, server.Batches.Paid.Count);
        Assert.All(state.Files, f => Assert.Equal("completed", f.Status));
        Assert.Contains("in_progress", log.ToString());
        Assert.Equal(0, collector.Missing(state));

        // Every chapter and the live judge read them as cache hits: no chat call at all (the server would answer 500).
        var live = await JudgmentCollector.CollectAsync(dilemmas, config, options: Options(cache));
        Assert.Equal(0, live.CallsMade);
        Assert.Equal(total, live.CacheHits);
        Assert.All(live.Judgments, j => Assert.Equal(Planted(dilemmas.Single(d => d.Id == j.DilemmaId)), j.Verdict));
        Assert.Empty(server.Requests);

        // A rerun of the batch verb: nothing uploaded or created again.
        await new BatchCollector(api, cache, config.ProviderId, config.BatchChatUrl, root) { PollInterval = TimeSpan.FromMilliseconds(10) }
            .RunAsync(dilemmas, Models, Options(cache), new BatchLimits(MaxRequestsPerFile: 10), false, TextWriter.Null);
        Assert.Equal(4, server.Batches.Creates);
        // A fresh plan in another folder finds everything cached and sends nothing.
        var fresh = await new BatchCollector(api, cache, config.ProviderId, config.BatchChatUrl, TempFolder("batch-fresh")) { PollInterval = TimeSpan.FromMilliseconds(10) }
            .RunAsync(dilemmas, Models, Options(cache), new BatchLimits(), false, TextWriter.Null);
        Assert.Equal(0, fresh.Requests);
        Assert.Equal(4, server.Batches.Uploads);

        // The key went to the server in headers and nowhere else.
        Assert.All(server.Batches.Authorizations, a => Assert.Equal("Bearer " + canary, a));
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            Assert.DoesNotContain(canary, File.ReadAllText(file));
        Assert.DoesNotContain(canary, log.ToString());
    }

    [Fact]
    public async Task Expired_failed_and_partial_batches_are_reported_by_kind_and_resubmit_failed_sends_only_those()
    {
        using var server = new FakeOpenAIServer(r => new FakeReply.Error(500))
        {
            Batches = new FakeBatchService(AnswerOf) { Outcome = n => n switch { 1 => "completed", 2 => "partial", 3 => "expired", 4 => "failed", _ => "completed" } },
        };
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, "k", Models);
        var root = TempFolder("batch-faults");
        var cache = new ResponseCache(Path.Combine(root, "cache"));
        var dilemmas = Dilemmas(6);
        using var api = BatchApi.For(config);
        BatchCollector Collector() => new(api, cache, config.ProviderId, config.BatchChatUrl, root) { PollInterval = TimeSpan.FromMilliseconds(10) };
        var limits = new BatchLimits(MaxRequestsPerFile: 9);
        var state = await Collector().RunAsync(dilemmas, Models, Options(cache), limits, false, TextWriter.Null);

        // 36 requests in 4 files of 9: 9 answered, 6 of 9 (3 server errors), 4 of 9 (5 expired), 0 of 9 (validation failed).
        Assert.Equal(9 + 6 + 4, cache.Count());
        var report = BatchCollector.Report(state);
        Assert.Equal(3, report["request server_error"]);
        Assert.Equal(5, report["request batch_expired"]);
        Assert.Equal(9, report["batch failed"]);
        Assert.Equal(17, collector(state));
        Assert.NotNull(state.Files[3].BatchErrors);

        var again = await Collector().RunAsync(dilemmas, Models, Options(cache), limits, true, TextWriter.Null);
        Assert.Equal(36, cache.Count());
        Assert.Equal(6, again.Files.Count);                            // 17 resubmitted in two files of at most 9
        Assert.Equal(17, again.Files.Where(f => f.Resubmission).Sum(f => f.Requests));
        Assert.All(server.Batches!.Paid.Values, n => Assert.Equal(1, n)); // never paid twice
        Assert.Equal(36, server.Batches.Paid.Count);

        int collector(BatchState s) => Collector().Missing(s);
    }

    [Fact]
    public async Task A_run_killed_between_submit_and_download_resumes_without_submitting_again()
    {
        using var server = new FakeOpenAIServer(r => new FakeReply.Error(500)) { Batches = new FakeBatchService(AnswerOf) { PollsToFinish = 3 } };
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, "k", Models);
        var root = TempFolder("batch-kill");
        var cache = new ResponseCache(Path.Combine(root, "cache"));
        var dilemmas = Dilemmas(4);
        using var api = BatchApi.For(config);
        var limits = new BatchLimits(MaxRequestsPerFile: 10);

        // Killed once every batch is submitted (the first progress line after submission).
        using var kill = new CancellationTokenSource();
        var log = new KillingWriter(kill, "in_progress");
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new BatchCollector(api, cache, config.ProviderId, config.BatchChatUrl, root) { PollInterval = TimeSpan.FromSeconds(5) }
                .RunAsync(dilemmas, Models, Options(cache), limits, false, log, kill.Token));
        Assert.Equal(3, server.Batches!.Creates);
        Assert.Equal(0, cache.Count());

        // A run killed after creating a batch but before saving its id: the rerun adopts the batch on the service.
        var statePath = Path.Combine(root, "batch-state.json");
        var saved = BatchState.Load(statePath)!;
        saved.Files[2].BatchId = null;
        saved.Save(statePath);

        var resumed = await new BatchCollector(api, cache, config.ProviderId, config.BatchChatUrl, root) { PollInterval = TimeSpan.FromMilliseconds(10) }
            .RunAsync(dilemmas, Models, Options(cache), limits, false, TextWriter.Null);
        Assert.Equal(3, server.Batches.Creates);                       // nothing submitted twice
        Assert.Equal(3, server.Batches.Uploads);
        Assert.Equal(dilemmas.Count * Models.Length * Samples, cache.Count());
        Assert.All(server.Batches.Paid.Values, n => Assert.Equal(1, n));
        Assert.All(resumed.Files, f => Assert.True(f.Downloaded));
    }

    private sealed class KillingWriter(CancellationTokenSource kill, string trigger) : StringWriter
    {
        public override Task WriteLineAsync(string? value)
        {
            if (value?.Contains(trigger, StringComparison.Ordinal) == true) kill.Cancel();
            return base.WriteLineAsync(value);
        }
    }
}
