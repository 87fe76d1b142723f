using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Profiles;

/// <summary>One answer of one model to one sample of one dilemma under one condition.</summary>
/// <param name="Model">Model name (the key of the client).</param>
/// <param name="Condition">Condition name.</param>
/// <param name="DilemmaId">Dilemma id.</param>
/// <param name="SampleIndex">Sample index, 0 … N−1.</param>
/// <param name="Prompt">The prompt sent.</param>
/// <param name="Response">The raw answer text ("" when the call failed).</param>
/// <param name="Verdict">Parsed verdict (verdict conditions), or null.</param>
/// <param name="Share">Parsed share (elicitation conditions), or null.</param>
/// <param name="Rationale">The rationale text (for value extraction later).</param>
/// <param name="Profile">The profile shown, or null.</param>
/// <param name="Error">Exception type and message when the call failed, else null.</param>
public sealed record ConditionResponse(
    string Model, string Condition, string DilemmaId, int SampleIndex, string Prompt, string Response,
    Verdict? Verdict, double? Share, string Rationale, IReadOnlyList<ValueWeight>? Profile, string? Error)
{
    /// <summary>True when the answer gave a usable verdict or share.</summary>
    public bool IsValid => Verdict is not null || Share is not null;
}

/// <summary>p for one (model, condition, dilemma): share of UNACCEPTABLE (or mean elicited share) over valid answers.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="DilemmaId">Dilemma id.</param>
/// <param name="P">p, or NaN when no answer was valid.</param>
/// <param name="Valid">Answers used.</param>
/// <param name="Invalid">Answers skipped: unparseable or failed calls (counted, never silently dropped).</param>
public sealed record ConditionEstimate(string Model, string Condition, string DilemmaId, double P, int Valid, int Invalid);

/// <summary>All answers and estimates of a DMP evaluation run.</summary>
public sealed class DmpRunResult
{
    /// <summary>Creates a result from answers; estimates are computed from them.</summary>
    public DmpRunResult(IReadOnlyList<ConditionResponse> responses, IReadOnlyDictionary<string, ConditionKind> kinds)
    {
        Responses = responses;
        Kinds = kinds;
        Estimates = responses
            .GroupBy(r => (r.Model, r.Condition, r.DilemmaId))
            .Select(g =>
            {
                var kind = kinds.TryGetValue(g.Key.Condition, out var k) ? k : ConditionKind.Verdict;
                var valid = g.Where(r => kind == ConditionKind.Verdict ? r.Verdict is not null : r.Share is not null).ToList();
                var p = valid.Count == 0 ? double.NaN
                    : kind == ConditionKind.Verdict ? valid.Count(r => r.Verdict == Verdict.Unacceptable) / (double)valid.Count
                    : valid.Average(r => r.Share!.Value);
                return new ConditionEstimate(g.Key.Model, g.Key.Condition, g.Key.DilemmaId, p, valid.Count, g.Count() - valid.Count);
            })
            .OrderBy(e => e.Model, StringComparer.Ordinal).ThenBy(e => e.Condition, StringComparer.Ordinal)
            .ThenBy(e => e.DilemmaId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every answer, ordered by model, condition, dilemma, sample.</summary>
    public IReadOnlyList<ConditionResponse> Responses { get; }

    /// <summary>Per (model, condition, dilemma) p and the valid/invalid counts.</summary>
    public IReadOnlyList<ConditionEstimate> Estimates { get; }

    /// <summary>The kind of each condition.</summary>
    public IReadOnlyDictionary<string, ConditionKind> Kinds { get; }

    /// <summary>Model names present.</summary>
    public IReadOnlyList<string> Models => Estimates.Select(e => e.Model).Distinct().ToList();

    /// <summary>Condition names present.</summary>
    public IReadOnlyList<string> ConditionNames => Estimates.Select(e => e.Condition).Distinct().ToList();

    /// <summary>Total answers that were unparseable or failed.</summary>
    public int InvalidCount => Estimates.Sum(e => e.Invalid);

    /// <summary>p per dilemma (NaN where missing) for a model and condition, in the order of <paramref name="dilemmaIds"/>.</summary>
    public double[] P(string model, string condition, IReadOnlyList<string> dilemmaIds)
    {
        var map = Estimates.Where(e => e.Model == model && e.Condition == condition).ToDictionary(e => e.DilemmaId, e => e.P);
        if (map.Count == 0) throw new ArgumentException($"No estimates for model '{model}' and condition '{condition}'.");
        return dilemmaIds.Select(id => map.TryGetValue(id, out var p) ? p : double.NaN).ToArray();
    }

    /// <summary>
    /// Adds the council-of-models baseline: all models' answers under <paramref name="fromCondition"/> pooled per
    /// dilemma, as model <paramref name="councilName"/> and condition <paramref name="councilName"/>
    /// (p = share of UNACCEPTABLE among all pooled valid answers, i.e. N × models votes).
    /// </summary>
    public DmpRunResult WithCouncil(string fromCondition = "vanilla", string councilName = "council")
    {
        var pooled = Responses.Where(r => r.Condition == fromCondition && r.Model != councilName).ToList();
        if (pooled.Count == 0) throw new ArgumentException($"No answers under condition '{fromCondition}' to pool.");
        var models = pooled.Select(r => r.Model).Distinct().OrderBy(m => m, StringComparer.Ordinal).ToList();
        var council = pooled.Select(r => r with
        {
            Model = councilName, Condition = councilName,
            SampleIndex = models.IndexOf(r.Model) * 1_000_000 + r.SampleIndex,
        });
        var kinds = new Dictionary<string, ConditionKind>(Kinds) { [councilName] = Kinds.GetValueOrDefault(fromCondition) };
        return new DmpRunResult(Responses.Concat(council).ToList(), kinds);
    }
}

/// <summary>
/// Runs the DMP evaluation (Russo et al. 2025, §5): for every model, condition, dilemma and sample i = 0 … N−1, builds the
/// condition's prompt, asks the model, and parses the answer; p per (model, condition, dilemma) is the share of
/// UNACCEPTABLE among the N samples (or the mean elicited share).
/// </summary>
public static class DmpEvaluation
{
    /// <summary>
    /// Runs every (model, condition, dilemma, sample) with at most <paramref name="maxConcurrency"/> calls in flight.
    /// Sample i is sent with request seed i (<see cref="MoralGap.Llm.CacheKey.RequestSeed"/>), the convention of the one
    /// cache key: a seeded provider (the simulated judge, OpenAI's seed) gives repeatable runs, and a
    /// <see cref="MoralGap.Llm.CachedChatClient"/> reads sample i of a prompt from the entry judgment collection wrote. A failed call
    /// is recorded with its error and counted as invalid; cancellation stops the run.
    /// </summary>
    /// <param name="dilemmas">Dilemmas to judge.</param>
    /// <param name="conditions">Conditions (names must be distinct).</param>
    /// <param name="models">One chat client per model name.</param>
    /// <param name="samples">N, the number of samples per dilemma (the paper uses as many as humans: 32).</param>
    /// <param name="parseVerdict">Verdict parser; default <see cref="ResponseParsing.ParseVerdict"/>.</param>
    /// <param name="parseShare">Share parser for elicitation conditions; default <see cref="ResponseParsing.ParseShare"/>.</param>
    /// <param name="maxConcurrency">Maximum concurrent calls (≥ 1).</param>
    /// <param name="options">Base chat options (temperature etc.); cloned per request.</param>
    /// <param name="progress">Receives the number of finished calls.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<DmpRunResult> RunAsync(
        IReadOnlyList<Dilemma> dilemmas,
        IReadOnlyList<Condition> conditions,
        IReadOnlyDictionary<string, IChatClient> models,
        int samples,
        Func<string, Verdict?>? parseVerdict = null,
        Func<string, double?>? parseShare = null,
        int maxConcurrency = 4,
        ChatOptions? options = null,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(models);
        if (dilemmas.Count == 0) throw new ArgumentException("No dilemmas.", nameof(dilemmas));
        if (conditions.Count == 0) throw new ArgumentException("No conditions.", nameof(conditions));
        if (models.Count == 0) throw new ArgumentException("No models.", nameof(models));
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples = {samples} must be ≥ 1.");
        if (maxConcurrency < 1) throw new ArgumentOutOfRangeException(nameof(maxConcurrency), "maxConcurrency must be ≥ 1.");
        var dup = conditions.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"Condition name '{dup.Key}' is used twice.", nameof(conditions));
        var dupId = dilemmas.GroupBy(d => d.Id).FirstOrDefault(g => g.Count() > 1);
        if (dupId is not null) throw new ArgumentException($"Dilemma id '{dupId.Key}' occurs twice.", nameof(dilemmas));
        parseVerdict ??= ResponseParsing.ParseVerdict;
        parseShare ??= ResponseParsing.ParseShare;

        var work = (from m in models.Keys.OrderBy(k => k, StringComparer.Ordinal)
                    from c in conditions
                    from d in dilemmas
                    from i in Enumerable.Range(0, samples)
                    select (Model: m, Condition: c, Dilemma: d, Index: i)).ToList();
        var results = new ConcurrentBag<ConditionResponse>();
        var done = 0;
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (w, ct) =>
            {
                var prompt = w.Condition.Build(w.Dilemma, w.Index);
                var opts = options?.Clone() ?? new ChatOptions();
                opts.Seed = MoralGap.Llm.CacheKey.RequestSeed(w.Index);
                string text = "";
                string? error = null;
                try
                {
                    var response = await models[w.Model].GetResponseAsync(prompt.Prompt, opts, ct).ConfigureAwait(false);
                    text = response.Text ?? "";
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    error = $"{ex.GetType().Name}: {ex.Message}";
                }
                Verdict? verdict = null;
                double? share = null;
                if (error is null)
                {
                    if (w.Condition.Kind == ConditionKind.Verdict) verdict = parseVerdict(text);
                    else share = parseShare(text);
                }
                results.Add(new ConditionResponse(w.Model, w.Condition.Name, w.Dilemma.Id, w.Index, prompt.Prompt, text,
                    verdict, share, ResponseParsing.ParseRationale(text), prompt.Profile, error));
                progress?.Report(Interlocked.Increment(ref done));
            }).ConfigureAwait(false);

        var ordered = results
            .OrderBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Condition, StringComparer.Ordinal)
            .ThenBy(r => r.DilemmaId, StringComparer.Ordinal).ThenBy(r => r.SampleIndex).ToList();
        return new DmpRunResult(ordered, conditions.ToDictionary(c => c.Name, c => c.Kind));
    }

    /// <summary>
    /// Summarises a run against human p: per (model, condition) the mean |Δp| (<see cref="Alignment.MeanAbsoluteGap"/>)
    /// with a percentile bootstrap CI over dilemmas, Pearson r of model p with human p, the per-consensus-bin means with bootstrap CIs (<see cref="Alignment.GapByConsensus"/>) and the relative gap
    /// reduction versus <paramref name="baselineCondition"/> of the same model (the council is compared with the mean
    /// vanilla gap over models). Dilemmas without any valid answer (model p NaN) are skipped and counted
    /// (<see cref="ConditionSummary.SkippedDilemmas"/>, and per bin in <see cref="ConsensusBinGap.Skipped"/>).
    /// </summary>
    /// <param name="result">The run.</param>
    /// <param name="humanP">Human p (share of UNACCEPTABLE) per dilemma id.</param>
    /// <param name="baselineCondition">The condition gaps are reduced from (default <c>vanilla</c>).</param>
    /// <param name="binEdges">Consensus bin edges (default <see cref="Alignment.DefaultBinEdges"/>: 0.5, 0.6, …, 1.0).</param>
    /// <param name="replicates">Bootstrap replicates per bin.</param>
    /// <param name="seed">Bootstrap seed.</param>
    public static IReadOnlyList<ConditionSummary> Summarize(DmpRunResult result, IReadOnlyDictionary<string, double> humanP,
        string baselineCondition = "vanilla", double[]? binEdges = null, int replicates = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(humanP);
        var rows = new List<ConditionSummary>();
        var baselineGaps = new Dictionary<string, double>();
        var pairs = result.Estimates.Select(e => (e.Model, e.Condition)).Distinct().ToList();
        foreach (var (model, condition) in pairs)
        {
            var est = result.Estimates.Where(e => e.Model == model && e.Condition == condition && humanP.ContainsKey(e.DilemmaId)).ToList();
            if (est.Count == 0)
            {
                // no dilemma of this pair has a human p: a row that says so rather than none
                rows.Add(new ConditionSummary(model, condition, 0, 0, double.NaN, [], double.NaN));
                continue;
            }
            var pm = est.Select(e => e.P).ToArray();
            var ph = est.Select(e => humanP[e.DilemmaId]).ToArray();
            var gap = Alignment.MeanAbsoluteGap(pm, ph, MissingModelP.Skip);
            if (condition == baselineCondition) baselineGaps[model] = gap.MeanAbsoluteGap;
            var overall = Alignment.GapByConsensus(pm, ph, [0.5, 1.0], replicates, seed: seed, missing: MissingModelP.Skip)[0];
            var finite = Enumerable.Range(0, pm.Length).Where(i => double.IsFinite(pm[i])).ToArray();
            var r = finite.Length > 2 ? Alignment.PearsonR(finite.Select(i => pm[i]).ToArray(), finite.Select(i => ph[i]).ToArray()) : double.NaN;
            rows.Add(new ConditionSummary(model, condition, gap.Dilemmas, est.Sum(e => e.Invalid), gap.MeanAbsoluteGap,
                Alignment.GapByConsensus(pm, ph, binEdges, replicates, seed: seed, missing: MissingModelP.Skip), double.NaN, gap.Skipped,
                overall.CiLower, overall.CiUpper, r));
        }
        var meanBaseline = baselineGaps.Count == 0 ? double.NaN : baselineGaps.Values.Average();
        return rows.Select(r =>
        {
            var b = baselineGaps.TryGetValue(r.Model, out var g) ? g : meanBaseline;
            return r with { GapReduction = double.IsFinite(b) && b > 0 ? GapMetrics.RelativeGapReduction(b, r.MeanAbsGap) : double.NaN };
        }).ToList();
    }

    /// <summary>
    /// A plain-text table of summaries: model, condition, dilemmas, dilemmas skipped (no valid answer), invalid answers,
    /// mean |Δp|, reduction, per-bin means.
    /// </summary>
    public static string FormatSummary(IReadOnlyList<ConditionSummary> summaries)
    {
        ArgumentNullException.ThrowIfNull(summaries);
        var sb = new StringBuilder();
        var bins = summaries.FirstOrDefault()?.Bins ?? [];
        sb.Append($"{"model",-20} {"condition",-20} {"n",4} {"skipped",7} {"invalid",7} {"|Δp|",6} {"reduct.",8}");
        foreach (var b in bins) sb.Append($" {b.Label,10}");
        sb.AppendLine();
        foreach (var s in summaries)
        {
            sb.Append($"{s.Model,-20} {s.Condition,-20} {s.Dilemmas,4} {s.SkippedDilemmas,7} {s.Invalid,7} {s.MeanAbsGap,6:F3} {(double.IsNaN(s.GapReduction) ? "" : s.GapReduction.ToString("P1")),8}");
            foreach (var b in s.Bins) sb.Append($" {(b.Dilemmas == 0 ? "-" : b.MeanAbsoluteGap.ToString("F3")),10}");
            sb.AppendLine();
        }
        return sb.ToString();
    }
}
