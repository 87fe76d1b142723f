using System.CommandLine;
using System.Text.Json;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Runner.Commands;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>The API key reaches the server and nowhere else: not the cache, the outputs, the logs or any error text.</summary>
public class SecretLeakTests
{
    [Fact]
    public async Task The_key_never_appears_in_cache_files_outputs_logs_or_exception_messages()
    {
        var key = "sk-leaktest-" + Guid.NewGuid().ToString("N");
        // The server checks the key, and for one model answers 401 echoing the key back, as some servers do.
        using var server = new FakeOpenAIServer(r =>
            r.Authorization != "Bearer " + key ? new FakeReply.Error(401, "{\"error\":{\"message\":\"no key\"}}")
            : r.Model == "revoked" ? new FakeReply.Error(401, $"{{\"error\":{{\"message\":\"Incorrect API key provided: {key}.\",\"type\":\"invalid_request_error\"}}}}")
            : r.Model == "flaky" && r.Number % 2 == 0 ? new FakeReply.Error(500, $"{{\"error\":{{\"message\":\"upstream failed for {key}\"}}}}")
            : Answer(r));
        var env = new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(),
            ["OPENAI_API_KEY"] = key,
            ["MORALGAP_MODELS"] = "good,revoked,flaky",
        };
        var config = LlmConfiguration.FromEnvironment(env);
        var cacheFolder = TempFolder("leak-cache");
        var options = FastOptions(new ResponseCache(cacheFolder), 2) with
        {
            Retry = new LlmRetryOptions(MaxRetries: 0, AttemptTimeout: TimeSpan.FromSeconds(5)),
        };
        var result = await JudgmentCollector.CollectAsync(Dilemmas(4), config, options: options);

        // The key was really used, and the failures really happened.
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + key, r.Authorization));
        Assert.Contains(server.SentBodies, b => b.Contains(key));
        Assert.Contains(result.Outcomes, o => o.Model == "revoked" && o.HttpStatus == 401);
        Assert.Contains(result.Outcomes, o => o.Model == "flaky" && o.HttpStatus == 500);
        Assert.Contains(result.Outcomes, o => o.Detail is not null && o.Detail.Contains("***"));

        var texts = new List<string>
        {
            config.ToString(), config.Describe(), string.Join(" ", config.Problems), config.ProviderId, result.ToString(),
            JsonSerializer.Serialize(result.Judgments), JsonSerializer.Serialize(result.Outcomes), JsonSerializer.Serialize(result.Usage),
        };
        texts.AddRange(Directory.GetFiles(cacheFolder, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.NotEmpty(Directory.GetFiles(cacheFolder, "*", SearchOption.AllDirectories));

        // The runner verb: stdout, stderr and every file it writes.
        var data = TempFolder("leak-data");
        var outDir = TempFolder("leak-out");
        await File.WriteAllLinesAsync(Path.Combine(data, "dilemmas.jsonl"),
            Dilemmas(3).Select(d => JsonSerializer.Serialize(d, new JsonSerializerOptions(JsonSerializerDefaults.Web))));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await JudgeCommand.Create(n => env.GetValueOrDefault(n))
            .Parse(["--data", data, "--out", outDir, "--samples", "2", "--retries", "0"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.Equal(0, exit);
        texts.Add(stdout.ToString());
        texts.Add(stderr.ToString());
        texts.AddRange(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories), f => f.EndsWith("judgments.jsonl"));

        // An incomplete configuration's error.
        var broken = LlmConfiguration.FromEnvironment(new Dictionary<string, string?> { ["AZURE_OPENAI_API_KEY"] = key });
        texts.Add(Assert.Throws<InvalidOperationException>(() => broken.CreateClient("m")).Message);
        texts.Add(broken.Describe());

        Assert.All(texts, t => Assert.DoesNotContain(key, t));
    }
}
