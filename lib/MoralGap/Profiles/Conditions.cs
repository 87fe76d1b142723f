using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Profiles;

/// <summary>How a condition's answers turn into p (the share of UNACCEPTABLE).</summary>
public enum ConditionKind
{
    /// <summary>Each answer is a verdict; p = share of UNACCEPTABLE among the parseable answers.</summary>
    Verdict,
    /// <summary>Each answer states a share directly; p = mean of the parseable shares.</summary>
    Elicitation,
}

/// <summary>The prompt of one sample of one dilemma under a condition, with the profile it shows (if any).</summary>
/// <param name="Prompt">The full user prompt.</param>
/// <param name="Profile">The value profile shown in the prompt, or null.</param>
public sealed record ConditionPrompt(string Prompt, IReadOnlyList<ValueWeight>? Profile = null);

/// <summary>
/// An experimental condition of the DMP evaluation: a name and a prompt builder per (dilemma, sample index).
/// </summary>
/// <param name="Name">Short name, e.g. <c>vanilla</c>, <c>dmp</c>, <c>random-profile</c>.</param>
/// <param name="Build">Builds the prompt of sample i of a dilemma (deterministic: same inputs → same prompt).</param>
/// <param name="Kind">Whether answers are verdicts or elicited shares.</param>
public sealed record Condition(string Name, Func<Dilemma, int, ConditionPrompt> Build, ConditionKind Kind = ConditionKind.Verdict)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Kind})";
}

/// <summary>
/// The conditions compared in the DMP evaluation: DMP itself (Russo et al. 2025, §5) and baselines — the plain prompt,
/// a random profile, a scrambled prior, a Moral Foundations profile and direct elicitation of the share. The council of
/// models is not a prompt: it pools the plain-prompt answers of all models (<see cref="DmpRunResult.WithCouncil"/>).
/// </summary>
public static class Conditions
{
    /// <summary>
    /// Moral Foundations (Graham, Haidt et al. 2013) mapped to the closest names in <see cref="PaperValues.Names"/>
    /// (our mapping; the taxonomy has no foundation names for authority or sanctity):
    /// care → Care, fairness → Justice, loyalty → Loyalty, authority → Respect (alternatives: Conformity, Tradition),
    /// sanctity → Tradition (alternative: Integrity).
    /// </summary>
    public static IReadOnlyDictionary<string, string> MoralFoundationsMapping { get; } = new Dictionary<string, string>
    {
        ["care"] = "Care",
        ["fairness"] = "Justice",
        ["loyalty"] = "Loyalty",
        ["authority"] = "Respect",
        ["sanctity"] = "Tradition",
    };

    /// <summary>The plain prompt, no profile (<see cref="DmpPrompt.Vanilla"/>). Name <c>vanilla</c>.</summary>
    public static Condition Vanilla(string name = "vanilla") =>
        new(name, (d, _) => new ConditionPrompt(DmpPrompt.Vanilla(d)));

    /// <summary>
    /// Dynamic Moral Profiling: for sample i of dilemma d, θ ~ Dirichlet(α·G), G = <paramref name="priorFor"/>(d)
    /// (G_topic of the dilemma's topic, or G0), and the top-k values of θ go into the prompt (<see cref="DmpPrompt.WithProfile"/>).
    /// </summary>
    /// <param name="priorFor">The prior mean over <see cref="PaperValues.Names"/> for a dilemma (e.g. by its topic).</param>
    /// <param name="alpha">Total concentration α.</param>
    /// <param name="k">Values shown.</param>
    /// <param name="seed">Base seed; the draw of (d, i) uses <see cref="MoralProfiles.SampleSeed"/>(seed, d.Id, i, name).</param>
    /// <param name="name">Condition name (also the seed stream).</param>
    /// <param name="sampler">Optional Dirichlet sampler.</param>
    public static Condition Dmp(Func<Dilemma, double[]> priorFor, double alpha = MoralProfiles.DefaultAlpha,
        int k = MoralProfiles.DefaultTopK, int seed = 0, string name = "dmp", MoralProfiles.LogDirichletSampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(priorFor);
        return Profiled(name, priorFor, alpha, k, seed, PaperValues.Names, sampler);
    }

    /// <summary>
    /// Random profile baseline: θ ~ Dirichlet(1, …, 1) over all 59 values (uniform on the simplex), top-k shown.
    /// Same prompt as DMP; only the prior differs.
    /// </summary>
    public static Condition RandomProfile(int k = MoralProfiles.DefaultTopK, int seed = 0, string name = "random-profile")
    {
        var uniform = Enumerable.Repeat(1.0 / PaperValues.Count, PaperValues.Count).ToArray();
        return Profiled(name, _ => uniform, PaperValues.Count, k, seed, PaperValues.Names, null);
    }

    /// <summary>
    /// Scrambled-prior baseline: DMP with the value names permuted (<see cref="Priors.Scramble"/> with
    /// <paramref name="scrambleSeed"/>; one permutation for all topics), so the profile has the prior's shape but not
    /// its content.
    /// </summary>
    public static Condition ScrambledPrior(Func<Dilemma, double[]> priorFor, double alpha = MoralProfiles.DefaultAlpha,
        int k = MoralProfiles.DefaultTopK, int seed = 0, int scrambleSeed = 1, string name = "scrambled-prior")
    {
        ArgumentNullException.ThrowIfNull(priorFor);
        return Profiled(name, d => Priors.Scramble(priorFor(d), scrambleSeed), alpha, k, seed, PaperValues.Names, null);
    }

    /// <summary>
    /// Moral Foundations baseline: θ ~ Dirichlet(α/5, …, α/5) over the five foundations mapped by
    /// <see cref="MoralFoundationsMapping"/>; the top min(k, 5) shown with the mapped value names. Same α and k as DMP,
    /// so it differs from DMP only in a theory-driven, topic-blind support.
    /// </summary>
    public static Condition MoralFoundations(double alpha = MoralProfiles.DefaultAlpha, int k = MoralProfiles.DefaultTopK,
        int seed = 0, string name = "moral-foundations")
    {
        var names = MoralFoundationsMapping.Values.ToArray();
        var uniform = Enumerable.Repeat(1.0 / names.Length, names.Length).ToArray();
        return Profiled(name, _ => uniform, alpha, Math.Min(k, names.Length), seed, names, null);
    }

    /// <summary>
    /// Direct elicitation baseline: ask for the share of people who would find the behaviour unacceptable
    /// (<see cref="DmpPrompt.DirectElicitation"/>); p = mean of the parsed shares (<see cref="ResponseParsing.ParseShare"/>).
    /// </summary>
    public static Condition DirectElicitation(string name = "direct-elicitation") =>
        new(name, (d, _) => new ConditionPrompt(DmpPrompt.DirectElicitation(d)), ConditionKind.Elicitation);

    /// <summary>
    /// The standard set: vanilla, DMP, random profile, scrambled prior, Moral Foundations, direct elicitation
    /// (the council is added afterwards from the vanilla answers).
    /// </summary>
    public static IReadOnlyList<Condition> Standard(Func<Dilemma, double[]> priorFor, double alpha = MoralProfiles.DefaultAlpha,
        int k = MoralProfiles.DefaultTopK, int seed = 0) =>
    [
        Vanilla(),
        Dmp(priorFor, alpha, k, seed),
        RandomProfile(k, seed),
        ScrambledPrior(priorFor, alpha, k, seed),
        MoralFoundations(alpha, k, seed),
        DirectElicitation(),
    ];

    /// <summary>A prior function from a topic → prior table, with G0 for dilemmas whose topic is missing or unknown.</summary>
    public static Func<Dilemma, double[]> PriorByTopic(IReadOnlyDictionary<string, TopicPrior> topicPriors, TopicPrior global)
    {
        ArgumentNullException.ThrowIfNull(topicPriors);
        ArgumentNullException.ThrowIfNull(global);
        return d => d.Topic is not null && topicPriors.TryGetValue(d.Topic, out var p) ? p.Mean : global.Mean;
    }

    private static Condition Profiled(string name, Func<Dilemma, double[]> priorFor, double alpha, int k, int seed,
        IReadOnlyList<string> valueNames, MoralProfiles.LogDirichletSampler? sampler)
    {
        if (!(alpha > 0)) throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha = {alpha} must be > 0.");
        if (k < 1 || k > valueNames.Count) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {valueNames.Count}].");
        return new Condition(name, (d, i) =>
        {
            var profile = MoralProfiles.Sample(d.Id, i, priorFor(d), alpha, k, seed, valueNames, name, sampler);
            return new ConditionPrompt(DmpPrompt.WithProfile(d, profile.Top), profile.Top);
        });
    }
}
