using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Rewrite;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Rewrite;

/// <summary>
/// The <c>rewrite</c> verb as a real child process against the fake OpenAI server: killed mid-run (whole process tree),
/// then rerun with the same command. A call's identity at the server is (model, seed, prompt).
/// </summary>
public sealed class RewriteProcessKillTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Model = "rewrite-kill-model";
    private const int Posts = 10, ProbeSamples = 3, Concurrency = 2;

    private static readonly Regex PostBlock = new(@"<post>\nTitle: (?<title>[^\n]*)\nText: (?<text>[\s\S]*?)\n</post>");

    private static FakeReply Answer(FakeRequest r)
    {
        if (r.UserText.Contains("Do you know this exact post", StringComparison.Ordinal)) return new FakeReply.Answer("UNKNOWN");
        var m = PostBlock.Match(r.UserText);
        var (title, text) = RuleBasedRewriter.Rewrite(m.Groups["title"].Value, m.Groups["text"].Value);
        return new FakeReply.Answer($"Title: {title}\nText: {text}");
    }

    private static string Key(FakeRequest r) => $"{r.Model}\u0001{r.Seed ?? 0}\u0001{r.UserText}";

    private static List<string> CachedKeys(string folder) =>
        !File.Exists(Path.Combine(folder, ResponseCache.DatabaseFileName)) ? []
        : new ResponseCache(folder).Entries().Select(e => $"{e.Key.Model}\u0001{e.Key.SampleIndex}\u0001{string.Join("\n\n", e.Key.Messages.Select(m => m.Text))}").ToList();

    [Fact]
    public async Task A_killed_rewrite_resumes_without_repeating_cached_calls_and_never_writes_the_key()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = new FakeOpenAIServer(r => new FakeReply.Hang(TimeSpan.FromMilliseconds(150), Answer(r)));
        var root = TempFolder("rewrite-kill");
        var data = Path.Combine(root, "data");
        var cache = Path.Combine(root, "cache");
        var outDir = Path.Combine(root, "out");
        var originals = DilemmaDataset.Load(Path.Combine(TestPaths.RepoRoot, "data", "first-person")).Dilemmas;
        // Ten distinct posts: the five originals, and each again with a different title.
        var posts = Enumerable.Range(0, Posts).Select(i => originals[i % 5] with { Id = "k" + i, Title = originals[i % 5].Title + (i < 5 ? "" : " (again)") }).ToList();
        new DilemmaDataset(posts, [], "kill-test").Save(data);
        const int total = Posts * (1 + ProbeSamples);

        var log1 = new StringBuilder();
        using (var runner = StartRunner(server, canary, data, cache, outDir, log1))
        {
            try
            {
                var deadline = Stopwatch.StartNew();
                while (server.Answered.Count < 12 && !runner.HasExited && deadline.Elapsed < TimeSpan.FromSeconds(40)) await Task.Delay(10);
                Assert.False(runner.HasExited, "the runner finished before it could be killed:\n" + log1);
                runner.Kill(entireProcessTree: true);
                await runner.WaitForExitAsync();
            }
            finally
            {
                if (!runner.HasExited) runner.Kill(entireProcessTree: true);
            }
        }
        await Task.Delay(500);
        var requested1 = server.Requests.Select(Key).ToList();
        var cached1 = CachedKeys(cache);
        var before = server.Requests.Count;
        Assert.True(cached1.Count >= 10, $"only {cached1.Count} answers cached before the kill:\n{log1}");
        Assert.True(cached1.Count < total, "the first run was not stopped midway");

        var log2 = new StringBuilder();
        using (var runner = StartRunner(server, canary, data, cache, outDir, log2))
        {
            var exited = runner.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) != exited) runner.Kill(entireProcessTree: true);
            await runner.WaitForExitAsync();
            runner.WaitForExit();
            Assert.True(runner.ExitCode == 0, $"rerun exit code {runner.ExitCode}:\n{log2}");
        }
        var requested2 = server.Requests.Skip(before).Select(Key).ToList();
        var inFlight = requested1.Where(k => !cached1.Contains(k)).ToHashSet();
        output.WriteLine($"run 1: {requested1.Count} requests, {cached1.Count} cached at the kill; run 2: {requested2.Count} requests, " +
            $"{requested2.Count(requested1.Contains)} repeated (in flight at the kill: {inFlight.Count})");

        Assert.DoesNotContain(requested2, cached1.Contains);                    // nothing already paid for is asked again
        Assert.All(requested2.Where(requested1.Contains), k => Assert.Contains(k, inFlight)); // repeats: only calls in flight at the kill
        Assert.True(inFlight.Count <= Concurrency, $"{inFlight.Count} calls in flight at the kill");
        Assert.Equal(total, cached1.Count + requested2.Count);                  // nothing lost
        Assert.Equal(total, CachedKeys(cache).Count);
        Assert.Contains($"{requested2.Count} paid now, {cached1.Count} from the cache", log2.ToString());

        var saved = DilemmaDataset.Load(outDir);
        Assert.Equal(Posts, saved.Dilemmas.Count);
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            Assert.False(File.ReadAllText(file).Contains(canary, StringComparison.Ordinal), "the API key is in " + file);
        Assert.DoesNotContain(canary, log1.ToString() + log2);
        Assert.All(server.Requests, r => Assert.Equal("Bearer " + canary, r.Authorization));
    }

    private static Process StartRunner(FakeOpenAIServer server, string key, string data, string cache, string outDir, StringBuilder log) =>
        MoralGap.Tests.Runner.RunnerHarness.StartRunnerProcess(server, key, Model, log, "rewrite", "--data", data, "--out", outDir,
            "--model", Model, "--probe-samples", ProbeSamples.ToString(), "--concurrency", Concurrency.ToString(), "--cache", cache, "--timeout", "30");
}
