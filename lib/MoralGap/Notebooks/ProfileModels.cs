using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Profiles;

namespace MoralGap.Notebooks;

/// <summary>The models chapters 08–09 ask: the configured endpoint's models (cached), or the simulated judge.</summary>
public static class ProfileModels
{
    /// <summary>
    /// Adds the null simulator's row to a simulated run (<see cref="SimulatedJudge.Null"/> of the run's judge: the same p̂,
    /// γ = 1, no profile effect), as condition <see cref="NullCondition"/> of model <paramref name="model"/>: the vanilla
    /// prompt on the same dilemmas and samples (the same request seeds, so it differs from the vanilla answers by γ alone). Whatever separates the simulated conditions from this row is what the
    /// simulator's γ and profile shifts build in. Returns <paramref name="run"/> unchanged when the judge is not simulated.
    /// </summary>
    public static async Task<DmpRunResult> WithNullSimulatorAsync(DmpRunResult run, IReadOnlyList<Dilemma> dilemmas,
        IReadOnlyDictionary<string, IChatClient> models, string model, int samples, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(models);
        if (models[model] is not SimulatedJudge judge) return run;
        var nullModels = new Dictionary<string, IChatClient> { [model] = judge.Null() };
        var extra = await DmpEvaluation.RunAsync(dilemmas, [Conditions.Vanilla(NullCondition)], nullModels, samples, options: options).ConfigureAwait(false);
        var kinds = new Dictionary<string, ConditionKind>(run.Kinds) { [NullCondition] = ConditionKind.Verdict };
        return new DmpRunResult(run.Responses.Concat(extra.Responses).ToList(), kinds);
    }

    /// <summary>The condition name of the null simulator's row (<see cref="WithNullSimulatorAsync"/>).</summary>
    public const string NullCondition = "null-simulator";

    /// <summary>
    /// One client per configured model, each a <see cref="CachedChatClient"/> over <paramref name="cacheFolder"/>
    /// (<see cref="LlmConfiguration.CreateCachedClient(string, ResponseCache, LlmRetryOptions?, TimeSpan?)"/>:
    /// answers stored before use, transient failures retried, errors redacted);
    /// with no LLM configured, one <see cref="SimulatedJudge"/> fitted on the human judgments (not cached: it answers instantly
    /// and deterministically from the seed).
    /// </summary>
    public static IReadOnlyDictionary<string, IChatClient> Create(LlmConfiguration config, DilemmaDataset dataset, string cacheFolder)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(dataset);
        config.EnsureComplete();
        if (config.IsSimulated)
            return new Dictionary<string, IChatClient>
            {
                [SimulatedJudge.ModelIdValue] = SimulatedJudge.FitFromHumans(dataset.Dilemmas, dataset.Judgments) /* answers direct elicitation with its fitted share p̂ (+ seeded noise) */,
            };
        var cache = new ResponseCache(cacheFolder);
        return config.Models.ToDictionary(m => m, m => (IChatClient)config.CreateCachedClient(m, cache));
    }
}
