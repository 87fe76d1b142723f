using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;

namespace MoralGap.Rewrite;

/// <summary>Options of the rewrite gate.</summary>
public sealed record RewriteGateOptions
{
    /// <summary>Sampling temperature of the rewrite (low by default).</summary>
    public double Temperature { get; init; } = 0.2;

    /// <summary>How many times the memorisation probe asks about each dilemma (the paper: 3).</summary>
    public int ProbeSamples { get; init; } = 3;

    /// <summary>Sampling temperature of the probe (1: the model's ordinary sampling, so the samples can differ).</summary>
    public double ProbeTemperature { get; init; } = 1.0;

    /// <summary>Keep dilemmas the probe flagged (they are still counted and marked).</summary>
    public bool KeepFlagged { get; init; }

    /// <summary>Limits of the checks.</summary>
    public RewriteCheckOptions Checks { get; init; } = RewriteCheckOptions.Default;

    /// <summary>Dilemmas processed at once.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>Price per million input and output tokens, for the cost line (0: not priced).</summary>
    public (double Input, double Output) PricePerMillion { get; init; }
}

/// <summary>What happened to one dilemma at the gate.</summary>
public enum RewriteStatus
{
    /// <summary>Rewritten, passed the checks, not flagged: in the dataset.</summary>
    Kept,
    /// <summary>Flagged by the probe but kept (<see cref="RewriteGateOptions.KeepFlagged"/>).</summary>
    KeptFlagged,
    /// <summary>Flagged by the probe as a known post: left out.</summary>
    Flagged,
    /// <summary>The rewrite failed the checks twice (or could not be read): left out.</summary>
    FailedChecks,
}

/// <summary>One dilemma at the gate: original, rewrite, checks, probe, status.</summary>
/// <param name="Id">The dilemma id.</param>
/// <param name="Status">What happened.</param>
/// <param name="Reason">Why it was left out or flagged (null when kept cleanly).</param>
/// <param name="OriginalTitle">The original title.</param>
/// <param name="OriginalText">The original text.</param>
/// <param name="Title">The final rewritten title.</param>
/// <param name="Text">The final rewritten text.</param>
/// <param name="Attempts">Rewrites asked for (1, or 2 after a failed check).</param>
/// <param name="FirstFailures">What the first rewrite failed (empty when it passed).</param>
/// <param name="Check">The checks on the final rewrite.</param>
/// <param name="Probe">The probe's answers; null when the probe did not run (no LLM).</param>
public sealed record RewriteOutcome(string Id, RewriteStatus Status, string? Reason, string OriginalTitle, string OriginalText,
    string Title, string Text, int Attempts, IReadOnlyList<string> FirstFailures, RewriteCheck Check, ProbeResult? Probe);

/// <summary>The gate report: counts, reasons, calls and cost.</summary>
public sealed record RewriteReport
{
    /// <summary>Which rewriter ran (the model, or the rule-based rewriter).</summary>
    public required string Rewriter { get; init; }
    /// <summary>True when no LLM was used.</summary>
    public required bool RuleBased { get; init; }
    /// <summary>Dilemmas given.</summary>
    public required int Candidates { get; init; }
    /// <summary>Dilemmas with a readable rewrite.</summary>
    public required int Rewritten { get; init; }
    /// <summary>Final rewrites that are anchored (name "the main actor", no first-person narration).</summary>
    public required int Anchored { get; init; }
    /// <summary>Dilemmas whose first rewrite failed a check and were retried once.</summary>
    public required int Retried { get; init; }
    /// <summary>Dilemmas left out because the rewrite failed the checks (after the retry).</summary>
    public required int Failed { get; init; }
    /// <summary>Of those, how many failed each check (a dilemma may fail several).</summary>
    public required IReadOnlyDictionary<string, int> FailedByReason { get; init; }
    /// <summary>How the probe ran: "N samples a dilemma", or why it was skipped.</summary>
    public required string Probe { get; init; }
    /// <summary>True when the probe did not run: nothing was checked for memorisation (not a pass).</summary>
    public bool ProbeSkipped => RuleBased;
    /// <summary>Dilemmas the probe flagged (0 when skipped).</summary>
    public required int Flagged { get; init; }
    /// <summary>Flagged dilemmas kept anyway.</summary>
    public required int KeptFlagged { get; init; }
    /// <summary>Dilemmas in the output dataset.</summary>
    public required int Kept { get; init; }
    /// <summary>LLM answers paid for in this run.</summary>
    public required int PaidCalls { get; init; }
    /// <summary>LLM answers read from the response cache.</summary>
    public required int CachedCalls { get; init; }
    /// <summary>Input and output tokens of all answers (paid now or earlier).</summary>
    public required long InputTokens { get; init; }
    /// <summary>Output tokens of all answers.</summary>
    public required long OutputTokens { get; init; }
    /// <summary>Cost of the calls paid in this run at the given prices (null when unpriced).</summary>
    public required double? Cost { get; init; }

    /// <summary>The report as lines of text.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine("rewriter:   " + Rewriter);
        sb.AppendLine($"candidates: {Candidates}");
        sb.AppendLine($"rewritten:  {Rewritten}   anchored: {Anchored}   retried once: {Retried}");
        sb.AppendLine($"failed:     {Failed}" + (Failed == 0 ? "" : "  (" + string.Join("; ", FailedByReason.Select(kv => $"{kv.Key}: {kv.Value}")) + ")"));
        sb.AppendLine("probe:      " + Probe);
        sb.AppendLine(ProbeSkipped ? "flagged:    — (probe skipped: memorisation NOT checked)" : $"flagged:    {Flagged}" + (KeptFlagged > 0 ? $" (kept anyway: {KeptFlagged})" : " (left out)"));
        sb.AppendLine($"kept:       {Kept} of {Candidates}");
        sb.Append(RuleBased ? "cost:       none (no LLM called)"
            : $"calls:      {PaidCalls} paid now, {CachedCalls} from the cache; tokens in {InputTokens:N0}, out {OutputTokens:N0}" +
              (Cost is { } c ? "; cost of paid calls " + c.ToString("0.0000", CultureInfo.InvariantCulture) : "; unpriced"));
        return sb.ToString();
    }
}

/// <summary>The result of the gate: an outcome per candidate, in input order, and the report.</summary>
public sealed record RewriteGateResult(IReadOnlyList<RewriteOutcome> Outcomes, RewriteReport Report)
{
    /// <summary>The file beside the dataset that holds every outcome (before/after, checks, probe answers).</summary>
    public const string OutcomesFile = "rewrites.jsonl";

    /// <summary>The dilemmas that pass the gate, rewritten (title and text replaced, id, source and topic kept).</summary>
    public IReadOnlyList<Dilemma> KeptDilemmas(IEnumerable<Dilemma> originals)
    {
        var byId = originals.ToDictionary(d => d.Id, StringComparer.Ordinal);
        return Outcomes.Where(o => o.Status is RewriteStatus.Kept or RewriteStatus.KeptFlagged)
            .Select(o => byId[o.Id] with { Title = o.Title, Text = o.Text }).ToArray();
    }

    /// <summary>
    /// Writes the gated dataset to <paramref name="folder"/>: the kept dilemmas rewritten, their judgments, and
    /// <see cref="OutcomesFile"/> with every candidate's outcome (listed in the manifest).
    /// </summary>
    public DilemmaDataset Save(DilemmaDataset source, string folder)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var kept = KeptDilemmas(source.Dilemmas);
        var ids = kept.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var description = $"{source.Name} rewritten to the main actor by the {(Report.RuleBased ? "rule-based rewriter" : "LLM " + Report.Rewriter)}; " +
            $"{Report.Kept} of {Report.Candidates} kept" + (Report.ProbeSkipped ? ", memorisation probe skipped" : $", {Report.Flagged} flagged by the memorisation probe");
        var dataset = new DilemmaDataset(kept, source.Judgments.Where(j => ids.Contains(j.DilemmaId)), source.Name + "-rewritten", description);
        dataset.Save(folder);
        var n = JsonlStore.Write(Path.Combine(folder, OutcomesFile), Outcomes);
        DatasetManifest.Read(folder).WithFile(OutcomesFile, n).Write(folder);
        return DilemmaDataset.Load(folder);
    }
}

/// <summary>
/// The dataset step the paper describes before judging: each post is rewritten into a neutral account of "the main
/// actor", the rewrite is checked (<see cref="RewriteChecks"/>: anchored, length ratio, no verdict words) and retried
/// once with a note when it fails, then kept out with the reason; a memorisation probe (<see cref="MemorisationProbe"/>,
/// 3 samples by default) flags posts the model recalls, and flagged posts leave the dataset unless kept on purpose.
/// <para>With a chat client (an LLM, ideally a <see cref="CachedChatClient"/>: answers stored before use, never paid twice,
/// a killed run resumes) the model rewrites and is probed. Without one the <see cref="RuleBasedRewriter"/> runs, says
/// so, and the probe is reported as skipped, never as passed.</para>
/// </summary>
public static class RewriteGate
{
    /// <summary>Progress: dilemmas done of the total.</summary>
    public readonly record struct Progress(int Done, int Total);

    /// <summary>Runs the gate over <paramref name="dilemmas"/>; <paramref name="client"/> null means offline (rule-based, probe skipped).</summary>
    /// <param name="dilemmas">The candidates.</param>
    /// <param name="client">The LLM, or null.</param>
    /// <param name="model">The model's name for the report (ignored offline).</param>
    /// <param name="options">Options (defaults when null).</param>
    /// <param name="progress">Reports after every dilemma.</param>
    /// <param name="cancellationToken">Stops the run (answers already received stay in the cache).</param>
    public static async Task<RewriteGateResult> RunAsync(IReadOnlyList<Dilemma> dilemmas, IChatClient? client, string? model = null,
        RewriteGateOptions? options = null, IProgress<Progress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        options ??= new RewriteGateOptions();
        if (options.ProbeSamples < 1) throw new ArgumentOutOfRangeException(nameof(options), options.ProbeSamples, "ProbeSamples must be at least 1.");
        var outcomes = new RewriteOutcome[dilemmas.Count];
        var tally = new CallTally();
        var rewriter = client is null ? null : new LlmRewriter(client, options.Temperature);
        var probe = client is null ? null : new MemorisationProbe(client, options.ProbeSamples, options.ProbeTemperature);
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, dilemmas.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Concurrency), CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                outcomes[i] = rewriter is null
                    ? Offline(dilemmas[i], options)
                    : await OnlineAsync(dilemmas[i], rewriter, probe!, options, tally, ct).ConfigureAwait(false);
                progress?.Report(new Progress(Interlocked.Increment(ref done), dilemmas.Count));
            }).ConfigureAwait(false);

        var failedOutcomes = outcomes.Where(o => o.Status == RewriteStatus.FailedChecks).ToArray();
        var failed = failedOutcomes
            .SelectMany(o => o.Reason!.Split("; ").Select(r => r.Split(" (")[0].Split(" ratio")[0]).Distinct())
            .GroupBy(r => r).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count());
        var report = new RewriteReport
        {
            Rewriter = client is null ? RuleBasedRewriter.Name : $"{model ?? "LLM"} (temperature {options.Temperature.ToString(CultureInfo.InvariantCulture)})",
            RuleBased = client is null,
            Candidates = dilemmas.Count,
            Rewritten = outcomes.Count(o => o.Text.Length > 0),
            Anchored = outcomes.Count(o => o.Check.Anchored),
            Retried = outcomes.Count(o => o.Attempts > 1),
            Failed = failedOutcomes.Length,
            FailedByReason = failed,
            Probe = client is null ? "skipped: no LLM configured (memorisation NOT checked; this is not a pass)"
                : $"{options.ProbeSamples} samples a dilemma at temperature {options.ProbeTemperature.ToString(CultureInfo.InvariantCulture)}; flagged when any answer shows recall",
            Flagged = outcomes.Count(o => o.Status is RewriteStatus.Flagged or RewriteStatus.KeptFlagged),
            KeptFlagged = outcomes.Count(o => o.Status == RewriteStatus.KeptFlagged),
            Kept = outcomes.Count(o => o.Status is RewriteStatus.Kept or RewriteStatus.KeptFlagged),
            PaidCalls = tally.Paid,
            CachedCalls = tally.Cached,
            InputTokens = tally.InputTokens,
            OutputTokens = tally.OutputTokens,
            Cost = options.PricePerMillion is (0, 0) ? null
                : (tally.PaidInputTokens * options.PricePerMillion.Input + tally.PaidOutputTokens * options.PricePerMillion.Output) / 1e6,
        };
        return new RewriteGateResult(outcomes, report);
    }

    private static RewriteOutcome Offline(Dilemma d, RewriteGateOptions options)
    {
        var (title, text) = RuleBasedRewriter.Rewrite(d.Title, d.Text);
        var check = RewriteChecks.Check(d.Title, d.Text, title, text, options.Checks);
        return check.Passed
            ? new RewriteOutcome(d.Id, RewriteStatus.Kept, null, d.Title, d.Text, title, text, 1, [], check, null)
            : new RewriteOutcome(d.Id, RewriteStatus.FailedChecks, string.Join("; ", check.Failures), d.Title, d.Text, title, text, 1, check.Failures, check, null);
    }

    private static async Task<RewriteOutcome> OnlineAsync(Dilemma d, LlmRewriter rewriter, MemorisationProbe probe, RewriteGateOptions options,
        CallTally tally, CancellationToken ct)
    {
        var (answer, response) = await rewriter.RewriteAsync(d, cancellationToken: ct).ConfigureAwait(false);
        tally.Add(response);
        var check = Check(d, answer, options);
        IReadOnlyList<string> firstFailures = [];
        var attempts = 1;
        if (!answer.Parsed || !check.Passed)
        {
            firstFailures = Failures(answer, check);
            attempts = 2;
            (answer, response) = await rewriter.RewriteAsync(d, answer, firstFailures, ct).ConfigureAwait(false);
            tally.Add(response);
            check = Check(d, answer, options);
        }
        if (!answer.Parsed || !check.Passed)
            return new RewriteOutcome(d.Id, RewriteStatus.FailedChecks, string.Join("; ", Failures(answer, check)), d.Title, d.Text,
                answer.Title, answer.Text, attempts, firstFailures, check, null);

        var (result, responses) = await probe.ProbeAsync(d, ct).ConfigureAwait(false);
        foreach (var r in responses) tally.Add(r);
        var status = !result.Flagged ? RewriteStatus.Kept : options.KeepFlagged ? RewriteStatus.KeptFlagged : RewriteStatus.Flagged;
        return new RewriteOutcome(d.Id, status, result.Flagged ? "memorised: " + result.Reason : null, d.Title, d.Text,
            answer.Title, answer.Text, attempts, firstFailures, check, result);
    }

    private static RewriteCheck Check(Dilemma d, RewriteAnswer answer, RewriteGateOptions options) =>
        RewriteChecks.Check(d.Title, d.Text, answer.Title, answer.Text, options.Checks);

    private static IReadOnlyList<string> Failures(RewriteAnswer answer, RewriteCheck check) =>
        answer.Parsed ? check.Failures : ["answer not in the form Title: … / Text: …"];

    /// <summary>Counts calls (paid now or from the cache) and tokens.</summary>
    private sealed class CallTally
    {
        private int _paid, _cached;
        private long _in, _out, _paidIn, _paidOut;

        public int Paid => _paid;
        public int Cached => _cached;
        public long InputTokens => Interlocked.Read(ref _in);
        public long OutputTokens => Interlocked.Read(ref _out);
        public long PaidInputTokens => Interlocked.Read(ref _paidIn);
        public long PaidOutputTokens => Interlocked.Read(ref _paidOut);

        public void Add(ChatResponse response)
        {
            var fromCache = response.AdditionalProperties?.TryGetValue(CachedChatClient.FromCacheProperty, out var v) == true && v is true;
            var input = response.Usage?.InputTokenCount ?? 0;
            var output = response.Usage?.OutputTokenCount ?? 0;
            Interlocked.Add(ref _in, input);
            Interlocked.Add(ref _out, output);
            if (fromCache) Interlocked.Increment(ref _cached);
            else
            {
                Interlocked.Increment(ref _paid);
                Interlocked.Add(ref _paidIn, input);
                Interlocked.Add(ref _paidOut, output);
            }
        }
    }
}
