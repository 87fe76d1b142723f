using System.CommandLine;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Runner.Commands;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>The <c>judge</c> verb of the runner, run in-process against the fake server and the simulator.</summary>
public class JudgeCommandTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<(int Exit, string Out, string Err)> Run(Dictionary<string, string?> env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await JudgeCommand.Create(n => env.GetValueOrDefault(n)).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Dataset(int count, bool withHumans)
    {
        var dir = TempFolder("judge-data");
        File.WriteAllLines(Path.Combine(dir, "dilemmas.jsonl"), Dilemmas(count).Select(d => JsonSerializer.Serialize(d, Web)));
        if (withHumans)
            File.WriteAllLines(Path.Combine(dir, "judgments.jsonl"), Dilemmas(count).SelectMany(d => Enumerable.Range(0, 10).Select(k =>
                $"{{\"dilemmaId\":\"{d.Id}\",\"author\":\"human\",\"rawLabel\":\"YTA\",\"verdict\":\"{(k < (Planted(d) == Verdict.Unacceptable ? 9 : 1) ? "unacceptable" : "acceptable")}\",\"rationale\":\"\",\"sampleIndex\":{k}}}")));
        return dir;
    }

    [Fact]
    public async Task Judges_through_the_configured_server_then_reruns_from_the_cache()
    {
        using var server = new FakeOpenAIServer(Answer);
        var env = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(), ["MORALGAP_MODELS"] = "ignored" };
        var data = Dataset(4, withHumans: true);
        var (exit, output, error) = await Run(env, "--data", data, "--models", "m1,m2", "--samples", "3", "--concurrency", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("24 calls, 0 cache hits", output);
        Assert.Contains("no failures", output);
        Assert.All(server.Requests, r => Assert.Contains(r.Model, new[] { "m1", "m2" }));

        var lines = File.ReadAllLines(Path.Combine(data, "judgments.jsonl"));
        Assert.Equal(40 + 24, lines.Length); // human lines kept, model lines added
        var model = lines.Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("author").GetString() == "m1").ToList();
        Assert.Equal(12, model.Count);
        Assert.All(model, e => Assert.Contains(e.GetProperty("verdict").GetString(), new[] { "acceptable", "unacceptable" }));
        Assert.Equal(24, File.ReadAllLines(Path.Combine(data, "llm-outcomes.jsonl")).Length);

        var again = await Run(env, "--data", data, "--models", "m1,m2", "--samples", "3");
        Assert.Equal(0, again.Exit);
        Assert.Contains("0 calls, 24 cache hits", again.Out);
        Assert.Equal(24, server.Requests.Count);
        Assert.Equal(64, File.ReadAllLines(Path.Combine(data, "judgments.jsonl")).Length); // replaced, not appended twice
    }

    [Fact]
    public async Task Batch_verb_dry_runs_then_judges_through_the_batch_api_and_resubmits_only_the_failed()
    {
        using var server = new FakeOpenAIServer(r => new FakeReply.Error(500))
        {
            Batches = new FakeBatchService(body => Answer(new FakeRequest(0, "", null, null, "", string.Join("\n", body["messages"]!.AsArray().Select(m => m!["content"]!.GetValue<string>())), null, null, "")).Content)
            { Outcome = n => n == 2 ? "expired" : "completed" },
        };
        var env = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(), ["OPENAI_API_KEY"] = "k" };
        var data = Dataset(4, withHumans: false);
        var common = new[] { "--data", data, "--models", "m1,m2", "--samples", "3", "--batch", "--batch-max-requests", "12", "--poll", "0.01", "--price-in", "2", "--price-out", "8" };

        var dry = await Run(env, [.. common, "--dry-run"]);
        Assert.True(dry.Exit == 0, dry.Err);
        Assert.Contains("24 requests to send (0 already in the cache) in 2 file(s)", dry.Out);
        Assert.Equal(0, server.Batches!.Uploads);
        Assert.False(File.Exists(Path.Combine(data, "batch-state.json")));

        var first = await Run(env, common);
        Assert.Equal(3, first.Exit);                                  // the second batch expired half-way
        Assert.Contains("request batch_expired 6", first.Out);
        Assert.Contains("--resubmit-failed", first.Out);
        Assert.True(File.Exists(Path.Combine(data, "batch-state.json")));

        var second = await Run(env, [.. common, "--resubmit-failed"]);
        Assert.True(second.Exit == 0, second.Out + second.Err);
        Assert.Contains("resubmitting 6 requests", second.Out);
        Assert.Contains("0 calls, 24 cache hits", second.Out);       // judgments written from the cache
        Assert.Equal(24, File.ReadAllLines(Path.Combine(data, "judgments.jsonl")).Length);
        Assert.All(server.Batches.Paid.Values, n => Assert.Equal(1, n));
        Assert.Empty(server.Requests);                                // no live chat call
    }

    [Fact]
    public async Task Without_configuration_the_simulated_judge_fitted_on_the_humans_answers()
    {
        var data = Dataset(6, withHumans: true);
        var outDir = TempFolder("judge-out");
        var (exit, output, error) = await Run([], "--data", data, "--out", outDir, "--samples", "8");
        Assert.True(exit == 0, error);
        Assert.Contains("[SIMULATED]", output);
        Assert.Contains("simulated judge fitted on 6 dilemmas", output);
        var judgments = File.ReadAllLines(Path.Combine(outDir, "judgments.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(48, judgments.Count);
        Assert.All(judgments, e => Assert.Equal("simulated-judge", e.GetProperty("author").GetString()));
    }

    [Fact]
    public async Task Incomplete_configuration_and_bad_data_give_clear_errors()
    {
        var (exit, _, error) = await Run(new() { ["OPENAI_API_KEY"] = "sk-x-123456" }, "--data", Dataset(1, false));
        Assert.Equal(2, exit);
        Assert.Contains("MORALGAP_MODELS is empty", error);
        Assert.DoesNotContain("sk-x-123456", error);

        var bad = TempFolder("judge-bad");
        File.WriteAllText(Path.Combine(bad, "dilemmas.jsonl"), "{\"id\":\"a\",\"text\":\"t\"}\n{\"id\":\"b\"}\n");
        var result = await Run([], "--data", bad);
        Assert.Equal(1, result.Exit);
        Assert.Contains("dilemmas.jsonl, line 2: field 'text'", result.Err);
    }
}
