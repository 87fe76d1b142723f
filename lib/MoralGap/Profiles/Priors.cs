using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Profiles;

/// <summary>
/// A topic's value prior G_topic: a probability vector over <see cref="PaperValues.Names"/>.
/// </summary>
/// <param name="Topic">Topic name (or <c>global</c> for G0).</param>
/// <param name="Mean">Probabilities per value index; sums to 1, all &gt; 0 when smoothing &gt; 0.</param>
/// <param name="Dilemmas">Number of dilemmas whose rationales contributed.</param>
/// <param name="Mentions">Number of value mentions counted (before smoothing).</param>
public sealed record TopicPrior(string Topic, double[] Mean, int Dilemmas, long Mentions)
{
    /// <summary>The <paramref name="n"/> most probable values with their probabilities.</summary>
    public IReadOnlyList<ValueWeight> Top(int n = 5) =>
        Mean.Select((p, i) => new ValueWeight(PaperValues.Names.Count == Mean.Length ? PaperValues.Names[i] : $"v{i}", p))
            .OrderByDescending(v => v.Weight).ThenBy(v => v.Value, StringComparer.Ordinal).Take(n).ToList();

    /// <inheritdoc />
    public override string ToString() =>
        $"{Topic} ({Dilemmas} dilemmas, {Mentions} mentions): " + string.Join(", ", Top(5).Select(v => $"{v.Value} {v.Weight:F3}"));
}

/// <summary>A topic's fitted Dirichlet-multinomial concentration (see <see cref="Priors.FitConcentration"/>).</summary>
/// <param name="Topic">Topic name.</param>
/// <param name="Precision">α₀ = Σ α_k over <paramref name="Columns"/>, or NaN when the fit failed.</param>
/// <param name="Columns">Value indices (into <see cref="PaperValues.Names"/>) that entered the fit.</param>
/// <param name="Fit">The fit (α over <paramref name="Columns"/>, iterations, convergence), or null.</param>
/// <param name="Error">Why the fit was impossible, or null.</param>
public sealed record TopicConcentration(string Topic, double Precision, int[] Columns, DirichletFitResult? Fit, string? Error)
{
    /// <summary>
    /// True when α₀ exceeds 10⁶: the counts vary no more than multinomial draws from one mean would, the likelihood
    /// keeps rising as α₀ → ∞, and the fit gives no usable concentration (use G_topic itself, or choose α).
    /// </summary>
    public bool IsUnbounded => Error is null && Precision > 1e6;

    /// <inheritdoc />
    public override string ToString() => Error is null
        ? $"{Topic}: α₀ = {Precision:G4}{(IsUnbounded ? " (unbounded: no overdispersion)" : "")} over {Columns.Length} values ({(Fit!.Converged ? "converged" : "not converged")} in {Fit.Iterations} iterations)"
        : $"{Topic}: no fit ({Error})";
}

/// <summary>
/// The value priors of Dynamic Moral Profiling (Russo et al. 2025, §5): the global prior G0 = value frequencies over
/// human rationales, and topic priors G_topic (the same within a topic), over the indices of <see cref="PaperValues.Names"/>.
/// The paper gives no smoothing or shrinkage; both are parameters here (our choice).
/// </summary>
public static class Priors
{
    /// <summary>
    /// Per-dilemma value-count matrix: <c>counts[d][v]</c> = number of mentions of value v in dilemma d's human rationales.
    /// </summary>
    /// <param name="valueNamesPerDilemma">For each dilemma, the value names extracted from all its rationales (one per mention).</param>
    /// <param name="valueNames">The value vocabulary; defaults to <see cref="PaperValues.Names"/>. Matching is case-insensitive.</param>
    /// <exception cref="ArgumentException">A name is not in the vocabulary (message names the dilemma index and the name).</exception>
    public static int[][] CountMatrix(IReadOnlyList<IEnumerable<string>> valueNamesPerDilemma, IReadOnlyList<string>? valueNames = null)
    {
        ArgumentNullException.ThrowIfNull(valueNamesPerDilemma);
        valueNames ??= PaperValues.Names;
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < valueNames.Count; i++) index[valueNames[i]] = i;
        var counts = new int[valueNamesPerDilemma.Count][];
        for (var d = 0; d < counts.Length; d++)
        {
            counts[d] = new int[valueNames.Count];
            var names = valueNamesPerDilemma[d] ?? throw new ArgumentException($"valueNamesPerDilemma[{d}] is null.");
            foreach (var name in names)
            {
                if (name is null || !index.TryGetValue(name.Trim(), out var v))
                    throw new ArgumentException(
                        $"Dilemma {d}: unknown value '{name}' (not one of the {valueNames.Count} value names).", nameof(valueNamesPerDilemma));
                counts[d][v]++;
            }
        }
        return counts;
    }

    /// <summary>
    /// Per-dilemma value-count matrix in the order of <paramref name="dilemmaIds"/>, from (dilemma id, value name) mentions.
    /// Dilemmas with no mention get an all-zero row (use <see cref="RowsWithMentions"/> to drop them before fitting).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown dilemma id or value name (named in the message).</exception>
    public static int[][] CountMatrix(IReadOnlyList<string> dilemmaIds, IEnumerable<(string DilemmaId, string Value)> mentions)
    {
        ArgumentNullException.ThrowIfNull(dilemmaIds);
        ArgumentNullException.ThrowIfNull(mentions);
        var row = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dilemmaIds.Count; i++)
            if (!row.TryAdd(dilemmaIds[i], i)) throw new ArgumentException($"Duplicate dilemma id '{dilemmaIds[i]}'.", nameof(dilemmaIds));
        var counts = dilemmaIds.Select(_ => new int[PaperValues.Count]).ToArray();
        var n = 0;
        foreach (var (id, value) in mentions)
        {
            if (!row.TryGetValue(id, out var r))
                throw new ArgumentException($"Mention {n}: unknown dilemma id '{id}'.", nameof(mentions));
            var v = value is null ? -1 : PaperValues.IndexOf(value);
            if (v < 0) throw new ArgumentException($"Mention {n} (dilemma '{id}'): unknown value '{value}'.", nameof(mentions));
            counts[r][v]++;
            n++;
        }
        return counts;
    }

    /// <summary>Indices of the rows with at least one mention (Dirichlet fitting needs non-empty rows).</summary>
    public static int[] RowsWithMentions(int[][] counts)
    {
        CheckCounts(counts, nameof(counts), allowZeroRows: true);
        return Enumerable.Range(0, counts.Length).Where(i => counts[i].Sum() > 0).ToArray();
    }

    /// <summary>
    /// Row-normalised proportions p[d][v] = counts[d][v] / Σ_v counts[d][v] (input for fitting a Dirichlet from proportions).
    /// </summary>
    /// <exception cref="ArgumentException">A row is all zero (message names the row).</exception>
    public static double[][] Proportions(int[][] counts)
    {
        CheckCounts(counts, nameof(counts), allowZeroRows: false);
        return counts.Select(r => { var s = (double)r.Sum(); return r.Select(c => c / s).ToArray(); }).ToArray();
    }

    /// <summary>
    /// Global prior G0: G0[v] = (Σ_d counts[d][v] + s) / (Σ_d Σ_v counts[d][v] + s·V), with additive smoothing s.
    /// </summary>
    /// <param name="counts">Per-dilemma value counts (rows may be zero, but not all of them unless s &gt; 0).</param>
    /// <param name="smoothing">Additive (Laplace/Lidstone) pseudo-count s ≥ 0 per value; default 1.</param>
    public static TopicPrior Global(int[][] counts, double smoothing = 1.0)
    {
        CheckCounts(counts, nameof(counts), allowZeroRows: true);
        return FromRows("global", counts, Enumerable.Range(0, counts.Length), smoothing);
    }

    /// <summary>
    /// Topic priors: for each topic t, G_t[v] ∝ Σ_{d ∈ t} counts[d][v] + s, then optionally shrunk toward G0:
    /// G_t ← (1 − w)·G_t + w·G0 with shrinkage weight w ∈ [0, 1] (w = 0: topic frequencies only; w = 1: G0 for every topic).
    /// </summary>
    /// <param name="counts">Per-dilemma value counts.</param>
    /// <param name="topics">Topic per dilemma (same order as <paramref name="counts"/>).</param>
    /// <param name="smoothing">Additive pseudo-count per value (≥ 0).</param>
    /// <param name="shrinkage">Weight w of G0 in the mix (0 … 1).</param>
    /// <returns>One prior per distinct topic, keyed by topic name.</returns>
    public static IReadOnlyDictionary<string, TopicPrior> ByTopic(
        int[][] counts, IReadOnlyList<string> topics, double smoothing = 1.0, double shrinkage = 0.0)
    {
        CheckCounts(counts, nameof(counts), allowZeroRows: true);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count != counts.Length)
            throw new ArgumentException($"{topics.Count} topics but {counts.Length} count rows.", nameof(topics));
        if (!(shrinkage >= 0 && shrinkage <= 1)) throw new ArgumentOutOfRangeException(nameof(shrinkage), $"shrinkage = {shrinkage} must be in [0, 1].");
        var g0 = Global(counts, smoothing);
        var result = new SortedDictionary<string, TopicPrior>(StringComparer.Ordinal);
        for (var i = 0; i < topics.Count; i++)
            if (topics[i] is null) throw new ArgumentException($"topics[{i}] is null.", nameof(topics));
        foreach (var group in Enumerable.Range(0, counts.Length).GroupBy(i => topics[i]))
        {
            var prior = FromRows(group.Key, counts, group, smoothing);
            if (shrinkage > 0)
                prior = prior with { Mean = prior.Mean.Select((p, v) => (1 - shrinkage) * p + shrinkage * g0.Mean[v]).ToArray() };
            result[group.Key] = prior;
        }
        return result;
    }

    /// <summary>
    /// Fits, per topic, a Dirichlet-multinomial to the topic's per-dilemma value counts (<see cref="DirichletFit.FromCounts"/>,
    /// Minka's fixed point) and returns its precision α₀ = Σ_k α_k — a data-driven value for the α of
    /// θ ~ Dirichlet(α·G_topic) (the paper gives none). Only dilemmas with mentions and values mentioned at least once in
    /// the topic enter the fit (the fit cannot place mass on a value never seen), so α₀ is the concentration over the
    /// topic's observed values; <see cref="TopicConcentration.Columns"/> lists them.
    /// </summary>
    /// <returns>One entry per topic; a topic whose fit is impossible (fewer than 2 dilemmas with mentions, fewer than
    /// 2 observed values, no dilemma with 2 or more mentions) has <see cref="TopicConcentration.Error"/> set instead.</returns>
    public static IReadOnlyDictionary<string, TopicConcentration> FitConcentration(int[][] counts, IReadOnlyList<string> topics)
    {
        CheckCounts(counts, nameof(counts), allowZeroRows: true);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count != counts.Length)
            throw new ArgumentException($"{topics.Count} topics but {counts.Length} count rows.", nameof(topics));
        var result = new SortedDictionary<string, TopicConcentration>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, counts.Length).GroupBy(i => topics[i] ?? throw new ArgumentException($"topics[{i}] is null.", nameof(topics))))
        {
            var rows = group.Where(i => counts[i].Sum() > 0).ToArray();
            var cols = Enumerable.Range(0, counts[0].Length).Where(v => rows.Any(i => counts[i][v] > 0)).ToArray();
            try
            {
                var fit = DirichletFit.FromCounts(rows.Select(i => cols.Select(v => counts[i][v]).ToArray()).ToArray());
                result[group.Key] = new TopicConcentration(group.Key, fit.Precision, cols, fit, null);
            }
            catch (ArgumentException ex)
            {
                result[group.Key] = new TopicConcentration(group.Key, double.NaN, cols, null, ex.Message);
            }
        }
        return result;
    }

    /// <summary>
    /// A random permutation π of 0..n−1 (Fisher–Yates with <see cref="Random"/>(seed)).
    /// </summary>
    public static int[] Permutation(int n, int seed)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n));
        var p = Enumerable.Range(0, n).ToArray();
        new Random(seed).Shuffle(p);
        return p;
    }

    /// <summary>
    /// The scrambled-prior baseline: the same probabilities attached to permuted value names,
    /// scrambled[π[v]] = prior[v], π = <see cref="Permutation"/>(V, seed). It keeps the prior's shape (entropy,
    /// concentration) but breaks the link between a value and its topic-specific weight.
    /// </summary>
    public static double[] Scramble(double[] prior, int seed)
    {
        ArgumentNullException.ThrowIfNull(prior);
        var pi = Permutation(prior.Length, seed);
        var s = new double[prior.Length];
        for (var v = 0; v < prior.Length; v++) s[pi[v]] = prior[v];
        return s;
    }

    private static TopicPrior FromRows(string name, int[][] counts, IEnumerable<int> rows, double smoothing)
    {
        if (!(smoothing >= 0) || double.IsInfinity(smoothing))
            throw new ArgumentOutOfRangeException(nameof(smoothing), $"smoothing = {smoothing} must be a finite number ≥ 0.");
        var v = counts[0].Length;
        var sum = new double[v];
        long mentions = 0;
        var nRows = 0;
        foreach (var r in rows)
        {
            nRows++;
            for (var j = 0; j < v; j++) { sum[j] += counts[r][j]; mentions += counts[r][j]; }
        }
        var total = mentions + smoothing * v;
        if (total <= 0)
            throw new ArgumentException($"Prior '{name}': no value mentions in its {nRows} dilemma(s) and smoothing = 0; it is undefined.");
        return new TopicPrior(name, sum.Select(c => (c + smoothing) / total).ToArray(), nRows, mentions);
    }

    private static void CheckCounts(int[][] counts, string name, bool allowZeroRows)
    {
        ArgumentNullException.ThrowIfNull(counts, name);
        if (counts.Length == 0) throw new ArgumentException($"{name} has no rows (no dilemmas).", name);
        var v = counts[0]?.Length ?? throw new ArgumentException($"{name}[0] is null.", name);
        if (v == 0) throw new ArgumentException($"{name}[0] has no columns (no values).", name);
        for (var d = 0; d < counts.Length; d++)
        {
            var r = counts[d] ?? throw new ArgumentException($"{name}[{d}] is null.", name);
            if (r.Length != v) throw new ArgumentException($"{name}[{d}] has {r.Length} columns, expected {v}.", name);
            long s = 0;
            for (var j = 0; j < v; j++)
            {
                if (r[j] < 0) throw new ArgumentException($"{name}[{d}][{j}] = {r[j]} is negative.", name);
                s += r[j];
            }
            if (!allowZeroRows && s == 0) throw new ArgumentException($"{name}[{d}] is all zero (a dilemma without value mentions).", name);
        }
    }
}
