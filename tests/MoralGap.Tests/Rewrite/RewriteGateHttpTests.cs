using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Rewrite;
using MoralGap.Runner.Commands;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Rewrite;

/// <summary>
/// The rewrite gate over real HTTP (the OpenAI client against <see cref="FakeOpenAIServer"/>) through the cached client:
/// rewrites and probe answers cached and never paid twice, a run stopped midway resumes without repeating a call, a
/// failed check is retried once with a note, flagged posts leave the dataset, the key appears in no output.
/// </summary>
public class RewriteGateHttpTests
{
    private const string Model = "rewrite-model";

    private static readonly Regex PostBlock = new(@"<post>\nTitle: (?<title>[^\n]*)\nText: (?<text>[\s\S]*?)\n</post>");

    /// <summary>The fake model's rewrite: the rule-based rewriter applied to the post in the prompt (a faithful, anchored rewrite).</summary>
    private static string GoodRewrite(string prompt)
    {
        var m = PostBlock.Match(prompt);
        var (title, text) = RuleBasedRewriter.Rewrite(m.Groups["title"].Value, m.Groups["text"].Value);
        return $"Title: {title}\nText: {text}";
    }

    private static bool IsProbe(FakeRequest r) => r.UserText.Contains("Do you know this exact post", StringComparison.Ordinal);
    private static bool IsRetry(FakeRequest r) => r.UserText.Contains("That rewrite failed these checks", StringComparison.Ordinal);

    /// <summary>The identity of one paid call: model, messages and seed (the request body without volatile fields).</summary>
    private static string CallKey(FakeRequest r) => r.Model + "|" + r.Seed + "|" + r.UserText;

    private static IReadOnlyList<Dilemma> Posts() => DilemmaDataset.Load(Path.Combine(TestPaths.RepoRoot, "data", "first-person")).Dilemmas;

    private static FakeReply Honest(FakeRequest r, string key) =>
        r.Authorization != "Bearer " + key ? new FakeReply.Error(401, "{\"error\":{\"message\":\"bad key\"}}")
        : IsProbe(r) ? new FakeReply.Answer("UNKNOWN")
        : new FakeReply.Answer(GoodRewrite(r.UserText));

    [Fact]
    public async Task A_run_stopped_midway_resumes_from_the_cache_without_paying_for_any_answer_twice()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        var posts = Posts();
        var failAfter = 7; // the server "dies" after seven answers: the first run stops midway
        var answered = 0;
        using var server = new FakeOpenAIServer(r =>
            Interlocked.Increment(ref answered) > failAfter && failAfter > 0 ? new FakeReply.Error(500) : Honest(r, canary));
        var folder = TempFolder("rewrite-cache");
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, Model);
        var options = new RewriteGateOptions { Concurrency = 1 };

        var first = config.CreateCachedClient(Model, folder, new LlmRetryOptions(0));
        await Assert.ThrowsAnyAsync<Exception>(() => RewriteGate.RunAsync(posts, first, Model, options));
        var paidBefore = server.Answered.Select(CallKey).ToList();
        Assert.Equal(failAfter, paidBefore.Count);
        Assert.Equal(failAfter, new ResponseCache(folder).Count()); // every paid answer was stored before the run stopped

        failAfter = 0; // the server is back
        var second = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, Model).CreateCachedClient(Model, folder, new LlmRetryOptions(0));
        var result = await RewriteGate.RunAsync(posts, second, Model, options);
        var paidAfter = server.Answered.Select(CallKey).Skip(paidBefore.Count).ToList();
        Assert.Empty(paidAfter.Intersect(paidBefore));                          // nothing paid twice…
        Assert.Equal(server.Answered.Count, server.Answered.Select(CallKey).Distinct().Count());
        Assert.Equal(paidBefore.Count, (int)second.CacheHits);      // …the first run's answers came from the cache
        Assert.Equal(5 * (1 + 3), server.Answered.Count);                      // one rewrite and three probe samples a post
        Assert.Equal(5, result.Report.Kept);
        Assert.Equal(paidBefore.Count, result.Report.CachedCalls);
        Assert.Equal(20 - paidBefore.Count, result.Report.PaidCalls);

        // A third run pays for nothing.
        var third = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, Model).CreateCachedClient(Model, folder, new LlmRetryOptions(0));
        var requests = server.Requests.Count;
        var again = await RewriteGate.RunAsync(posts, third, Model, options);
        Assert.Equal(requests, server.Requests.Count);
        Assert.Equal(0, again.Report.PaidCalls);
        Assert.Equal(20, again.Report.CachedCalls);
        Assert.Equal(result.Outcomes.Select(o => o.Text), again.Outcomes.Select(o => o.Text));

        // Temperatures: low for the rewrite, the probe's for the samples, which are distinct requests (seeds 0, 1, 2).
        Assert.All(server.Requests.Where(r => !IsProbe(r)), r => Assert.Equal(0.2, r.Temperature!.Value, 5));
        Assert.All(server.Requests.Where(IsProbe), r => Assert.Equal(1.0, r.Temperature!.Value, 5));
        Assert.Equal([0L, 1L, 2L], server.Answered.Where(IsProbe).Select(r => r.Seed!.Value).Distinct().Order());
        Assert.All(Directory.GetFiles(folder, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(canary, File.ReadAllText(f)));
    }

    [Fact]
    public async Task A_rewrite_that_fails_a_check_is_retried_once_with_a_note_then_kept_out_with_the_reason()
    {
        var posts = Posts().Take(3).ToList();
        using var server = new FakeOpenAIServer(r =>
            IsProbe(r) ? new FakeReply.Answer("UNKNOWN")
            // fp-01: the first answer keeps the first person; the retry is good.
            : r.UserText.Contains("lending my car") ? new FakeReply.Answer(IsRetry(r) ? GoodRewrite(r.UserText) : "Title: Car\nText: I said no to my brother.")
            // fp-02: always a verdict and the AITA framing.
            : r.UserText.Contains("best friend's wedding") ? new FakeReply.Answer(GoodRewrite(r.UserText).Replace("Text: ", "Text: WIBTA? The main actor is NTA here. "))
            // fp-03: not in the answer form, twice.
            : r.UserText.Contains("roommate") ? new FakeReply.Answer("Sure! Here is a neutral version of the post.")
            : new FakeReply.Answer(GoodRewrite(r.UserText)));
        var client = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, null, Model).CreateCachedClient(Model, TempFolder("rewrite-retry"), new LlmRetryOptions(0));
        var result = await RewriteGate.RunAsync(posts, client, Model);

        var car = result.Outcomes.Single(o => o.Id == "fp-01");
        Assert.Equal(RewriteStatus.Kept, car.Status);
        Assert.Equal(2, car.Attempts);
        Assert.Contains(car.FirstFailures, f => f.StartsWith("first-person narration left"));
        var retry = server.Requests.Single(r => IsRetry(r) && r.UserText.Contains("lending my car"));
        Assert.Contains("first-person narration left (I, my)", retry.UserText);    // the note names what failed
        Assert.Contains("Text: I said no to my brother.", retry.UserText);          // with the first answer in the conversation

        var wedding = result.Outcomes.Single(o => o.Id == "fp-02");
        Assert.Equal(RewriteStatus.FailedChecks, wedding.Status);
        Assert.Equal(2, wedding.Attempts);
        Assert.Contains("verdict words (WIBTA, NTA)", wedding.Reason);
        var roommate = result.Outcomes.Single(o => o.Id == "fp-03");
        Assert.Equal(RewriteStatus.FailedChecks, roommate.Status);
        Assert.Contains("answer not in the form", roommate.Reason);
        Assert.DoesNotContain(server.Requests, r => IsProbe(r) && (r.UserText.Contains("best friend's wedding") || r.UserText.Contains("roommate"))); // failed posts are not probed

        Assert.Equal(2, result.Report.Failed);
        Assert.Equal(3, result.Report.Retried); // fp-01, fp-02 and fp-03 were each retried once
        Assert.Equal(1, result.Report.Kept);
        Assert.Equal(["answer not in the form Title: … / Text: …", "verdict words"], result.Report.FailedByReason.Keys);
    }

    [Fact]
    public async Task A_post_the_probe_recognises_leaves_the_dataset_unless_kept_on_purpose()
    {
        var posts = Posts();
        // The model recalls fp-04 in one of three samples only (seed 2): one answer is enough to flag it.
        using var server = new FakeOpenAIServer(r =>
            IsProbe(r) && r.UserText.Contains("long lunches") && r.Seed == 2 ? new FakeReply.Answer("KNOWN\nVerdict: NTA\nContinuation: I don't remember the rest.")
            : IsProbe(r) ? new FakeReply.Answer("UNKNOWN")
            : new FakeReply.Answer(GoodRewrite(r.UserText)));
        var cache = TempFolder("rewrite-probe");
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, null, Model);
        var result = await RewriteGate.RunAsync(posts, config.CreateCachedClient(Model, cache), Model);
        var lunch = result.Outcomes.Single(o => o.Id == "fp-04");
        Assert.Equal(RewriteStatus.Flagged, lunch.Status);
        Assert.Equal("memorised: claims to know the post and gives its verdict (NTA)", lunch.Reason);
        Assert.Equal([false, false, true], lunch.Probe!.Answers.Select(a => a.Recall));
        Assert.Equal(1, result.Report.Flagged);
        Assert.Equal(4, result.Report.Kept);
        Assert.DoesNotContain("fp-04", result.KeptDilemmas(posts).Select(d => d.Id));

        var kept = await RewriteGate.RunAsync(posts, config.CreateCachedClient(Model, cache), Model, new RewriteGateOptions { KeepFlagged = true });
        Assert.Equal(RewriteStatus.KeptFlagged, kept.Outcomes.Single(o => o.Id == "fp-04").Status);
        Assert.Equal(5, kept.Report.Kept);
        Assert.Equal(1, kept.Report.KeptFlagged);
        Assert.Equal(0, kept.Report.PaidCalls); // the same answers, from the cache
    }

    [Fact]
    public async Task Offline_the_rule_based_rewriter_runs_and_the_probe_is_reported_as_skipped_never_as_passed()
    {
        var result = await RewriteGate.RunAsync(Posts(), client: null);
        Assert.True(result.Report.RuleBased);
        Assert.True(result.Report.ProbeSkipped);
        Assert.All(result.Outcomes, o => Assert.Null(o.Probe));
        var text = result.Report.ToString();
        Assert.Contains("rule-based", text);
        Assert.Contains("memorisation NOT checked", text);
        Assert.DoesNotContain("flagged:    0", text);
        Assert.DoesNotContain("passed", text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(5, result.Report.Anchored);
    }

    private static async Task<(int Exit, string Out, string Err)> Verb(Dictionary<string, string?> env, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await RewriteCommand.Create(n => env.GetValueOrDefault(n)).Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task The_verb_rewrites_through_the_configured_server_reruns_from_the_cache_and_never_writes_the_key()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = new FakeOpenAIServer(r => Honest(r, canary));
        var env = new Dictionary<string, string?> { ["OPENAI_BASE_URL"] = server.BaseUrl.ToString(), ["OPENAI_API_KEY"] = canary, ["MORALGAP_MODELS"] = "other-model," + Model };
        var data = Path.Combine(TestPaths.RepoRoot, "data", "first-person");
        var outDir = TempFolder("rewrite-verb");

        var (exit, output, error) = await Verb(env, "--data", data, "--out", outDir, "--model", Model, "--probe-samples", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("kept:       5 of 5", output);
        Assert.Contains("15 paid now, 0 from the cache", output);
        Assert.All(server.Requests, r => Assert.Equal(Model, r.Model));
        var saved = DilemmaDataset.Load(outDir);
        Assert.Equal(5, saved.Dilemmas.Count);
        Assert.All(saved.Dilemmas, d => Assert.True(Narration.HasNoFirstPersonNarration(d.Title + "\n\n" + d.Text)));
        Assert.Equal(5, File.ReadAllLines(Path.Combine(outDir, RewriteGateResult.OutcomesFile)).Length);
        Assert.Equal(5, DatasetManifest.Read(outDir).Files[RewriteGateResult.OutcomesFile]);

        var again = await Verb(env, "--data", data, "--out", outDir, "--model", Model, "--probe-samples", "2");
        Assert.Equal(0, again.Exit);
        Assert.Contains("0 paid now, 15 from the cache", again.Out);
        Assert.Equal(15, server.Requests.Count);

        var everything = output + error + again.Out + again.Err +
            string.Concat(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.DoesNotContain(canary, everything);

        var wrongModel = await Verb(env, "--data", data, "--out", outDir, "--model", "nope");
        Assert.Equal(2, wrongModel.Exit);
        Assert.Contains("not one of the configured models", wrongModel.Err);
    }

    [Fact]
    public async Task The_verb_without_an_LLM_runs_the_rule_based_rewriter_and_says_so()
    {
        var outDir = TempFolder("rewrite-offline");
        var (exit, output, error) = await Verb([], "--data", Path.Combine(TestPaths.RepoRoot, "data", "first-person"), "--out", outDir);
        Assert.True(exit == 0, error);
        Assert.Contains("rule-based rewriter", output);
        Assert.Contains("probe:      skipped", output);
        Assert.Equal(5, DilemmaDataset.Load(outDir).Dilemmas.Count);
        var refused = await Verb([], "--data", Path.Combine(TestPaths.RepoRoot, "data", "first-person"), "--out", outDir, "--model", "gpt-4o");
        Assert.Equal(2, refused.Exit);
        Assert.Contains("no LLM is configured", refused.Err);
    }
}
