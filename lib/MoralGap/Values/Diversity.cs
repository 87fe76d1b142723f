using System.Globalization;

namespace MoralGap.Values;

/// <summary>How a bootstrap interval turns replicates into an interval.</summary>
public enum BootstrapMethod
{
    /// <summary>Quantiles (1 ∓ level)/2 of the replicates (Efron &amp; Tibshirani 1993, §13.3).</summary>
    Percentile,
    /// <summary>
    /// Basic (reverse percentile; Davison &amp; Hinkley 1997, §5.2): [2θ̂ − q₁₋α/₂, 2θ̂ − q_α/₂]. Reflects the replicates'
    /// spread around the estimate, so it moves the interval against the estimator's bias instead of repeating it.
    /// Plug-in entropy and top-k share are biased on a few hundred mentions (entropy low, top-k share high) and their
    /// replicates are biased the same way again: on 100 rationales of a Zipf-like 59-value population the percentile
    /// interval of the normalised entropy covered the truth in 0 % of 200 trials, the basic one in 89 %
    /// (BCa, tried too, 7 %: every replicate lies below the estimate, so no quantile of them can reach the truth).
    /// </summary>
    Basic,
}

/// <summary>A point estimate with a bootstrap confidence interval.</summary>
/// <param name="Estimate">The statistic on the observed data.</param>
/// <param name="Lower">Lower end of the interval.</param>
/// <param name="Upper">Upper end of the interval.</param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
/// <param name="Replicates">Number of bootstrap replicates.</param>
/// <param name="Method">How the interval was formed from the replicates.</param>
public sealed record BootstrapInterval(double Estimate, double Lower, double Upper, double Level, int Replicates,
    BootstrapMethod Method = BootstrapMethod.Percentile)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Estimate:0.0000} [{Lower:0.0000}, {Upper:0.0000}] ({Level:P0} {(Method == BootstrapMethod.Basic ? "basic" : "percentile")} bootstrap, {Replicates} replicates)");
}

/// <summary>
/// A statistic rarefied to a common number of mentions (<see cref="Diversity.Rarefied"/>): its mean over seeded subsamples
/// without replacement, and the 2.5 % and 97.5 % quantiles of those subsamples.
/// </summary>
/// <param name="Mean">Mean of the statistic over the subsamples.</param>
/// <param name="Lower">2.5 % quantile (R type 7) of the subsamples' statistic.</param>
/// <param name="Upper">97.5 % quantile of the subsamples' statistic.</param>
/// <param name="Mentions">Mentions per subsample (n).</param>
/// <param name="Repeats">Subsamples drawn (1 when n is all the mentions: there is only one subsample).</param>
public sealed record RarefiedValue(double Mean, double Lower, double Upper, int Mentions, int Repeats)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Mean:0.0000} [{Lower:0.0000}, {Upper:0.0000}] (rarefied to {Mentions} mentions, {(Repeats == 1 ? "all of them: exact" : $"{Repeats} subsamples")})");
}

/// <summary>Value diversity of one group of rationales (e.g. humans, or one LLM).</summary>
/// <param name="Mentions">Total value mentions.</param>
/// <param name="ValuesUsed">Values mentioned at least once.</param>
/// <param name="TaxonomySize">K, the number of values in the taxonomy.</param>
/// <param name="K">k of the top-k share.</param>
/// <param name="TopKShare">Share of mentions covered by the k most frequent values.</param>
/// <param name="NormalizedEntropy">Miller–Madow-corrected H / ln K (<see cref="Diversity.CorrectedNormalizedEntropy"/>).</param>
public sealed record DiversitySummary(int Mentions, int ValuesUsed, int TaxonomySize, int K, double TopKShare, double NormalizedEntropy)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Mentions} mentions of {ValuesUsed}/{TaxonomySize} values: top-{K} share {TopKShare:P1}, normalised entropy {NormalizedEntropy:0.000}");
}

/// <summary>
/// Value-diversity metrics of the paper (§ "Finding 2": the top 10 values cover 81.6% of LLM mentions vs 35.2% of
/// human mentions; normalised entropy 0.46 vs 0.57), over mention counts per value.
/// </summary>
/// <remarks>
/// Counts are an <c>int[]</c> indexed by value (the taxonomy's order). The paper does not define the entropy's
/// normaliser; we use K = the number of values in the taxonomy (all values that could have been mentioned, e.g. 59
/// or 60), not the number actually used by the group, so groups are compared on the same scale. Pass
/// <c>taxonomySize</c> explicitly when the counts array is shorter than the taxonomy.
/// </remarks>
public static class Diversity
{
    /// <summary>Mention counts per value from a list of labels, in the order of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">A label is not one of <paramref name="values"/> (named, with its position).</exception>
    public static int[] Counts(IEnumerable<string> labels, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(values);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < values.Count; i++)
            if (!index.TryAdd(values[i], i)) throw new ArgumentException($"Value '{values[i]}' appears twice in the value list (positions {index[values[i]]} and {i}).", nameof(values));
        var counts = new int[values.Count];
        int pos = 0;
        foreach (var label in labels)
        {
            if (label is null || !index.TryGetValue(label, out var i))
                throw new ArgumentException($"Label #{pos} '{label}' is not in the value list of {values.Count} values.", nameof(labels));
            counts[i]++;
            pos++;
        }
        return counts;
    }

    /// <summary>Mention counts per value from value indices (each in [0, <paramref name="taxonomySize"/>)).</summary>
    public static int[] Counts(IEnumerable<int> valueIndices, int taxonomySize)
    {
        if (taxonomySize < 1) throw new ArgumentOutOfRangeException(nameof(taxonomySize), taxonomySize, "The taxonomy needs at least one value.");
        var counts = new int[taxonomySize];
        int pos = 0;
        foreach (var v in valueIndices)
        {
            if ((uint)v >= (uint)taxonomySize) throw new ArgumentException($"Mention #{pos} has value index {v}, outside [0, {taxonomySize}).", nameof(valueIndices));
            counts[v]++;
            pos++;
        }
        return counts;
    }

    /// <summary>The distribution over values: p_v = c_v / Σ c.</summary>
    public static double[] Distribution(int[] counts)
    {
        double total = Total(counts);
        return counts.Select(c => c / total).ToArray();
    }

    /// <summary>Top-k share: (sum of the k largest counts) / (sum of all counts); 1 when k ≥ the number of values.</summary>
    public static double TopKShare(int[] counts, int k = 10)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        double total = Total(counts);
        return counts.OrderDescending().Take(k).Sum(c => (double)c) / total;
    }

    /// <summary>Shannon entropy in nats, H = −Σ p_v ln p_v (0 ln 0 = 0).</summary>
    public static double Entropy(int[] counts)
    {
        double total = Total(counts), h = 0;
        foreach (var c in counts)
            if (c > 0) { double p = c / total; h -= p * Math.Log(p); }
        return h;
    }

    /// <summary>
    /// Normalised entropy H / ln K in [0, 1], with K = <paramref name="taxonomySize"/> = the number of values in the
    /// taxonomy (default: <c>counts.Length</c>). 1 means mentions spread evenly over every value in the taxonomy.
    /// </summary>
    public static double NormalizedEntropy(int[] counts, int? taxonomySize = null)
    {
        int k = TaxonomySize(counts, taxonomySize);
        return Entropy(counts) / Math.Log(k);
    }

    /// <summary>
    /// Miller–Madow bias-corrected Shannon entropy in nats: Ĥ_MM = Ĥ_plug-in + (K_obs − 1) / (2N), with K_obs the number of
    /// values observed at least once and N the number of mentions (Miller 1955, "Note on the bias of information
    /// estimates"). The plug-in estimate is biased low by about (K_obs − 1)/(2N) on small samples; this first-order
    /// term removes most of that bias.
    /// </summary>
    public static double MillerMadowEntropy(int[] counts)
    {
        double total = Total(counts);
        return Entropy(counts) + (counts.Count(c => c > 0) - 1) / (2 * total);
    }

    /// <summary>
    /// Bias-corrected normalised entropy: <see cref="MillerMadowEntropy"/> / ln K, clamped to [0, 1] (the correction can
    /// push a nearly even sample past ln K). K = <paramref name="taxonomySize"/> (default <c>counts.Length</c>).
    /// The estimate of <see cref="Summarize"/> and <see cref="NormalizedEntropyInterval"/>. (Chao–Shen's coverage-adjusted
    /// estimator, tried too, was less biased but its bootstrap replicates sat above it, so no interval agreed with it.)
    /// </summary>
    public static double CorrectedNormalizedEntropy(int[] counts, int? taxonomySize = null)
    {
        int k = TaxonomySize(counts, taxonomySize);
        return Math.Clamp(MillerMadowEntropy(counts) / Math.Log(k), 0, 1);
    }

    /// <summary>All metrics at once (the normalised entropy bias-corrected, <see cref="CorrectedNormalizedEntropy"/>).</summary>
    public static DiversitySummary Summarize(int[] counts, int k = 10, int? taxonomySize = null)
    {
        int size = TaxonomySize(counts, taxonomySize);
        return new DiversitySummary((int)Total(counts), counts.Count(c => c > 0), size, k, TopKShare(counts, k), CorrectedNormalizedEntropy(counts, size));
    }

    /// <summary>
    /// A statistic at equal sample size: draws <paramref name="repeats"/> subsamples of <paramref name="n"/> mentions
    /// without replacement (a partial Fisher–Yates shuffle with System.Random(<paramref name="seed"/>)), recounts, and
    /// returns the mean and the 2.5 %/97.5 % quantiles (R type 7) of the statistic. Sources with different numbers of
    /// mentions are compared by rarefying each to the smallest one's n (top-k share rises and entropy falls as mentions
    /// fall). When n is all the mentions there is one subsample, the data itself, and the statistic is returned exactly.
    /// </summary>
    /// <param name="counts">Mentions per value.</param>
    /// <param name="n">Mentions per subsample, in [1, Σ counts].</param>
    /// <param name="statistic">Statistic of a count vector (same length as <paramref name="counts"/>).</param>
    /// <param name="repeats">Subsamples (at least 2).</param>
    /// <param name="seed">Seed of the System.Random that draws the subsamples.</param>
    public static RarefiedValue Rarefied(int[] counts, int n, Func<int[], double> statistic, int repeats = 1000, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        int total = (int)Total(counts);
        if (n < 1 || n > total) throw new ArgumentOutOfRangeException(nameof(n), n, $"Subsample size must lie in [1, {total}] (the mentions available).");
        if (repeats < 2) throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "Need at least 2 subsamples.");
        if (n == total)
        {
            double all = statistic((int[])counts.Clone());
            return new RarefiedValue(all, all, all, n, 1);
        }
        var pool = new int[total];
        for (int v = 0, at = 0; v < counts.Length; v++) for (int c = 0; c < counts[v]; c++) pool[at++] = v;
        var rng = new Random(seed);
        var stats = new double[repeats];
        var sub = new int[counts.Length];
        for (int b = 0; b < repeats; b++)
        {
            Array.Clear(sub);
            for (int i = 0; i < n; i++)
            {
                int j = i + rng.Next(total - i);
                (pool[i], pool[j]) = (pool[j], pool[i]);
                sub[pool[i]]++;
            }
            stats[b] = statistic(sub);
        }
        var (low, high) = Judging.PairedStatistics.PercentileInterval(stats, 0.95);
        return new RarefiedValue(stats.Average(), low, high, n, repeats);
    }

    /// <summary>
    /// Bootstrap CI of the top-k share (basic by default): resamples rationales (with their mentions) with replacement.
    /// </summary>
    /// <param name="mentionsByRationale">For each rationale, the value indices it mentions (a rationale may mention none).
    /// To resample mentions instead of rationales, pass one single-mention array per mention.</param>
    /// <param name="taxonomySize">K, the number of values in the taxonomy.</param>
    /// <param name="k">Number of most frequent values (default 10, the paper's).</param>
    /// <param name="replicates">Bootstrap replicates.</param>
    /// <param name="level">Confidence level.</param>
    /// <param name="seed">Seed of the System.Random that draws the resamples.</param>
    /// <param name="method">Basic (default: corrects the estimator's bias, see <see cref="BootstrapMethod.Basic"/>) or percentile.</param>
    public static BootstrapInterval TopKShareInterval(int[][] mentionsByRationale, int taxonomySize, int k = 10,
        int replicates = 2000, double level = 0.95, int seed = 0, BootstrapMethod method = BootstrapMethod.Basic)
        => Bootstrap(mentionsByRationale, taxonomySize, c => TopKShare(c, k), replicates, level, seed, method);

    /// <summary>
    /// The bias-corrected normalised entropy (<see cref="CorrectedNormalizedEntropy"/>, K = <paramref name="taxonomySize"/>)
    /// with a bootstrap CI (basic by default, see <see cref="BootstrapMethod.Basic"/>) over rationales; the interval's ends
    /// are clamped to [0, 1].
    /// <para>The replicates are of the plug-in H / ln K: the basic interval [2θ̂ − q₁₋α/₂, 2θ̂ − q_α/₂] already moves
    /// against the plug-in's bias, by the bootstrap's estimate of it, and Miller–Madow moves the estimate by the analytic
    /// one, (K_obs − 1)/(2N), so the two agree: on Zipf-like samples of 60–300 rationales over 59 values the corrected
    /// estimate lay inside this interval in every one of 900 trials. Reported with the plug-in estimate, the interval
    /// could lie wholly above it (human rationales of the paired file: 0.835 [0.847, 0.933]). Bootstrapping the
    /// Miller–Madow statistic itself does not work: its replicates fall further below the estimate than the plug-in's
    /// (the correction is calibrated to the sample, not to resamples of it), and the basic interval's coverage of the
    /// true entropy dropped from about 90 % to 50 % on 100 rationales.</para>
    /// <para>With <see cref="BootstrapMethod.Percentile"/> the interval repeats the plug-in's bias and need not contain the corrected estimate.</para>
    /// </summary>
    public static BootstrapInterval NormalizedEntropyInterval(int[][] mentionsByRationale, int taxonomySize,
        int replicates = 2000, double level = 0.95, int seed = 0, BootstrapMethod method = BootstrapMethod.Basic)
    {
        var plugIn = Bootstrap(mentionsByRationale, taxonomySize, c => NormalizedEntropy(c, taxonomySize), replicates, level, seed, method);
        var observed = Counts(mentionsByRationale.SelectMany(m => m), taxonomySize);
        return plugIn with
        {
            Estimate = CorrectedNormalizedEntropy(observed, taxonomySize),
            Lower = Math.Clamp(plugIn.Lower, 0, 1),
            Upper = Math.Clamp(plugIn.Upper, 0, 1),
        };
    }

    /// <summary>
    /// Bootstrap CI of any statistic of the count vector: draws rationales with replacement (System.Random(seed)),
    /// recounts, and takes quantiles (R type 7, linear interpolation) of the replicates. Replicates with no mentions at
    /// all are redrawn.
    /// <para>Percentile: the (1 ∓ level)/2 quantiles q. Basic: [2θ̂ − q₁₋α/₂, 2θ̂ − q_α/₂].</para>
    /// </summary>
    public static BootstrapInterval Bootstrap(int[][] mentionsByRationale, int taxonomySize, Func<int[], double> statistic,
        int replicates = 2000, double level = 0.95, int seed = 0, BootstrapMethod method = BootstrapMethod.Percentile)
    {
        ArgumentNullException.ThrowIfNull(mentionsByRationale);
        ArgumentNullException.ThrowIfNull(statistic);
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "Need at least 2 bootstrap replicates.");
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must lie in (0, 1).");
        int n = mentionsByRationale.Length;
        if (n == 0) throw new ArgumentException("No rationales to resample.", nameof(mentionsByRationale));
        for (int r = 0; r < n; r++)
        {
            if (mentionsByRationale[r] is null) throw new ArgumentException($"Rationale {r} has a null mention list.", nameof(mentionsByRationale));
            foreach (var v in mentionsByRationale[r])
                if ((uint)v >= (uint)taxonomySize) throw new ArgumentException($"Rationale {r} mentions value index {v}, outside [0, {taxonomySize}).", nameof(mentionsByRationale));
        }
        var observed = new int[taxonomySize];
        foreach (var m in mentionsByRationale) foreach (var v in m) observed[v]++;
        double estimate = statistic(observed);
        var counts = new int[taxonomySize];
        var stats = Judging.Bootstrap.Replicates(n, replicates, new Random(seed), idx =>
        {
            Array.Clear(counts);
            var total = 0;
            foreach (var i in idx)
            {
                foreach (var v in mentionsByRationale[i]) counts[v]++;
                total += mentionsByRationale[i].Length;
            }
            return total == 0 ? null : statistic(counts);
        });
        var (low, high) = Judging.PairedStatistics.PercentileInterval(stats, level);
        return method == BootstrapMethod.Basic
            ? new BootstrapInterval(estimate, 2 * estimate - high, 2 * estimate - low, level, replicates, BootstrapMethod.Basic)
            : new BootstrapInterval(estimate, low, high, level, replicates);
    }

    private static double Total(int[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        long total = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0) throw new ArgumentException($"Count for value {i} is negative ({counts[i]}).", nameof(counts));
            total += counts[i];
        }
        if (total == 0) throw new ArgumentException("There are no mentions (all counts are zero).", nameof(counts));
        return total;
    }

    private static int TaxonomySize(int[] counts, int? taxonomySize)
    {
        ArgumentNullException.ThrowIfNull(counts);
        int k = taxonomySize ?? counts.Length;
        if (k < counts.Count(c => c > 0)) throw new ArgumentOutOfRangeException(nameof(taxonomySize), k, $"The taxonomy size K must be at least the number of values used ({counts.Count(c => c > 0)}).");
        if (k < 2) throw new ArgumentOutOfRangeException(nameof(taxonomySize), k, "Normalised entropy needs K ≥ 2 values (ln 1 = 0).");
        return k;
    }
}
