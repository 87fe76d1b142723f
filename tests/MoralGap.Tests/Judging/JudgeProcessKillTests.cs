using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Llm;
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

    [Fact]
    public async Task Two_judge_processes_on_one_cache_at_once_buy_each_answer_once()
    {
        // As a user would: a chapter in an editor and a terminal run, same data, same cache, started together.
        using var server = new FakeOpenAIServer(r => new FakeReply.Hang(TimeSpan.FromMilliseconds(50), Answer(r)));
        var root = TempFolder("judge-two");
        var data = Path.Combine(root, "data");
        var cache = Path.Combine(root, "cache");
        new DilemmaDataset(Dilemmas(DilemmaCount), [], "two-processes").Save(data);
        var logs = new[] { new StringBuilder(), new StringBuilder() };
        var runners = logs.Select((log, i) => StartRunner(server, "two-key", data, cache, Path.Combine(root, "out" + i), log)).ToArray();
        try
        {
            foreach (var (runner, log) in runners.Zip(logs))
            {
                var exited = runner.WaitForExitAsync();
                if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited) runner.Kill(entireProcessTree: true);
                await runner.WaitForExitAsync();
                runner.WaitForExit();
                Assert.True(runner.ExitCode == 0, $"exit code {runner.ExitCode}:\n{log}");
            }
        }
        finally
        {
            foreach (var runner in runners) { if (!runner.HasExited) runner.Kill(entireProcessTree: true); runner.Dispose(); }
        }
        var total = DilemmaCount * Samples;
        output.WriteLine($"two processes: {server.Requests.Count} requests, {server.Answered.Count} answered, {CachedKeys(cache).Count} cached");
        Assert.Equal(total, server.Answered.Count);                   // no answer bought twice
        Assert.Equal(total, server.Requests.Select(Key).Distinct().Count());
        Assert.Equal(total, CachedKeys(cache).Count);
        // Both runs wrote every judgment (the one that waited read the other's answers from the cache).
        for (var i = 0; i < 2; i++)
            Assert.Equal(total, File.ReadLines(Path.Combine(root, "out" + i, "judgments.jsonl")).Count(l => l.Contains(Model, StringComparison.Ordinal)));
    }

    private static string Key(FakeRequest r) => $"{r.Model}\u0001{r.Seed}\u0001{r.UserText}";

    /// <summary>Keys of the stored answers, from the canonical key each cache row holds (model, sample index = the seed sent, messages).</summary>
    private static List<string> CachedKeys(string folder) =>
        !File.Exists(Path.Combine(folder, ResponseCache.DatabaseFileName)) ? []
        : new ResponseCache(folder).Entries().Select(e => $"{e.Key.Model}\u0001{e.Key.SampleIndex}\u0001{string.Join("\n\n", e.Key.Messages.Select(m => m.Text))}").ToList();

    private static Process StartRunner(FakeOpenAIServer server, string key, string data, string cache, string outDir, StringBuilder log) =>
        MoralGap.Tests.Runner.RunnerHarness.StartRunnerProcess(server, key, Model, log, "judge", "--data", data, "--models", Model,
            "--samples", Samples.ToString(), "--concurrency", Concurrency.ToString(), "--cache", cache, "--out", outDir, "--timeout", "30");
}
