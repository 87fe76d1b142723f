using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Judging;

/// <summary>
/// The <c>judge</c> verb as a real child process against the fake OpenAI server: SIGKILLed mid-run, then rerun with the
/// same command. Calls are counted at the server by (model, prompt, seed), the identity of one paid call.
/// </summary>
public sealed class JudgeProcessKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int DilemmaCount = 8, Samples = 6, Concurrency = 4;
    private const string Model = "kill-model";

    [Fact]
    public async Task A_killed_collection_resumes_without_losing_or_repeating_cached_calls_and_never_writes_the_key()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        // 200 ms per answer so that the kill lands while calls are in flight.
        using var server = new FakeOpenAIServer(r => new FakeReply.Hang(TimeSpan.FromMilliseconds(200), Answer(r)));
        var root = TempFolder("judge-kill");
        var data = Path.Combine(root, "data");
        var cache = Path.Combine(root, "cache");
        var outDir = Path.Combine(root, "out");
        var dilemmas = Dilemmas(DilemmaCount);
        new DilemmaDataset(dilemmas, [], "kill-test").Save(data);
        var total = DilemmaCount * Samples;

        // Run 1: killed (SIGKILL, whole tree) once the server has answered some calls.
        var log1 = new StringBuilder();
        using (var runner = StartRunner(server, canary, data, cache, outDir, log1))
        {
            try
            {
                var deadline = Stopwatch.StartNew();
                while (server.Answered.Count < 10 && !runner.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(25)) await Task.Delay(10);
                Assert.False(runner.HasExited, "the runner finished before it could be killed:\n" + log1);
                Assert.True(server.Answered.Count >= 10, "the server answered too few calls before the deadline:\n" + log1);
                runner.Kill(entireProcessTree: true);
                await runner.WaitForExitAsync();
            }
            finally
            {
                if (!runner.HasExited) runner.Kill(entireProcessTree: true);
            }
        }
        await Task.Delay(500); // let the server finish writing to the closed sockets, so its counters settle
        var requested1 = server.Requests.Select(Key).ToList();
        var answered1 = server.Answered.Select(Key).ToHashSet();
        var cached1 = CachedKeys(cache);
        var requestsBefore = server.Requests.Count;

        // Run 2: same command, to completion.
        var log2 = new StringBuilder();
        using (var runner = StartRunner(server, canary, data, cache, outDir, log2))
        {
            var exited = runner.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(30))) != exited) runner.Kill(entireProcessTree: true);
            await runner.WaitForExitAsync();
            runner.WaitForExit(); // drains the redirected output
            Assert.True(runner.ExitCode == 0, $"rerun exit code {runner.ExitCode}:\n{log2}");
        }
        var requested2 = server.Requests.Skip(requestsBefore).Select(Key).ToList();
        var inFlightAtKill = requested1.Where(k => !cached1.Contains(k)).ToHashSet();
        var answeredNotCached = answered1.Where(k => !cached1.Contains(k)).ToHashSet();
        var repeated = requested2.Where(requested1.Contains).ToList();
        output.WriteLine($"run 1: {requested1.Count} requests, {answered1.Count} answered, {cached1.Count} cached at the kill; " +
            $"{inFlightAtKill.Count} requested but not cached ({answeredNotCached.Count} of them answered by the server); " +
            $"run 2: {requested2.Count} requests, {repeated.Count} repeated from run 1");

        // Each call is requested at most once per run (no retries were needed), and run 1's answers are all cached keys it asked for.
        Assert.Equal(requested1.Count, requested1.Distinct().Count());
        Assert.Equal(requested2.Count, requested2.Distinct().Count());
        Assert.Subset(requested1.ToHashSet(), cached1.ToHashSet());
        // 0 repeats among answers written to the cache before the kill: run 2 asks for none of them.
        Assert.DoesNotContain(requested2, cached1.Contains);
        // Repeats are only calls in flight at the kill, and at most Concurrency of them were in flight.
        Assert.True(inFlightAtKill.Count <= Concurrency, $"{inFlightAtKill.Count} calls requested but not cached at the kill (> {Concurrency})");
        Assert.All(repeated, k => Assert.Contains(k, inFlightAtKill));
        Assert.True(repeated.Count <= Concurrency);
        // 0 lost: every call is either cached by run 1 or asked for (once) by run 2; together they are all N × dilemmas.
        Assert.Equal(total, cached1.Count + requested2.Count);
        Assert.Equal(total, CachedKeys(cache).Count);

        // The final judgments: N per dilemma for the model.
        var judgments = File.ReadLines(Path.Combine(outDir, "judgments.jsonl")).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement).Where(e => e.GetProperty("author").GetString() == Model).ToList();
        var perDilemma = judgments.GroupBy(e => e.GetProperty("dilemmaId").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.Equal(dilemmas.Select(d => d.Id).Order(), perDilemma.Keys.Order());
        Assert.All(perDilemma.Values, n => Assert.Equal(Samples, n));

        // The key: nowhere in the cache, the outputs or the runner's stdout/stderr.
        foreach (var file in Directory.EnumerateFiles(cache, "*", SearchOption.AllDirectories).Concat(Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories)))
            Assert.False(File.ReadAllText(file).Contains(canary, StringComparison.Ordinal), "the API key is in " + file);
        Assert.DoesNotContain(canary, log1.ToString());
        Assert.DoesNotContain(canary, log2.ToString());
        // The server did see it (so the check above is not vacuous).
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + canary, r.Authorization));
    }

    private static string Key(FakeRequest r) => $"{r.Model}\u0001{r.Seed}\u0001{r.UserText}";

    /// <summary>Keys of the stored answers, from the canonical key each cache file holds (model, messages, sample index = the seed sent).</summary>
    private static List<string> CachedKeys(string folder)
    {
        if (!Directory.Exists(folder)) return [];
        var keys = new List<string>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.json", SearchOption.AllDirectories))
        {
            using var entry = JsonDocument.Parse(File.ReadAllText(file));
            var keyElement = entry.RootElement.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.StartsWith('{')).Value;
            using var key = JsonDocument.Parse(keyElement.GetString()!);
            var k = key.RootElement;
            string Prop(JsonElement e, string name) => e.EnumerateObject().First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value.ToString();
            var messages = k.EnumerateObject().First(p => p.Name.Equals("messages", StringComparison.OrdinalIgnoreCase)).Value.EnumerateArray().Select(m => Prop(m, "text"));
            keys.Add($"{Prop(k, "model")}\u0001{Prop(k, "sampleIndex")}\u0001{string.Join("\n\n", messages)}");
        }
        return keys;
    }

    private static Process StartRunner(FakeOpenAIServer server, string key, string data, string cache, string outDir, StringBuilder log)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "MoralGap.Runner.dll"), "judge", "--data", data, "--models", Model,
                     "--samples", Samples.ToString(), "--concurrency", Concurrency.ToString(), "--cache", cache, "--out", outDir, "--timeout", "30" })
            psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("AZURE_OPENAI", StringComparison.Ordinal) || k.StartsWith("OPENAI_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        psi.Environment["OPENAI_BASE_URL"] = server.BaseUrl.ToString();
        psi.Environment["OPENAI_API_KEY"] = key;
        psi.Environment["MORALGAP_MODELS"] = Model;
        var process = new Process { StartInfo = psi };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine(line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) lock (log) log.AppendLine("stderr: " + line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
