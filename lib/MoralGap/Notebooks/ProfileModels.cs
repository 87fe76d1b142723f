using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;

namespace MoralGap.Notebooks;

/// <summary>The models chapters 08–09 ask: the configured endpoint's models (cached), or the simulated judge.</summary>
public static class ProfileModels
{
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
