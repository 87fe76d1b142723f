using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Notebooks;

/// <summary>The sampling settings of chapters 02–03 (and what later chapters reuse).</summary>
/// <param name="Samples">Samples per dilemma and model (paper: as many as human judgments, 32).</param>
/// <param name="Temperature">Sampling temperature (the paper does not say; 1.0 keeps the model's own spread).</param>
/// <param name="Concurrency">Calls in flight at once.</param>
/// <param name="Seed">Seed of the simulated judge and of the per-sample request seeds.</param>
/// <param name="MaxDilemmas">Cap on the dilemmas judged (0: all). The one cap rule of every judging chapter
/// (<see cref="JudgingChapters.CapDilemmas"/>): a seeded pick (<paramref name="Seed"/>) stratified by human consensus bin,
/// so a small cap still spans the bins. Chapters 02–03 default to 0, chapters 08–09 to 40 (seven conditions cost seven
/// times as much).</param>
/// <param name="CacheFolder">Response cache folder, relative to the repository root.</param>
public sealed record JudgingSettings(
    int Samples = 32,
    double Temperature = 1.0,
    int Concurrency = 4,
    int Seed = 1,
    int MaxDilemmas = 0,
    string CacheFolder = "artifacts/llm-cache")
{
    /// <summary>
    /// The request options every judging chapter sends: <see cref="Temperature"/> and the collector's output-token limit
    /// (<see cref="JudgmentCollectionOptions.MaxOutputTokens"/>), so chapter 08's and 09's plain prompt is the same cache
    /// entry as chapter 02's judgment (the request seed, the sample index, is set per call).
    /// </summary>
    public Microsoft.Extensions.AI.ChatOptions ToChatOptions() =>
        new() { Temperature = (float)Temperature, MaxOutputTokens = new JudgmentCollectionOptions().MaxOutputTokens };

    /// <summary>The dilemmas these settings use (<see cref="JudgingChapters.CapDilemmas"/> with <see cref="MaxDilemmas"/> and <see cref="Seed"/>).</summary>
    public IReadOnlyList<Dilemma> Pick(DilemmaDataset dataset) => JudgingChapters.CapDilemmas(dataset.Dilemmas, ProfileChapters.HumanP(dataset), MaxDilemmas, Seed);
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
    /// <summary>
    /// The one cap rule of the judging chapters (02, 03, 08, 09): with <paramref name="cap"/> ≤ 0 or at least as many
    /// dilemmas as <paramref name="pool"/> holds, the whole pool; else the dilemmas are grouped by human consensus bin
    /// (<see cref="ConsensusBins"/>; dilemmas without human votes form one more group, last), each group shuffled with
    /// <see cref="Random"/>(<paramref name="seed"/>), and dilemmas are taken round-robin over the groups until
    /// <paramref name="cap"/> are picked, so a small cap still spans the bins. Returned in id order.
    /// </summary>
    public static IReadOnlyList<Dilemma> CapDilemmas(IReadOnlyList<Dilemma> pool, IReadOnlyDictionary<string, double> humanP, int cap, int seed)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(humanP);
        if (cap <= 0 || cap >= pool.Count) return pool;
        var random = new Random(seed);
        var bins = pool.GroupBy(d => humanP.TryGetValue(d.Id, out var p) ? ConsensusBins.IndexOf(Alignment.Consensus(p)) : int.MaxValue)
            .OrderBy(g => g.Key).Select(g => g.OrderBy(_ => random.Next()).ToList()).ToList();
        var picked = new List<Dilemma>();
        for (var i = 0; picked.Count < cap; i++)
            foreach (var b in bins)
                if (i < b.Count && picked.Count < cap) picked.Add(b[i]);
        return picked.OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

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
        Func<Dilemma, IReadOnlyList<ValueWeight>?>? profile = null, string label = "Collecting judgments", bool nullSimulator = false)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        configuration ??= LlmConfiguration.FromEnvironment();
        configuration.EnsureComplete();
        var dilemmas = settings.Pick(dataset);
        if (nullSimulator && !configuration.IsSimulated) throw new InvalidOperationException("The null simulator is a reference row of the simulated judge; an LLM is configured.");
        var judge = configuration.IsSimulated ? FitSimulator(dataset, simulator ?? new SimulatedJudgeOptions(Seed: settings.Seed)) : null;
        if (nullSimulator) judge = judge!.Null();
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
