using System.Collections.Concurrent;
using System.ClientModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;

namespace MoralGap.Judging;

/// <summary>Price of a model per one million tokens (in any currency; the collector only multiplies).</summary>
public sealed record ModelPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Cost of a call: input·InputPerMillion/10⁶ + output·OutputPerMillion/10⁶.</summary>
    public double Cost(long inputTokens, long outputTokens) => inputTokens * InputPerMillion / 1e6 + outputTokens * OutputPerMillion / 1e6;
}

/// <summary>One model to collect judgments from.</summary>
/// <param name="Model">The model id, which becomes <see cref="Judgment.Author"/>.</param>
/// <param name="Client">The chat client that answers for it.</param>
/// <param name="ProviderId">Secret-free provider identity for cache keys (<see cref="LlmConfiguration.ProviderId"/>).</param>
/// <param name="Redact">Removes the provider's secret from error text (e.g. <see cref="LlmConfiguration.Redact"/>).</param>
public sealed record JudgeModel(string Model, IChatClient Client, string ProviderId, Func<string?, string>? Redact = null)
{
    /// <summary>True when the client is the <see cref="SimulatedJudge"/>.</summary>
    public bool IsSimulated => Client is SimulatedJudge;

    /// <summary>A judge for each model of <paramref name="configuration"/>; the simulator needs <paramref name="simulatedJudge"/>.</summary>
    public static IReadOnlyList<JudgeModel> FromConfiguration(LlmConfiguration configuration, SimulatedJudge? simulatedJudge = null, TimeSpan? networkTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.EnsureComplete();
        if (configuration.IsSimulated)
        {
            if (simulatedJudge is null)
                throw new ArgumentException("No LLM is configured, so the simulated judge answers: pass one, e.g. SimulatedJudge.FitFromHumans(dilemmas, humanJudgments).", nameof(simulatedJudge));
            return [new JudgeModel(SimulatedJudge.ModelIdValue, simulatedJudge, configuration.ProviderId)];
        }
        return configuration.Models.Select(m => new JudgeModel(m, configuration.CreateClient(m, networkTimeout), configuration.ProviderId, configuration.Redact)).ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Model} ({ProviderId})";
}

/// <summary>Settings of a judgment collection. Defaults are our choices where the paper is silent (it names neither temperature nor sampling settings).</summary>
public sealed record JudgmentCollectionOptions
{
    /// <summary>Samples per dilemma and model (paper: 32, as many as human judgments).</summary>
    public int Samples { get; init; } = 32;

    /// <summary>Sampling temperature (the paper does not say; 1.0 samples the model's own distribution). Null: not sent.</summary>
    public double? Temperature { get; init; } = 1.0;

    /// <summary>Output token limit (null: not sent).</summary>
    public int? MaxOutputTokens { get; init; } = 300;

    /// <summary>Calls in flight at once, over all models.</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// Send sample i with request seed i (<see cref="CacheKey.RequestSeed"/>; OpenAI, Azure, vLLM, Ollama accept it; the
    /// simulated judge needs it to be reproducible). The seed is the sample index, not a run seed, so every chapter and
    /// verb asking sample i of a prompt reads one cache entry; the simulated judge's own randomness follows its
    /// <see cref="SimulatedJudgeOptions.Seed"/>.
    /// </summary>
    public bool SendSeed { get; init; } = true;

    /// <summary>Where answers are stored before use; null: no cache (every run calls again).</summary>
    public ResponseCache? Cache { get; init; }

    /// <summary>Also cache the simulated judge's answers (off: it is free and deterministic).</summary>
    public bool CacheSimulated { get; init; }

    /// <summary>Retries, backoff and per-attempt timeout.</summary>
    public LlmRetryOptions Retry { get; init; } = new();

    /// <summary>Prices per model id (per 1M input / output tokens) for the cost summary; models without a price cost 0.</summary>
    public IReadOnlyDictionary<string, ModelPrice>? Prices { get; init; }

    /// <summary>An optional moral profile per dilemma (Dynamic Moral Profiling); null or an empty list: the plain prompt.</summary>
    public Func<Dilemma, IReadOnlyList<ValueWeight>?>? Profile { get; init; }

    /// <summary>Replaces <see cref="JudgePrompt.Messages"/> (e.g. for baselines); the answer is still read by <see cref="AnswerParser"/>.</summary>
    public Func<Dilemma, IReadOnlyList<ChatMessage>>? Prompt { get; init; }

    /// <summary>The messages sent for <paramref name="dilemma"/>: <see cref="Prompt"/>, else the judgment prompt with the <see cref="Profile"/>, if any.</summary>
    public IReadOnlyList<ChatMessage> MessagesFor(Dilemma dilemma) => Prompt?.Invoke(dilemma) ?? JudgePrompt.Messages(dilemma, Profile?.Invoke(dilemma));

    /// <summary>The request options of sample <paramref name="sample"/>: temperature, token limit and (with <see cref="SendSeed"/>) seed = the sample index.</summary>
    public ChatOptions ChatOptionsFor(int sample) => new()
    {
        Temperature = (float?)Temperature, MaxOutputTokens = MaxOutputTokens,
        Seed = SendSeed ? CacheKey.RequestSeed(sample) : null,
    };

    /// <summary>The one cache key of sample <paramref name="sample"/> of <paramref name="messages"/> from <paramref name="model"/> on <paramref name="providerId"/>.</summary>
    public CacheKey KeyFor(string providerId, string model, IReadOnlyList<ChatMessage> messages, int sample) =>
        CacheKey.For(providerId, model, messages, ChatOptionsFor(sample), sample);

    internal void Validate()
    {
        if (Samples < 1) throw new ArgumentOutOfRangeException(nameof(Samples), Samples, "Samples must be ≥ 1.");
        if (Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(Concurrency), Concurrency, "Concurrency must be ≥ 1.");
        if (Temperature is < 0 or > 2) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be in [0, 2].");
        if (MaxOutputTokens is < 1) throw new ArgumentOutOfRangeException(nameof(MaxOutputTokens), MaxOutputTokens, "MaxOutputTokens must be ≥ 1.");
    }
}

/// <summary>What happened to one call (one dilemma × model × sample).</summary>
/// <param name="DilemmaId">The dilemma.</param>
/// <param name="Model">The model.</param>
/// <param name="SampleIndex">The sample index.</param>
/// <param name="Kind">The outcome.</param>
/// <param name="FromCache">True when the answer came from the response cache (no call made).</param>
/// <param name="Attempts">HTTP attempts made (0 for cache hits and skipped calls).</param>
/// <param name="HttpStatus">Last HTTP status of a failed call, if any.</param>
/// <param name="Detail">For failures, what went wrong (secret-free); null otherwise.</param>
/// <param name="InputTokens">Prompt tokens of the answer, if reported.</param>
/// <param name="OutputTokens">Completion tokens of the answer, if reported.</param>
/// <param name="Elapsed">Wall time of the call including retries.</param>
public sealed record CallOutcome(string DilemmaId, string Model, int SampleIndex, OutcomeKind Kind, bool FromCache, int Attempts,
    int? HttpStatus, string? Detail, long? InputTokens, long? OutputTokens, TimeSpan Elapsed)
{
    /// <summary>The kind as written in logs: <c>ok</c>, <c>refusal</c>, <c>unparseable</c>, <c>truncated</c>, <c>http-error</c>, <c>timeout</c>, <c>bad-response</c>, <c>error</c>.</summary>
    public string KindName => JudgmentCollection.KindName(Kind);
}

/// <summary>Tokens, calls and cost of one model in a collection.</summary>
/// <param name="Model">The model.</param>
/// <param name="Calls">HTTP calls made in this run, retries included (cache hits excluded).</param>
/// <param name="CacheHits">Answers read from the cache.</param>
/// <param name="InputTokens">Prompt tokens of all answers (cached included).</param>
/// <param name="OutputTokens">Completion tokens of all answers (cached included).</param>
/// <param name="Cost">Cost of the calls made in this run, from <see cref="JudgmentCollectionOptions.Prices"/>.</param>
/// <param name="CostIncludingCache">Cost of all answers, as if none had been cached.</param>
/// <param name="Outcomes">Count per outcome kind.</param>
public sealed record ModelUsage(string Model, int Calls, int CacheHits, long InputTokens, long OutputTokens, double Cost, double CostIncludingCache,
    IReadOnlyDictionary<OutcomeKind, int> Outcomes)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Model}: {Calls} calls, {CacheHits} cache hits, {InputTokens:N0} in / {OutputTokens:N0} out tokens, cost {Cost:0.####} (all answers {CostIncludingCache:0.####}); " +
        string.Join(", ", Outcomes.OrderBy(kv => kv.Key).Select(kv => $"{JudgmentCollection.KindName(kv.Key)} {kv.Value}"));
}

/// <summary>Progress of a collection, for notebooks and the runner.</summary>
/// <param name="Completed">Items finished (answered, read from cache or failed).</param>
/// <param name="Total">Items in all: dilemmas × models × samples.</param>
/// <param name="CallsMade">Calls made so far.</param>
/// <param name="CacheHits">Answers read from the cache so far.</param>
/// <param name="Failures">Items without a verdict so far.</param>
/// <param name="Retries">Retries so far.</param>
public sealed record JudgingProgress(int Completed, int Total, int CallsMade, int CacheHits, int Failures, int Retries)
{
    /// <summary>Completed / Total.</summary>
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;

    /// <inheritdoc/>
    public override string ToString() => $"{Completed}/{Total} ({Fraction:P0}): {CallsMade} calls, {CacheHits} cache hits, {Failures} without verdict, {Retries} retries";
}

/// <summary>The result of a collection: judgments (N per dilemma and model, verdict null for failures) and the call log.</summary>
/// <param name="Judgments">One per dilemma × model × sample, ordered by dilemma, model, sample; Author = model id.</param>
/// <param name="Outcomes">One per judgment, same order.</param>
/// <param name="Usage">One per model.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="Simulated">True when any answer came from the simulated judge.</param>
public sealed record JudgmentCollection(IReadOnlyList<Judgment> Judgments, IReadOnlyList<CallOutcome> Outcomes, IReadOnlyList<ModelUsage> Usage,
    TimeSpan Elapsed, bool Simulated)
{
    /// <summary>Calls made in this run.</summary>
    public int CallsMade => Usage.Sum(u => u.Calls);

    /// <summary>Answers read from the cache.</summary>
    public int CacheHits => Usage.Sum(u => u.CacheHits);

    /// <summary>Items without a verdict, by kind.</summary>
    public IReadOnlyDictionary<OutcomeKind, int> FailuresByKind =>
        Outcomes.Where(o => o.Kind != OutcomeKind.Ok).GroupBy(o => o.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Cost of this run's calls over all models.</summary>
    public double Cost => Usage.Sum(u => u.Cost);

    /// <summary>
    /// The model's distribution per dilemma (paper §3): p = share of UNACCEPTABLE among the samples with a verdict
    /// (refusals and failures are left out of both counts); NaN for a dilemma without any verdict.
    /// </summary>
    public IReadOnlyDictionary<string, double> UnacceptableShares(string model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!Usage.Any(u => u.Model == model)) throw new ArgumentException($"Model '{model}' is not in this collection (models: {string.Join(", ", Usage.Select(u => u.Model))}).", nameof(model));
        return Judgments.Where(j => j.Author == model).GroupBy(j => j.DilemmaId).ToDictionary(g => g.Key, g =>
        {
            var judged = g.Where(j => j.Verdict is not null).ToList();
            return judged.Count == 0 ? double.NaN : judged.Count(j => j.Verdict == Verdict.Unacceptable) / (double)judged.Count;
        });
    }

    /// <summary>The log name of an outcome kind (<c>http-error</c>, …).</summary>
    public static string KindName(OutcomeKind kind) => kind switch
    {
        OutcomeKind.HttpError => "http-error",
        OutcomeKind.BadResponse => "bad-response",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Simulated) text.Append("[SIMULATED answers] ");
        text.Append($"{Judgments.Count} judgments ({Judgments.Count(j => j.Verdict is not null)} with a verdict): " +
                    $"{CallsMade} calls, {CacheHits} cache hits");
        var failures = FailuresByKind;
        text.Append(failures.Count == 0 ? ", no failures" : ", failures: " + string.Join(", ", failures.Select(kv => $"{KindName(kv.Key)} {kv.Value}")));
        if (Cost > 0) text.Append($", cost {Cost:0.####}");
        foreach (var u in Usage) text.Append("\n  ").Append(u);
        return text.ToString();
    }
}

/// <summary>
/// Collects LLM judgments (paper §3): for each dilemma × model, N samples of the judgment prompt at a temperature,
/// with bounded concurrency, retries (<see cref="LlmRetry"/>), a response cache that stores every answer before it is
/// used, and a tolerant parser (<see cref="AnswerParser"/>). Refusals and unreadable answers are recorded as outcomes
/// with a null verdict, never as a verdict. Cancelling stops scheduling new calls, lets the calls in flight finish and
/// be cached, then throws <see cref="OperationCanceledException"/>; a rerun with the same cache resumes.
/// </summary>
public static class JudgmentCollector
{
    /// <summary>Collects judgments from the models of <paramref name="configuration"/> (the simulator when nothing is configured).</summary>
    public static Task<JudgmentCollection> CollectAsync(IEnumerable<Dilemma> dilemmas, LlmConfiguration configuration, SimulatedJudge? simulatedJudge = null,
        JudgmentCollectionOptions? options = null, IProgress<JudgingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        CollectAsync(dilemmas, JudgeModel.FromConfiguration(configuration, simulatedJudge), options, progress, cancellationToken);

    /// <summary>Collects judgments from one chat client answering as <paramref name="model"/>.</summary>
    public static Task<JudgmentCollection> CollectAsync(IEnumerable<Dilemma> dilemmas, IChatClient client, string model, string providerId,
        JudgmentCollectionOptions? options = null, IProgress<JudgingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        CollectAsync(dilemmas, [new JudgeModel(model, client, providerId)], options, progress, cancellationToken);

    /// <summary>Collects judgments from several models.</summary>
    public static async Task<JudgmentCollection> CollectAsync(IEnumerable<Dilemma> dilemmas, IReadOnlyList<JudgeModel> judges,
        JudgmentCollectionOptions? options = null, IProgress<JudgingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        ArgumentNullException.ThrowIfNull(judges);
        options ??= new JudgmentCollectionOptions();
        options.Validate();
        if (judges.Count == 0) throw new ArgumentException("Give at least one model.", nameof(judges));
        var duplicateModel = judges.GroupBy(j => j.Model, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateModel is not null) throw new ArgumentException($"Model '{duplicateModel.Key}' is listed twice.", nameof(judges));
        var list = dilemmas.ToList();
        var duplicate = list.GroupBy(d => d.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Dilemma id '{duplicate.Key}' occurs {duplicate.Count()} times; ids must be unique.", nameof(dilemmas));
        var textless = list.Count(d => string.IsNullOrWhiteSpace(d.Text));
        if (textless > 0)
            throw new ArgumentException($"{textless} of {list.Count} dilemmas have no text (e.g. '{list.First(d => string.IsNullOrWhiteSpace(d.Text)).Id}'): " +
                "a model cannot judge them. A vote-count import without posts (scruples-votes) holds people's votes only; " +
                "add a study's recorded judgments to it with import-judgments and measure them with alignment or chapters 03 and 10.", nameof(dilemmas));

        var run = new Run(list, judges, options, progress);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, run.Total), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (item, _) => await run.ExecuteAsync(item, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
            throw new OperationCanceledException(
                $"Judgment collection cancelled after {run.Completed} of {run.Total} items; every answer received is in the cache, so a rerun resumes.",
                cancellationToken);
        return run.Result(clock.Elapsed);
    }

    private sealed class Run(List<Dilemma> dilemmas, IReadOnlyList<JudgeModel> judges, JudgmentCollectionOptions options, IProgress<JudgingProgress>? progress)
    {
        private readonly Judgment?[] _judgments = new Judgment?[dilemmas.Count * judges.Count * options.Samples];
        private readonly CallOutcome?[] _outcomes = new CallOutcome?[dilemmas.Count * judges.Count * options.Samples];
        private readonly ConcurrentDictionary<int, IReadOnlyList<ChatMessage>> _prompts = new();
        private readonly ConcurrentDictionary<string, string> _fatal = new(StringComparer.Ordinal);
        // One cache → retry → attempt-timeout path per model (the simulator is not cached unless asked: it is free and seeded).
        private readonly CachedCaller[] _callers = judges.Select(j =>
            new CachedCaller(j.Client, j.IsSimulated && !options.CacheSimulated ? null : options.Cache, options.Retry)).ToArray();
        private int _completed, _calls, _hits, _failures, _retries;

        public int Total => _judgments.Length;
        public int Completed => Volatile.Read(ref _completed);

        public async Task ExecuteAsync(int item, CancellationToken cancellationToken)
        {
            if (cancellationToken.IsCancellationRequested) return; // stop scheduling; calls in flight still finish
            var sample = item % options.Samples;
            var judge = judges[item / options.Samples % judges.Count];
            var dilemma = dilemmas[item / options.Samples / judges.Count];
            var messages = _prompts.GetOrAdd(item / options.Samples / judges.Count, i => options.MessagesFor(dilemmas[i]));
            var chatOptions = options.ChatOptionsFor(sample);
            var key = CacheKey.For(judge.ProviderId, judge.Model, messages, chatOptions, sample);
            var caller = _callers[item / options.Samples % judges.Count];
            var clock = Stopwatch.StartNew();

            if (_fatal.TryGetValue(judge.Model, out var fatal))
            {
                Record(item, dilemma, judge, sample, null, new CallOutcome(dilemma.Id, judge.Model, sample, OutcomeKind.HttpError, false, 0,
                    null, "not called: " + fatal, null, null, TimeSpan.Zero));
                return;
            }

            var attempts = 0;
            try
            {
                var answer = await caller.GetAsync(key, messages as IList<ChatMessage> ?? messages.ToList(), chatOptions, () =>
                {
                    Interlocked.Increment(ref attempts);
                    Interlocked.Increment(ref _calls);
                }, cancellationToken).ConfigureAwait(false);
                if (answer.FromCache) Interlocked.Increment(ref _hits);
                Interlocked.Add(ref _retries, Math.Max(0, answer.Attempts - 1));
                Finish(item, dilemma, judge, sample, answer.Response, answer.FromCache, answer.Attempts, clock.Elapsed);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Interlocked.Add(ref _retries, Math.Max(0, attempts - 1));
                // Cancelled while waiting to retry: the item stays undone (nothing was paid for and kept).
            }
            catch (Exception e)
            {
                Interlocked.Add(ref _retries, Math.Max(0, attempts - 1));
                var status = LlmRetry.StatusOf(e);
                var kind = e switch
                {
                    LlmAttemptTimeoutException or OperationCanceledException { InnerException: TimeoutException } => OutcomeKind.Timeout,
                    _ when status is not null => OutcomeKind.HttpError,
                    JsonException or FormatException => OutcomeKind.BadResponse,
                    { InnerException: JsonException or FormatException } => OutcomeKind.BadResponse,
                    _ => OutcomeKind.Error,
                };
                var detail = Redact(judge, $"{e.GetType().Name}: {e.Message}");
                if (detail.Length > 400) detail = detail[..400] + "…";
                if (status is 401 or 403 or 404)
                    _fatal.TryAdd(judge.Model, $"an earlier call for model {judge.Model} failed with HTTP {status} ({detail})");
                Record(item, dilemma, judge, sample, null, new CallOutcome(dilemma.Id, judge.Model, sample, kind, false, attempts, status, detail,
                    null, null, clock.Elapsed));
            }
        }

        private static string Redact(JudgeModel judge, string text) => judge.Redact is null ? text : judge.Redact(text);

        private void Finish(int item, Dilemma dilemma, JudgeModel judge, int sample, CachedResponse answer, bool fromCache, int attempts, TimeSpan elapsed)
        {
            var parsed = AnswerParser.Parse(answer.Text, answer.FinishReason);
            var judgment = new Judgment(dilemma.Id, judge.Model, parsed.RawLabel, parsed.Verdict, parsed.Rationale, sample);
            Record(item, dilemma, judge, sample, judgment, new CallOutcome(dilemma.Id, judge.Model, sample, parsed.Kind, fromCache, attempts, null,
                parsed.Kind == OutcomeKind.Ok ? null : "answer: " + Shorten(answer.Text), answer.InputTokens, answer.OutputTokens, elapsed));
        }

        private void Record(int item, Dilemma dilemma, JudgeModel judge, int sample, Judgment? judgment, CallOutcome outcome)
        {
            judgment ??= new Judgment(dilemma.Id, judge.Model, JudgmentCollection.KindName(outcome.Kind).ToUpperInvariant(), null, "", sample);
            _judgments[item] = judgment;
            _outcomes[item] = outcome;
            if (judgment.Verdict is null) Interlocked.Increment(ref _failures);
            var done = Interlocked.Increment(ref _completed);
            progress?.Report(new JudgingProgress(done, Total, Volatile.Read(ref _calls), Volatile.Read(ref _hits), Volatile.Read(ref _failures), Volatile.Read(ref _retries)));
        }

        private static string Shorten(string text)
        {
            var flat = text.Replace('\n', ' ').Trim();
            return flat.Length <= 160 ? flat : flat[..160] + "…";
        }

        public JudgmentCollection Result(TimeSpan elapsed)
        {
            var judgments = _judgments.Select(j => j!).ToArray();
            var outcomes = _outcomes.Select(o => o!).ToArray();
            var usage = judges.Select(judge =>
            {
                var mine = outcomes.Where(o => o.Model == judge.Model).ToList();
                var price = options.Prices is not null && options.Prices.TryGetValue(judge.Model, out var p) ? p : null;
                double Cost(IEnumerable<CallOutcome> os) => price is null ? 0 : os.Sum(o => price.Cost(o.InputTokens ?? 0, o.OutputTokens ?? 0));
                return new ModelUsage(judge.Model,
                    mine.Sum(o => o.Attempts), mine.Count(o => o.FromCache),
                    mine.Sum(o => o.InputTokens ?? 0), mine.Sum(o => o.OutputTokens ?? 0),
                    Cost(mine.Where(o => !o.FromCache)), Cost(mine),
                    mine.GroupBy(o => o.Kind).OrderBy(g => g.Key).ToDictionary(g => g.Key, g => g.Count()));
            }).ToArray();
            return new JudgmentCollection(judgments, outcomes, usage, elapsed, judges.Any(j => j.IsSimulated));
        }
    }
}
