using System.CommandLine;
using System.Text.Json;
using MoralGap.Runner.Commands;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary><c>judge --no-temperature</c>: reasoning models (o1, o3, gpt-5) reject a temperature, so none is sent.</summary>
public class JudgeNoTemperatureTests
{
    private static async Task<(int Exit, string Out, string Err)> Run(FakeOpenAIServer server, params string[] args)
    {
        var env = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(), ["MORALGAP_MODELS"] = "reasoner" };
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await JudgeCommand.Create(n => env.GetValueOrDefault(n)).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Dataset()
    {
        var dir = TempFolder("judge-notemp");
        File.WriteAllLines(Path.Combine(dir, "dilemmas.jsonl"), Dilemmas(2).Select(d => JsonSerializer.Serialize(d, new JsonSerializerOptions(JsonSerializerDefaults.Web))));
        return dir;
    }

    private static bool HasTemperature(FakeRequest r) => JsonDocument.Parse(r.Body).RootElement.TryGetProperty("temperature", out _);

    [Fact]
    public async Task With_the_flag_no_request_carries_a_temperature_and_without_it_every_one_does()
    {
        // The server behaves like a reasoning model: a request with a temperature is a 400.
        using var server = new FakeOpenAIServer(r => HasTemperature(r)
            ? new FakeReply.Error(400, "{\"error\":{\"message\":\"Unsupported parameter: 'temperature'\",\"type\":\"invalid_request_error\"}}")
            : Answer(r));

        var without = await Run(server, "--data", Dataset(), "--samples", "2", "--retries", "0", "--no-temperature");
        Assert.True(without.Exit == 0, without.Err);
        Assert.Contains("no temperature sent", without.Out);
        Assert.Contains("no failures", without.Out);
        Assert.Equal(4, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.False(HasTemperature(r), r.Body));

        var with = await Run(server, "--data", Dataset(), "--samples", "2", "--retries", "0", "--temperature", "0.5");
        Assert.Equal(0, with.Exit);
        Assert.Contains("http-error 4", with.Out);                   // the reasoning model refused every call
        var sent = server.Requests.Skip(4).ToList();
        Assert.NotEmpty(sent);
        Assert.All(sent, r => Assert.Equal(0.5, r.Temperature!.Value, 6));
    }

    [Fact]
    public async Task Both_flags_at_once_are_a_usage_error()
    {
        using var server = new FakeOpenAIServer(Answer);
        var (exit, _, error) = await Run(server, "--data", Dataset(), "--temperature", "0.3", "--no-temperature");
        Assert.Equal(2, exit);
        Assert.Contains("--no-temperature", error);
        Assert.Empty(server.Requests);
    }
}
