namespace MoralGap.Data;

/// <summary>
/// The verdict distribution of one author (humans, or one model) on one dilemma: counts of
/// <see cref="Verdict.Acceptable"/> and <see cref="Verdict.Unacceptable"/>, the share p of UNACCEPTABLE and the
/// consensus max(p, 1 − p) of the paper (Russo et al., arXiv 2507.17216, §3: consensus is analysed in bins from 0.5 to 1.0).
/// </summary>
/// <param name="DilemmaId">The dilemma.</param>
/// <param name="Author"><c>human</c> or a model id.</param>
/// <param name="Acceptable">Number of ACCEPTABLE verdicts (NTA, NAH).</param>
/// <param name="Unacceptable">Number of UNACCEPTABLE verdicts (YTA, ESH).</param>
/// <param name="NoVerdict">Judgments without a binary verdict (INFO, refusals); not part of <see cref="N"/>.</param>
public sealed record VerdictDistribution(string DilemmaId, string Author, int Acceptable, int Unacceptable, int NoVerdict = 0)
{
    /// <summary>n = Acceptable + Unacceptable.</summary>
    public int N => Acceptable + Unacceptable;

    /// <summary>p = Unacceptable / n, the share of UNACCEPTABLE verdicts (NaN when n = 0).</summary>
    public double P => N == 0 ? double.NaN : (double)Unacceptable / N;

    /// <summary>Consensus = max(p, 1 − p), in [0.5, 1] (NaN when n = 0).</summary>
    public double Consensus => N == 0 ? double.NaN : Math.Max(P, 1 - P);

    /// <summary>The majority verdict, or <c>null</c> on a tie or when n = 0.</summary>
    public Verdict? Majority => Unacceptable > Acceptable ? Verdict.Unacceptable : Acceptable > Unacceptable ? Verdict.Acceptable : null;

    /// <summary>The consensus bin index for bins of <paramref name="width"/> from 0.5 (see <see cref="ConsensusBins.IndexOf(double, double)"/>).</summary>
    public int Bin(double width = ConsensusBins.DefaultWidth) => ConsensusBins.IndexOf(Consensus, width);

    /// <inheritdoc/>
    public override string ToString() =>
        $"{DilemmaId} [{Author}] unacceptable {Unacceptable}/{N} p={P:0.000} consensus={Consensus:0.000}" + (NoVerdict > 0 ? $" (+{NoVerdict} without verdict)" : "");

    /// <summary>
    /// Counts verdicts per (dilemma, author). Judgments with a <c>null</c> verdict are counted in
    /// <see cref="NoVerdict"/>. Output order: dilemmas in order of first appearance, then authors in order of first appearance.
    /// </summary>
    public static IReadOnlyList<VerdictDistribution> FromJudgments(IEnumerable<Judgment> judgments)
    {
        ArgumentNullException.ThrowIfNull(judgments);
        var order = new List<(string D, string A)>();
        var counts = new Dictionary<(string D, string A), int[]>();
        foreach (var j in judgments)
        {
            var key = (j.DilemmaId, j.Author);
            if (!counts.TryGetValue(key, out var c)) { counts[key] = c = new int[3]; order.Add(key); }
            c[j.Verdict switch { Verdict.Acceptable => 0, Verdict.Unacceptable => 1, _ => 2 }]++;
        }
        return order.Select(k => new VerdictDistribution(k.D, k.A, counts[k][0], counts[k][1], counts[k][2])).ToArray();
    }

    /// <summary>As <see cref="FromJudgments(IEnumerable{Judgment})"/>, keeping one author (e.g. <c>human</c>).</summary>
    public static IReadOnlyList<VerdictDistribution> FromJudgments(IEnumerable<Judgment> judgments, string author)
    {
        ArgumentNullException.ThrowIfNull(author);
        return FromJudgments(judgments.Where(j => j.Author == author));
    }
}

/// <summary>
/// Consensus bins of the paper: from 0.5 to 1.0 in steps of a width (default 0.1): [0.5, 0.6), …, [0.9, 1.0];
/// the last bin is closed so unanimity (1.0) falls in it.
/// </summary>
public static class ConsensusBins
{
    /// <summary>Default bin width (0.1, five bins).</summary>
    public const double DefaultWidth = 0.1;

    /// <summary>Number of bins for a width: ceil(0.5 / width).</summary>
    public static int Count(double width = DefaultWidth)
    {
        CheckWidth(width);
        return (int)Math.Ceiling(0.5 / width - 1e-9);
    }

    /// <summary>Lower edges 0.5, 0.5 + w, …; the bin i is [edge_i, edge_i + w) (last bin closed at 1.0).</summary>
    public static double[] LowerEdges(double width = DefaultWidth) =>
        Enumerable.Range(0, Count(width)).Select(i => Math.Round(0.5 + i * width, 10)).ToArray();

    /// <summary>Labels like "[0.5,0.6)", …, "[0.9,1.0]".</summary>
    public static string[] Labels(double width = DefaultWidth) => Labels(Edges(width));

    /// <summary>One label per bin of <paramref name="edges"/>, e.g. "[0.5,0.6)", the last one closed: "[0.9,1.0]".</summary>
    public static string[] Labels(IReadOnlyList<double> edges)
    {
        CheckEdges(edges);
        return Enumerable.Range(0, edges.Count - 1).Select(b => Label(edges[b], edges[b + 1], b == edges.Count - 2)).ToArray();
    }

    /// <summary>The label of the bin [lower, upper), or [lower, upper] when it is the last: invariant culture, e.g. "[0.9,1.0]".</summary>
    public static string Label(double lower, double upper, bool last) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"[{lower:0.0##},{upper:0.0##}{(last ? "]" : ")")}");

    /// <summary>All edges 0.5, 0.5 + w, …, 1.0 (<see cref="Count"/> + 1 of them; the last bin may be narrower than w).</summary>
    public static double[] Edges(double width = DefaultWidth) => [.. LowerEdges(width), 1.0];

    /// <summary>
    /// The bin index of a consensus value c ∈ [0.5, 1]: floor((c − 0.5) / width), clamped to the last bin at c = 1
    /// (the same rule as <see cref="IndexOf(double, IReadOnlyList{double})"/> over <see cref="Edges"/>).
    /// </summary>
    public static int IndexOf(double consensus, double width = DefaultWidth)
    {
        CheckWidth(width);
        if (double.IsNaN(consensus) || consensus < 0.5 - 1e-12 || consensus > 1 + 1e-12)
            throw new ArgumentOutOfRangeException(nameof(consensus), consensus, "Consensus must be in [0.5, 1].");
        return Math.Max(0, IndexOf(Math.Clamp(consensus, 0.5, 1.0), Edges(width)));
    }

    /// <summary>
    /// The bin of a consensus value c for increasing <paramref name="edges"/> e₀ &lt; e₁ &lt; … &lt; e_B: the b with
    /// e_b ≤ c &lt; e_{b+1}, the last bin closed (c = e_B falls in it); −1 when c is NaN or outside [e₀, e_B].
    /// A value within 1e-9 below an edge counts as on it, so 0.5 + 0.1 falls in [0.6, 0.7) despite rounding.
    /// This is the one bin rule of the project: the consensus histogram, the gap by consensus
    /// (MoralGap.Judging.Alignment.GapByConsensus) and the noise floor per bin all use it.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two edges, or edges that do not increase.</exception>
    public static int IndexOf(double consensus, IReadOnlyList<double> edges)
    {
        CheckEdges(edges);
        const double tolerance = 1e-9;
        if (double.IsNaN(consensus) || consensus < edges[0] - tolerance || consensus > edges[^1]) return -1;
        for (var b = edges.Count - 2; b > 0; b--)
            if (consensus >= edges[b] - tolerance) return b;
        return 0;
    }

    /// <summary>Checks bin edges: at least two, strictly increasing, finite.</summary>
    /// <exception cref="ArgumentException">What is wrong with them.</exception>
    public static void CheckEdges(IReadOnlyList<double> edges, string paramName = "edges")
    {
        ArgumentNullException.ThrowIfNull(edges, paramName);
        if (edges.Count < 2) throw new ArgumentException($"Need at least two bin edges, got {edges.Count}.", paramName);
        for (var e = 0; e < edges.Count; e++)
        {
            if (!double.IsFinite(edges[e])) throw new ArgumentException($"Bin edge {e} is {edges[e]}; edges must be finite.", paramName);
            if (e > 0 && !(edges[e] > edges[e - 1]))
                throw new ArgumentException($"Bin edges must increase; edge {e} = {edges[e]} follows {edges[e - 1]}.", paramName);
        }
    }

    /// <summary>How many distributions fall in each bin (distributions with n = 0 are not counted).</summary>
    public static int[] Histogram(IEnumerable<VerdictDistribution> distributions, double width = DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        var h = new int[Count(width)];
        foreach (var d in distributions)
            if (d.N > 0) h[d.Bin(width)]++;
        return h;
    }

    private static void CheckWidth(double width)
    {
        if (!(width > 0 && width <= 0.5))
            throw new ArgumentOutOfRangeException(nameof(width), width, "Bin width must be in (0, 0.5].");
    }
}
