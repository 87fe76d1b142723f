using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Notebooks;

/// <summary>The sampling settings of chapters 02–03 (and what later chapters reuse).</summary>
/// <param name="Samples">Samples per dilemma and model (paper: as many as human judgments, 32).</param>
/// <param name="Temperature">Sampling temperature (the paper does not say; 1.0 keeps the model's own spread).</param>
/// <param name="Concurrency">Calls in flight at once.</param>
/// <param name="Seed">Seed of the simulated judge and of the per-sample request seeds.</param>
/// <param name="MaxDilemmas">Use only the first this-many dilemmas (0: all).</param>
/// <param name="CacheFolder">Response cache folder, relative to the repository root.</param>
public sealed record JudgingSettings(
    int Samples = 32,
    double Temperature = 1.0,
    int Concurrency = 4,
    int Seed = 1,
    int MaxDilemmas = 0,
    string CacheFolder = "artifacts/llm-cache")
{
    /// <summary>The dilemmas these settings use.</summary>
    public IReadOnlyList<Dilemma> Pick(DilemmaDataset dataset) =>
        MaxDilemmas > 0 ? dataset.Dilemmas.Take(MaxDilemmas).ToArray() : dataset.Dilemmas;
}

/// <summary>A rough cost estimate shown before a real run starts.</summary>
/// <param name="Calls">Calls to make (dilemmas × samples × models).</param>
/// <param name="InputTokens">Estimated input tokens (≈ characters / 4, the usual rule of thumb for English).</param>
/// <param name="OutputTokens">Estimated output tokens (≈ 80 per two-line answer).</param>
/// <param name="Cost">Estimated cost with the given prices (per million tokens).</param>
public sealed record CostEstimate(long Calls, long InputTokens, long OutputTokens, double Cost)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Calls:N0} calls, ≈ {InputTokens:N0} input + {OutputTokens:N0} output tokens, ≈ {Cost:0.00} at the given prices " +
        "(an estimate: ~4 characters per token; cached answers cost nothing)";
}

/// <summary>Notebook glue for collecting judgments: one call that fits the simulator when needed and uses the cache.</summary>
public static class JudgingChapters
{
    /// <summary>Estimated output tokens of one two-line answer.</summary>
    public const int OutputTokensPerAnswer = 80;

    /// <summary>Estimates calls, tokens and cost of collecting judgments for <paramref name="models"/>.</summary>
    public static CostEstimate Estimate(DilemmaDataset dataset, JudgingSettings settings, int models, double inputPricePerMillion, double outputPricePerMillion)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        var dilemmas = settings.Pick(dataset);
        long perSampleInput = dilemmas.Sum(d => (long)Math.Ceiling(JudgePrompt.Messages(d).Sum(m => m.Text.Length) / 4.0));
        long calls = (long)dilemmas.Count * settings.Samples * models;
        long input = perSampleInput * settings.Samples * models;
        long output = calls * OutputTokensPerAnswer;
        return new CostEstimate(calls, input, output, input * inputPricePerMillion / 1e6 + output * outputPricePerMillion / 1e6);
    }

    /// <summary>
    /// Collects LLM judgments of the dataset's dilemmas from the configured models, or from a simulated judge fitted
    /// on the dataset's human judgments when nothing is configured. Every real answer goes through the response cache
    /// (simulated ones are recomputed: they are seeded and cheap), with progress shown in place.
    /// </summary>
    public static async Task<JudgmentCollection> CollectAsync(DilemmaDataset dataset, JudgingSettings settings,
        LlmConfiguration? configuration = null, SimulatedJudgeOptions? simulator = null,
        Func<Dilemma, IReadOnlyList<ValueWeight>?>? profile = null, string label = "Collecting judgments")
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        configuration ??= LlmConfiguration.FromEnvironment();
        configuration.EnsureComplete();
        var dilemmas = settings.Pick(dataset);
        var judge = configuration.IsSimulated ? FitSimulator(dataset, simulator ?? new SimulatedJudgeOptions(Seed: settings.Seed)) : null;
        var options = new JudgmentCollectionOptions
        {
            Samples = settings.Samples,
            Temperature = settings.Temperature,
            Concurrency = settings.Concurrency,
            Cache = new ResponseCache(Repo.Path(settings.CacheFolder)),
            // Simulated answers are deterministic and cheap: not caching them keeps reruns' summaries identical.
            CacheSimulated = false,
            Profile = profile,
        };
        var total = dilemmas.Count * settings.Samples * configuration.Models.Count;
        using var bar = ProgressDisplay.Start(label, total);
        var progress = new InlineProgress<JudgingProgress>(p => bar.Report(p.Completed));
        return await JudgmentCollector.CollectAsync(dilemmas, configuration, judge, options, progress).ConfigureAwait(false);
    }

    /// <summary>The simulated judge fitted on the dataset's human judgments (fits are cached per dataset and options).</summary>
    public static SimulatedJudge FitSimulator(DilemmaDataset dataset, SimulatedJudgeOptions options)
    {
        lock (Fitted)
        {
            var key = (dataset, options);
            if (!Fitted.TryGetValue(key, out var judge))
            {
                var humans = dataset.Judgments.Where(j => j.Author == DilemmaDataset.Human).ToList();
                judge = SimulatedJudge.FitFromHumans(dataset.Dilemmas, humans, options);
                Fitted[key] = judge;
            }
            return judge;
        }
    }

    private static readonly Dictionary<(DilemmaDataset, SimulatedJudgeOptions), SimulatedJudge> Fitted = new();
}
