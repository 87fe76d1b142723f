using System.Text;
using MathNet.Numerics.Distributions;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Profiles;

/// <summary>
/// One sampled value profile for one dilemma and sample: θ ~ Dirichlet(α·G_topic) and its top-k values.
/// </summary>
/// <param name="DilemmaId">The dilemma the profile was drawn for.</param>
/// <param name="SampleIndex">The sample (0-based) among the dilemma's N profiled samples.</param>
/// <param name="Seed">The derived seed the draw used (<see cref="MoralProfiles.SampleSeed"/>).</param>
/// <param name="Theta">The full sampled θ over the values (sums to 1; entries may underflow to 0 for tiny α).</param>
/// <param name="Top">The k largest values of θ, largest first, weights renormalised to sum to 1.</param>
public sealed record MoralProfile(string DilemmaId, int SampleIndex, int Seed, double[] Theta, IReadOnlyList<ValueWeight> Top)
{
    /// <summary>The top values with weights rounded to 2 decimals so that the shown weights still sum to 1.00.</summary>
    public IReadOnlyList<ValueWeight> Shown => MoralProfiles.RoundForDisplay(Top);

    /// <summary>Profile lines as they appear in the DMP prompt: <c>- Loyalty: 0.40</c>.</summary>
    public override string ToString() => DmpPrompt.FormatProfile(Top);
}

/// <summary>
/// Sampling of moral profiles for Dynamic Moral Profiling (Russo et al. 2025, §5): for each dilemma and sample,
/// θ ~ Dirichlet(α·G_topic) and the top-k values of θ, with weights renormalised to sum to 1, go into the prompt.
/// The paper shows profiles of three values with weights in [0, 1] (e.g. Loyalty 0.40, Tradition 0.30, Convenience 0.30)
/// and gives neither α nor k; both are parameters (defaults α = 10, k = 3 are our choice).
/// Every draw is deterministic: the seed of sample i of dilemma d is a stable hash of (seed, stream, d, i).
/// </summary>
public static class MoralProfiles
{
    /// <summary>Default total concentration α (our choice; the paper does not give it).</summary>
    public const double DefaultAlpha = 10.0;

    /// <summary>Default number of values shown (the paper's examples show three).</summary>
    public const int DefaultTopK = 3;

    /// <summary>
    /// A Dirichlet sampler: given the concentration vector and a seeded <see cref="Random"/>, returns log θ
    /// (log-space, so that rankings stay defined when θ entries underflow). Plug in another implementation
    /// (e.g. the project's own Dirichlet sampling) through the <c>sampler</c> parameters.
    /// </summary>
    public delegate double[] LogDirichletSampler(double[] concentration, Random random);

    /// <summary>
    /// Default sampler. θ_i = γ_i / Σγ with γ_i ~ Gamma(a_i, 1), drawn with MathNet's Gamma sampler as
    /// γ_i = Gamma(a_i + 1) · U^(1/a_i) and kept in logs: log γ_i = log Gamma(a_i + 1) + log(U)/a_i
    /// (Marsaglia &amp; Tsang 2000, §6). Written here because MathNet's <c>Dirichlet.Sample</c> works in linear space
    /// and, for α·G with α = 0.1 over 59 values (a_i ≈ 0.002), all γ_i underflow to 0 and θ becomes 0/0.
    /// </summary>
    public static double[] SampleLogDirichlet(double[] concentration, Random random)
    {
        CheckConcentration(concentration);
        ArgumentNullException.ThrowIfNull(random);
        var log = new double[concentration.Length];
        for (var i = 0; i < log.Length; i++)
        {
            var a = concentration[i];
            var g = Gamma.Sample(random, a + 1.0, 1.0);
            var u = random.NextDouble();
            while (u <= 0) u = random.NextDouble();
            log[i] = Math.Log(g) + Math.Log(u) / a;
        }
        var max = log.Max();
        var lse = max + Math.Log(log.Sum(l => Math.Exp(l - max)));
        for (var i = 0; i < log.Length; i++) log[i] -= lse;
        return log;
    }

    /// <summary>
    /// Stable seed of one draw: FNV-1a (32-bit) over the UTF-8 text "seed|stream|dilemmaId|sampleIndex".
    /// Stable across processes and machines (unlike <see cref="string.GetHashCode()"/>).
    /// </summary>
    public static int SampleSeed(int seed, string dilemmaId, int sampleIndex, string stream = "")
    {
        ArgumentNullException.ThrowIfNull(dilemmaId);
        var bytes = Encoding.UTF8.GetBytes($"{seed}|{stream}|{dilemmaId}|{sampleIndex}");
        var h = 2166136261u;
        foreach (var b in bytes) { h ^= b; h *= 16777619u; }
        return (int)(h & 0x7FFFFFFF);
    }

    /// <summary>
    /// Samples the profile of sample <paramref name="sampleIndex"/> of a dilemma: θ ~ Dirichlet(α·prior), then the
    /// top-k values of θ (ranked in log space, ties by value index), weights renormalised to sum to 1.
    /// </summary>
    /// <param name="dilemmaId">Dilemma id (enters the seed).</param>
    /// <param name="sampleIndex">Sample index (enters the seed).</param>
    /// <param name="prior">Prior mean G over the values (G_topic or G0): non-negative, sums to 1 (renormalised if not).</param>
    /// <param name="alpha">Total concentration α &gt; 0: small α → sparse, varied profiles; large α → profiles near G.</param>
    /// <param name="k">Number of values shown (1 ≤ k ≤ number of values).</param>
    /// <param name="seed">Base seed.</param>
    /// <param name="valueNames">Names of the prior's entries; defaults to <see cref="PaperValues.Names"/>.</param>
    /// <param name="stream">Optional label separating draws of different conditions with the same seed.</param>
    /// <param name="sampler">Optional Dirichlet sampler (default <see cref="SampleLogDirichlet"/>).</param>
    public static MoralProfile Sample(
        string dilemmaId, int sampleIndex, double[] prior, double alpha = DefaultAlpha, int k = DefaultTopK, int seed = 0,
        IReadOnlyList<string>? valueNames = null, string stream = "", LogDirichletSampler? sampler = null)
    {
        ArgumentNullException.ThrowIfNull(prior);
        valueNames ??= PaperValues.Names;
        if (valueNames.Count != prior.Length)
            throw new ArgumentException($"prior has {prior.Length} entries but there are {valueNames.Count} value names.", nameof(prior));
        if (!(alpha > 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), $"alpha = {alpha} must be a finite number > 0.");
        if (k < 1 || k > prior.Length)
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {prior.Length}].");
        var sum = prior.Sum();
        if (prior.Any(p => !(p >= 0) || double.IsInfinity(p)) || !(sum > 0))
            throw new ArgumentException("prior must be finite, non-negative and not all zero.", nameof(prior));

        // Values with prior 0 cannot be drawn (Dirichlet needs a_i > 0); they keep θ = 0.
        var support = Enumerable.Range(0, prior.Length).Where(i => prior[i] > 0).ToArray();
        var conc = support.Select(i => alpha * prior[i] / sum).ToArray();
        var s = SampleSeed(seed, dilemmaId, sampleIndex, stream);
        var logSub = (sampler ?? SampleLogDirichlet)(conc, new Random(s));
        var logTheta = Enumerable.Repeat(double.NegativeInfinity, prior.Length).ToArray();
        for (var j = 0; j < support.Length; j++) logTheta[support[j]] = logSub[j];
        var theta = logTheta.Select(Math.Exp).ToArray();
        return new MoralProfile(dilemmaId, sampleIndex, s, theta, TopK(logTheta, k, valueNames, isLog: true));
    }

    /// <summary>
    /// The k largest entries of θ as (name, weight), largest first (ties by index), weights renormalised:
    /// w_j = θ_(j) / Σ_{i ≤ k} θ_(i). With <paramref name="isLog"/>, θ is given as log θ (softmax over the top k).
    /// </summary>
    public static IReadOnlyList<ValueWeight> TopK(double[] theta, int k, IReadOnlyList<string>? valueNames = null, bool isLog = false)
    {
        ArgumentNullException.ThrowIfNull(theta);
        valueNames ??= PaperValues.Names;
        if (valueNames.Count != theta.Length)
            throw new ArgumentException($"theta has {theta.Length} entries but there are {valueNames.Count} value names.", nameof(theta));
        if (k < 1 || k > theta.Length) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {theta.Length}].");
        var top = Enumerable.Range(0, theta.Length).OrderByDescending(i => theta[i]).ThenBy(i => i).Take(k).ToArray();
        double[] w;
        if (isLog)
        {
            var max = theta[top[0]];
            w = top.Select(i => Math.Exp(theta[i] - max)).ToArray();
        }
        else w = top.Select(i => theta[i]).ToArray();
        var total = w.Sum();
        if (!(total > 0)) throw new ArgumentException("The top-k entries of theta are all zero.", nameof(theta));
        return top.Select((i, j) => new ValueWeight(valueNames[i], w[j] / total)).ToList();
    }

    /// <summary>
    /// Rounds weights to 2 decimals so that they still sum to exactly 1.00 (largest-remainder method):
    /// floor every weight to hundredths, then give the missing hundredths to the largest remainders.
    /// </summary>
    public static IReadOnlyList<ValueWeight> RoundForDisplay(IReadOnlyList<ValueWeight> weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) return weights;
        var total = weights.Sum(w => w.Weight);
        if (!(total > 0)) throw new ArgumentException("Weights sum to zero.", nameof(weights));
        var scaled = weights.Select(w => w.Weight / total * 100).ToArray();
        var floors = scaled.Select(x => (int)Math.Floor(x + 1e-9)).ToArray();
        var missing = 100 - floors.Sum();
        foreach (var i in Enumerable.Range(0, scaled.Length).OrderByDescending(i => scaled[i] - floors[i]).ThenBy(i => i).Take(Math.Max(0, missing)))
            floors[i]++;
        return weights.Select((w, i) => new ValueWeight(w.Value, floors[i] / 100.0)).ToList();
    }

    private static void CheckConcentration(double[] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Length < 1) throw new ArgumentException("The concentration vector is empty.", nameof(a));
        for (var i = 0; i < a.Length; i++)
            if (!(a[i] > 0) || double.IsInfinity(a[i]))
                throw new ArgumentOutOfRangeException(nameof(a), $"concentration[{i}] = {a[i]} must be a finite number > 0.");
    }
}
