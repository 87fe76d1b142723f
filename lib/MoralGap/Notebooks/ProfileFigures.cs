using System.Globalization;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Profiles;

namespace MoralGap.Notebooks;

/// <summary>The figures of chapters 07–09: topic priors, Dirichlet concentrations, DMP vs baselines, sensitivity to α and k.</summary>
public static class ProfileFigures
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The <paramref name="top"/> values of the global prior G0 as bars (share of human value mentions, smoothed).</summary>
    public static ChartSpec GlobalPrior(TopicPrior g0, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(g0);
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), $"top = {top} must be ≥ 1.");
        var best = g0.Top(Math.Min(top, g0.Mean.Length));
        var xs = Enumerable.Range(0, best.Count).Select(i => (double)i).ToArray();
        return new ChartSpec($"Global prior G0: top {best.Count} of {g0.Mean.Length} values ({g0.Mentions} mentions)", "value", "G0[v]",
            [new ChartSeries("G0", xs, best.Select(b => b.Weight).ToArray(), SeriesKind.Bars,
                Hover: best.Select(b => string.Create(Inv, $"{b.Value}: {b.Weight:P1}")).ToArray())],
            Categories: best.Select(b => Wrap(b.Value)).ToArray(), Width: 1000);
    }

    /// <summary>
    /// One topic prior G_topic: its <paramref name="top"/> values as bars, with G0 of the same values as a second bar
    /// series, so what the topic stresses beyond the global prior is visible.
    /// </summary>
    public static ChartSpec TopicPrior(TopicPrior topic, TopicPrior g0, int top = 6)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(g0);
        if (top < 1) throw new ArgumentOutOfRangeException(nameof(top), $"top = {top} must be ≥ 1.");
        var best = topic.Top(Math.Min(top, topic.Mean.Length));
        var idx = best.Select(b => IndexOf(b.Value)).ToArray();
        var xs = Enumerable.Range(0, best.Count).Select(i => (double)i).ToArray();
        return new ChartSpec($"G_{topic.Topic}: top {best.Count} values ({topic.Dilemmas} dilemmas, {topic.Mentions} mentions)", "value", "prior weight",
            [
                new ChartSeries(topic.Topic, xs, best.Select(b => b.Weight).ToArray(), SeriesKind.Bars,
                    Hover: best.Select(b => string.Create(Inv, $"{topic.Topic} · {b.Value}: {b.Weight:P1}")).ToArray()),
                new ChartSeries("G0", xs, idx.Select(i => g0.Mean[i]).ToArray(), SeriesKind.Bars,
                    Hover: best.Select((b, j) => string.Create(Inv, $"G0 · {b.Value}: {g0.Mean[idx[j]]:P1}")).ToArray(), Color: "#999999"),
            ],
            Categories: best.Select(b => Wrap(b.Value)).ToArray(), Width: 760, Height: 380);
    }

    /// <summary>All topic priors, one <see cref="TopicPrior"/> chart each, in topic order.</summary>
    public static IReadOnlyList<ChartSpec> TopicPriors(IReadOnlyDictionary<string, TopicPrior> topicPriors, TopicPrior g0, int top = 6)
    {
        ArgumentNullException.ThrowIfNull(topicPriors);
        if (topicPriors.Count == 0) throw new ArgumentException("No topic priors.", nameof(topicPriors));
        return topicPriors.Values.Select(t => TopicPrior(t, g0, top)).ToList();
    }

    private static int IndexOf(string value)
    {
        for (var i = 0; i < PaperValues.Names.Count; i++)
            if (string.Equals(PaperValues.Names[i], value, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"'{value}' is not one of the paper's values.", nameof(value));
    }

    // Two-word value names on two lines, so that tick labels of neighbouring bars do not overlap.
    private static string Wrap(string name) => name.Replace(' ', '\n');

    /// <summary>Fitted Dirichlet precision α₀ per topic (per dilemma; per rationale when finite) beside the planted one, log10 scale.</summary>
    public static ChartSpec ConcentrationRecovery(IReadOnlyList<ConcentrationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("No rows.", nameof(rows));
        var xs = Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray();
        static double L(double x) => double.IsFinite(x) && x > 0 ? Math.Log10(x) : double.NaN;
        var series = new List<ChartSeries>
        {
            new("fitted α₀, rows = dilemmas", xs, rows.Select(r => L(r.PerDilemma)).ToArray(), SeriesKind.Bars,
                Hover: rows.Select(r => string.Create(Inv, $"{r.Topic}: α₀ = {r.PerDilemma:G4} from {r.Dilemmas} dilemmas over {r.ValuesSeen} values")).ToArray()),
        };
        if (rows.Any(r => double.IsFinite(r.PerRationale)))
            series.Add(new ChartSeries("fitted α₀, rows = rationales", xs, rows.Select(r => L(r.PerRationale)).ToArray(), SeriesKind.Bars,
                Hover: rows.Select(r => string.Create(Inv, $"{r.Topic}: α₀ = {r.PerRationale:G4} from {r.Rationales} rationales")).ToArray()));
        if (rows.Any(r => double.IsFinite(r.Planted)))
            series.Add(new ChartSeries("planted α₀", xs, rows.Select(r => L(r.Planted)).ToArray(), SeriesKind.Bars,
                Hover: rows.Select(r => string.Create(Inv, $"{r.Topic}: planted α₀ = {r.Planted:G4} over the same values")).ToArray()));
        return new ChartSpec("Dirichlet concentration per topic: fitted vs planted (∞ not drawn)", "topic", "log10 α₀", series,
            Categories: rows.Select(r => r.Topic).ToArray(), Width: 900);
    }

    /// <summary>
    /// Mean |Δp| by human-consensus bin for each condition (markers + line, bootstrap 95% CI from
    /// <see cref="Alignment.GapByConsensus"/>), with the exact binomial noise floor of each bin drawn dashed:
    /// the mean over the bin's dilemmas of E|p̂_model − p̂_human| at the human p with N model samples and the
    /// dilemma's human votes (<see cref="NoiseFloor.Expected"/>) — the gap a perfect model would still show.
    /// </summary>
    /// <param name="run">The DMP run.</param>
    /// <param name="humanP">Human p per dilemma.</param>
    /// <param name="humanN">Human votes per dilemma (for the floor).</param>
    /// <param name="model">Model whose conditions are drawn (the council is drawn under its own name).</param>
    /// <param name="samples">N model samples per dilemma (for the floor).</param>
    /// <param name="conditions">Conditions to draw (default: all in the run).</param>
    /// <param name="seed">Bootstrap seed.</param>
    public static ChartSpec GapByConsensus(DmpRunResult run, IReadOnlyDictionary<string, double> humanP, IReadOnlyDictionary<string, int> humanN,
        string model, int samples, IReadOnlyList<string>? conditions = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(humanP);
        ArgumentNullException.ThrowIfNull(humanN);
        if (samples < 1) throw new ArgumentOutOfRangeException(nameof(samples), $"samples = {samples} must be ≥ 1.");
        var edges = Alignment.DefaultBinEdges;
        var labels = ConsensusBins.Labels(edges);
        var xs = Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray();
        var series = new List<ChartSeries>();
        conditions ??= run.ConditionNames;
        var drawn = conditions.Where(c => run.Estimates.Any(e => e.Model == (c == "council" ? "council" : model) && e.Condition == c && double.IsFinite(e.P))).ToList();
        foreach (var c in drawn)
        {
            // a small horizontal offset per condition keeps the error bars apart
            var offset = (drawn.IndexOf(c) - (drawn.Count - 1) / 2.0) * Math.Min(0.08, 0.6 / Math.Max(1, drawn.Count));
            var m = c == "council" ? "council" : model;
            var est = run.Estimates.Where(e => e.Model == m && e.Condition == c && humanP.ContainsKey(e.DilemmaId)).ToList();
            if (est.Count == 0) continue;
            var bins = Alignment.GapByConsensus(est.Select(e => e.P).ToArray(), est.Select(e => humanP[e.DilemmaId]).ToArray(), edges, replicates: 1000, seed: seed,
                missing: MissingModelP.Skip);
            series.Add(new ChartSeries(c, xs.Select(x => x + offset).ToArray(), bins.Select(b => b.MeanAbsoluteGap).ToArray(), SeriesKind.Line,
                Hover: bins.Select(b => string.Create(Inv, $"{c} · {b.Label}: |Δp| = {b.MeanAbsoluteGap:F3} [{b.CiLower:F3}, {b.CiUpper:F3}], {b.Dilemmas} dilemmas")
                    + (b.Skipped > 0 ? $", {b.Skipped} without a valid answer skipped" : "")).ToArray(),
                Low: bins.Select(b => b.CiLower).ToArray(), High: bins.Select(b => b.CiUpper).ToArray()));
        }
        if (series.Count == 0) throw new ArgumentException("None of the conditions has estimates for this model.", nameof(conditions));
        var floor = NoiseFloorByBin(humanP, humanN, samples, run.Estimates.Select(e => e.DilemmaId).Distinct().ToList(), edges);
        series.Add(new ChartSeries($"noise floor (N = {samples} vs human votes)", xs, floor, SeriesKind.DashedLine,
            Hover: floor.Select((f, i) => string.Create(Inv, $"noise floor · {labels[i]}: {f:F3}")).ToArray(), Color: "#000000"));
        return new ChartSpec("Gap to humans by consensus bin: DMP vs baselines", "human consensus = max(p, 1 − p)", "mean |p_model − p_human|",
            series, Categories: labels, YRange: (0, Math.Max(0.5, series.Max(s => s.High?.Where(double.IsFinite).DefaultIfEmpty(0).Max() ?? s.Y.Where(double.IsFinite).DefaultIfEmpty(0).Max()) + 0.05)),
            Width: 1000, Height: 500);
    }

    /// <summary>
    /// The exact binomial noise floor per consensus bin: mean over the bin's dilemmas d of
    /// <see cref="NoiseFloor.Expected"/>(p_d, <paramref name="samples"/>, n_d). NaN for an empty bin.
    /// </summary>
    public static double[] NoiseFloorByBin(IReadOnlyDictionary<string, double> humanP, IReadOnlyDictionary<string, int> humanN, int samples,
        IReadOnlyList<string> dilemmaIds, IReadOnlyList<double>? edges = null)
    {
        ArgumentNullException.ThrowIfNull(humanP);
        ArgumentNullException.ThrowIfNull(humanN);
        ArgumentNullException.ThrowIfNull(dilemmaIds);
        var ids = dilemmaIds.Where(humanP.ContainsKey).ToList();
        return NoiseFloor.ByConsensusBin(ids.Select(id => humanP[id]).ToArray(), ids.Select(_ => samples).ToArray(),
            ids.Select(id => Math.Max(1, humanN.GetValueOrDefault(id, 32))).ToArray(), edges);
    }

    /// <summary>Mean |Δp| per condition as bars with bootstrap 95% CIs, the overall noise floor as a dashed line.</summary>
    public static ChartSpec GapByCondition(IReadOnlyList<ConditionGapRow> rows, double noiseFloor)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("No rows.", nameof(rows));
        var xs = Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray();
        return new ChartSpec("Mean gap |Δp| per condition (95% bootstrap CI)", "condition", "mean |p_model − p_human|",
            [
                new ChartSeries("mean |Δp|", xs, rows.Select(r => r.MeanAbsGap).ToArray(), SeriesKind.Bars,
                    Hover: rows.Select(r => string.Create(Inv, $"{r.Condition}: {r.MeanAbsGap:F3} [{r.CiLow:F3}, {r.CiHigh:F3}], reduction {r.Reduction:P1}, r = {r.PearsonR:F2}")).ToArray(),
                    Low: rows.Select(r => r.CiLow).ToArray(), High: rows.Select(r => r.CiHigh).ToArray()),
                new ChartSeries("noise floor", [-0.5, rows.Count - 0.5], [noiseFloor, noiseFloor], SeriesKind.DashedLine,
                    Hover: [string.Create(Inv, $"noise floor {noiseFloor:F3}"), string.Create(Inv, $"noise floor {noiseFloor:F3}")], Color: "#000000"),
            ],
            Categories: rows.Select(r => r.Condition.Replace('-', '\n')).ToArray(), Width: 1000);
    }

    /// <summary>Normalised value entropy of the rationales per condition (bars, bootstrap CI) — humans first.</summary>
    public static ChartSpec DiversityByCondition(IReadOnlyList<ConditionDiversity> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("No rows.", nameof(rows));
        var xs = Enumerable.Range(0, rows.Count).Select(i => (double)i).ToArray();
        return new ChartSpec("Value diversity of rationales per condition", "condition", "share / entropy",
            [
                new ChartSeries("normalised entropy", xs, rows.Select(r => r.NormalizedEntropy).ToArray(), SeriesKind.Bars,
                    Hover: rows.Select(r => string.Create(Inv, $"{r.Condition}: H = {r.NormalizedEntropy:F3} [{r.EntropyLow:F3}, {r.EntropyHigh:F3}], {r.Mentions} mentions")).ToArray(),
                    Low: rows.Select(r => r.EntropyLow).ToArray(), High: rows.Select(r => r.EntropyHigh).ToArray()),
                new ChartSeries("top-10 share", xs, rows.Select(r => r.Top10Share).ToArray(), SeriesKind.Bars,
                    Hover: rows.Select(r => string.Create(Inv, $"{r.Condition}: top-10 share {r.Top10Share:P1}")).ToArray()),
            ],
            Categories: rows.Select(r => r.Condition.Replace('-', '\n')).ToArray(), YRange: (0, 1.05), Width: 1000);
    }

    /// <summary>
    /// Sensitivity: gap |Δp| against α (log axis as categories) with one line per k; optional dashed references
    /// (vanilla gap, noise floor).
    /// </summary>
    public static ChartSpec SensitivityGap(IReadOnlyList<SensitivityRow> rows, double? vanillaGap = null, double? noiseFloor = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var series = PerK(rows, r => r.Gap, "|Δp|");
        var alphas = Alphas(rows);
        double[] ends = [0, alphas.Length - 1];
        if (vanillaGap is { } v) series.Add(new ChartSeries("vanilla", ends, [v, v], SeriesKind.DashedLine, Hover: [$"vanilla {v:F3}", $"vanilla {v:F3}"], Color: "#7f7f7f"));
        if (noiseFloor is { } f) series.Add(new ChartSeries("noise floor", ends, [f, f], SeriesKind.DashedLine, Hover: [$"noise floor {f:F3}", $"noise floor {f:F3}"], Color: "#000000"));
        return new ChartSpec("DMP gap vs α, one line per k", "α (concentration of θ ~ Dirichlet(α·G_topic))", "mean |p_model − p_human|", series,
            Categories: alphas.Select(a => a.ToString("G3", Inv)).ToArray());
    }

    /// <summary>Sensitivity: normalised entropy of the shown profile values (and of the rationales, when measured) against α, one line per k.</summary>
    public static ChartSpec SensitivityEntropy(IReadOnlyList<SensitivityRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var series = PerK(rows, r => r.ProfileEntropy, "profile H");
        if (rows.Any(r => double.IsFinite(r.RationaleEntropy)))
            series.AddRange(PerK(rows, r => r.RationaleEntropy, "rationale H").Select(s => s with { Kind = SeriesKind.DashedLine }));
        return new ChartSpec("Value entropy vs α, one line per k", "α", "normalised entropy (59 values)", series,
            Categories: Alphas(rows).Select(a => a.ToString("G3", Inv)).ToArray(), YRange: (0, 1.05));
    }

    private static double[] Alphas(IReadOnlyList<SensitivityRow> rows) => rows.Select(r => r.Alpha).Distinct().OrderBy(a => a).ToArray();

    private static List<ChartSeries> PerK(IReadOnlyList<SensitivityRow> rows, Func<SensitivityRow, double> y, string what)
    {
        if (rows.Count == 0) throw new ArgumentException("No sensitivity rows.", nameof(rows));
        var alphas = Alphas(rows);
        return rows.GroupBy(r => r.K).OrderBy(g => g.Key).Select(g =>
        {
            var pts = g.OrderBy(r => r.Alpha).ToList();
            return new ChartSeries($"k = {g.Key}", pts.Select(r => (double)Array.IndexOf(alphas, r.Alpha)).ToArray(), pts.Select(y).ToArray(), SeriesKind.Line,
                Hover: pts.Select(r => string.Create(Inv, $"α = {r.Alpha:G3}, k = {r.K}: {what} = {y(r):F3}")).ToArray());
        }).ToList();
    }

    /// <summary>The human votes per dilemma (for noise floors).</summary>
    public static IReadOnlyDictionary<string, int> HumanN(DilemmaDataset dataset) =>
        dataset.Distributions().ToDictionary(d => d.DilemmaId, d => d.N);
}
