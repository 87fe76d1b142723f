using System.Text.Json;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Notebooks;
using MoralGap.Profiles;
using MoralGap.Runner.Commands;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Runner;

/// <summary>
/// One judging setup: chapter 02's collection (here the runner's <c>judge</c> verb, the same collector) and chapter 08's
/// plain-prompt condition send the same messages with the same options, so the second asks the server nothing.
/// </summary>
public class OneJudgmentOneCacheEntryTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task The_judge_verb_and_chapter_08s_plain_prompt_share_every_cache_entry()
    {
        using var server = new FakeOpenAIServer(Answer);
        var env = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(), ["MORALGAP_MODELS"] = "m1" };
        var data = TempFolder("one-entry-data");
        var dilemmas = Dilemmas(4);
        File.WriteAllLines(Path.Combine(data, "dilemmas.jsonl"), dilemmas.Select(d => JsonSerializer.Serialize(d, Web)));
        var cache = TempFolder("one-entry-cache");
        var settings = new JudgingSettings(Samples: 3, Temperature: 0.7);

        // Chapter 02's judgments, through the runner's judge verb (its environment given, not the process's).
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await JudgeCommand.Create(n => env.GetValueOrDefault(n))
            .Parse(["--data", data, "--samples", "3", "--temperature", "0.7", "--cache", cache])
            .InvokeAsync(new System.CommandLine.InvocationConfiguration { Output = stdout, Error = stderr });
        Assert.True(exit == 0, stderr.ToString());
        Assert.Contains("12 calls, 0 cache hits", stdout.ToString());
        Assert.Equal(12, server.Requests.Count);

        // Chapter 08's plain prompt on the same dilemmas, samples and temperature: all from the cache.
        var config = LlmConfiguration.FromEnvironment(env);
        var models = ProfileModels.Create(config, new DilemmaDataset(dilemmas, [], "test"), cache);
        var run = await DmpEvaluation.RunAsync(dilemmas, [Conditions.Vanilla()], models, settings.Samples, options: settings.ToChatOptions());
        Assert.Equal(12, server.Requests.Count);
        Assert.Equal(0, run.InvalidCount);
        var judged = File.ReadAllLines(Path.Combine(data, "judgments.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .ToDictionary(e => (e.GetProperty("dilemmaId").GetString(), e.GetProperty("sampleIndex").GetInt32()), e => e.GetProperty("verdict").GetString());
        foreach (var r in run.Responses)
            Assert.Equal(judged[(r.DilemmaId, r.SampleIndex)], r.Verdict == Verdict.Unacceptable ? "unacceptable" : "acceptable");

        // Another temperature is another judgment: asked anew.
        await DmpEvaluation.RunAsync(dilemmas.Take(1).ToList(), [Conditions.Vanilla()], models, 1, options: (settings with { Temperature = 1.0 }).ToChatOptions());
        Assert.Equal(13, server.Requests.Count);
    }
}
