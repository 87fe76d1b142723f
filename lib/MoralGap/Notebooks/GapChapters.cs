using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Notebooks;

/// <summary>One dilemma's human and model shares of UNACCEPTABLE.</summary>
public sealed record DilemmaGap(string DilemmaId, string Title, string Model, int HumanVotes, int ModelSamples,
    double PHuman, double PModel, double Consensus, double AbsoluteGap, double JensenShannon);

/// <summary>Finding 1 for one model (or the council): the gap by human consensus bin, against the noise floor.</summary>
/// <param name="Model">Model id, or <c>council</c> for the pooled models.</param>
/// <param name="Bins">Mean |p_model − p_human| per human consensus bin with bootstrap CIs.</param>
/// <param name="NoiseFloor">Per bin, the exact expected |p̂₁ − p̂₂| if model and people shared each dilemma's human p
/// (binomial sampling with the bin's vote and sample counts): a gap this small is indistinguishable from noise.</param>
/// <param name="MeanGap">Mean |Δp| over all dilemmas.</param>
/// <param name="MeanNoiseFloor">The noise floor averaged over all dilemmas.</param>
/// <param name="PearsonR">Pearson r of p_model with p_human over dilemmas.</param>
/// <param name="MeanJensenShannon">Mean Jensen–Shannon distance (base 2) between the verdict distributions.</param>
public sealed record ModelGap(string Model, IReadOnlyList<ConsensusBinGap> Bins, IReadOnlyList<double> NoiseFloor,
    double MeanGap, double MeanNoiseFloor, double PearsonR, double MeanJensenShannon)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"{Model}: mean |Δp| = {MeanGap:0.000} (noise floor {MeanNoiseFloor:0.000}), r = {PearsonR:0.00}, mean JS distance = {MeanJensenShannon:0.000}";
}

/// <summary>The model judgments chapter 03 measures and where they came from.</summary>
/// <param name="Judgments">Model judgments (verdicts).</param>
/// <param name="Simulated">True when the simulated judge produced them (the chapter then shows its banner).</param>
/// <param name="Recorded">True when they are a study's recorded answers read from the dataset folder (authors are <c>model / condition</c>; no council is pooled across conditions).</param>
/// <param name="Summary">One line for the reader.</param>
public sealed record ChapterJudgments(IReadOnlyList<Judgment> Judgments, bool Simulated, bool Recorded, string Summary)
{
    /// <inheritdoc/>
    public override string ToString() => Summary;
}

/// <summary>The computations and figures of chapter 03 (the gap vs consensus).</summary>
public static class GapChapters
{
    /// <summary>Name of the pooled "council" of all models.</summary>
    public const string Council = "council";

    /// <summary>
    /// The model verdicts already stored in a dataset folder (a study's released logs, added with
    /// <c>import-judgments</c>), each model and condition as its own author <c>model / condition</c>. Stated-share
    /// answers are left out (they are not verdicts; chapter 10 compares them). Empty when the folder holds only people.
    /// </summary>
    public static IReadOnlyList<Judgment> RecordedVerdicts(DilemmaDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return dataset.Judgments.Where(j => j.Author != DilemmaDataset.Human && !j.IsShare)
            .Select(j => j with { Author = $"{j.Author} / {j.ConditionOrVanilla}" }).ToArray();
    }

    /// <summary>
    /// The judgments chapter 03 measures: the dataset's recorded model verdicts when it has any
    /// (<see cref="RecordedVerdicts"/>; no model is called), else a collection from the configured models or the
    /// simulated judge (<see cref="JudgingChapters.CollectAsync"/>).
    /// </summary>
    public static async Task<ChapterJudgments> RecordedOrCollectAsync(DilemmaDataset dataset, JudgingSettings settings, SimulatedJudgeOptions? simulator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var recorded = RecordedVerdicts(dataset);
        if (recorded.Count > 0)
        {
            var shares = dataset.Judgments.Count(j => j.Author != DilemmaDataset.Human && j.IsShare);
            var authors = recorded.Select(j => j.Author).Distinct().ToArray();
            return new ChapterJudgments(recorded, Simulated: false, Recorded: true,
                $"{recorded.Count:N0} recorded model verdicts in dataset '{dataset.Name}' ({recorded.Count(j => j.Verdict is null):N0} unreadable), " +
                $"{authors.Length} model × condition: {string.Join(", ", authors)}; no model was called" +
                (shares > 0 ? $". {shares:N0} stated-share answers are not verdicts and are compared in chapter 10." : "."));
        }
        var collection = await JudgingChapters.CollectAsync(dataset, settings, simulator: simulator).ConfigureAwait(false);
        return new ChapterJudgments(collection.Judgments, collection.Simulated, Recorded: false, collection.ToString());
    }

    /// <summary>
    /// The reference row of a simulated chapter: the same dilemmas and settings answered by the null simulator
    /// (<see cref="SimulatedJudge.Null"/>: the same cross-fitted p̂, γ = 1, no profile effect), its judgments authored
    /// <see cref="SimulatedJudge.NullName"/>. What the simulated judge shows beyond this row is what γ builds in.
    /// </summary>
    public static async Task<IReadOnlyList<Judgment>> NullSimulatorAsync(DilemmaDataset dataset, JudgingSettings settings, SimulatedJudgeOptions? simulator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var collection = await JudgingChapters.CollectAsync(dataset, settings, simulator: simulator, label: "Null simulator", nullSimulator: true).ConfigureAwait(false);
        return collection.Judgments.Select(j => j with { Author = SimulatedJudge.NullName }).ToArray();
    }

    /// <summary>
    /// Per-dilemma shares for every model in <paramref name="modelJudgments"/> (and the council when there are
    /// several models and <paramref name="council"/>), over the dilemmas that have both human verdicts and model verdicts.
    /// </summary>
    public static IReadOnlyList<DilemmaGap> PerDilemma(DilemmaDataset dataset, IEnumerable<Judgment> modelJudgments, bool council = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(modelJudgments);
        var human = dataset.Distributions().Where(d => d.N > 0).ToDictionary(d => d.DilemmaId);
        var models = VerdictDistribution.FromJudgments(modelJudgments.Where(j => j.Author != DilemmaDataset.Human)).Where(d => d.N > 0).ToList();
        var rows = new List<DilemmaGap>();
        foreach (var m in models)
            if (human.TryGetValue(m.DilemmaId, out var h)) rows.Add(Row(dataset, h, m));
        var modelNames = models.Select(m => m.Author).Distinct().ToList();
        if (modelNames.Count > 1 && council)
            foreach (var g in models.Where(m => human.ContainsKey(m.DilemmaId)).GroupBy(m => m.DilemmaId))
            {
                var pooled = new VerdictDistribution(g.Key, Council, g.Sum(x => x.Acceptable), g.Sum(x => x.Unacceptable));
                rows.Add(Row(dataset, human[g.Key], pooled));
            }
        return rows;
    }

    private static DilemmaGap Row(DilemmaDataset dataset, VerdictDistribution h, VerdictDistribution m) =>
        new(h.DilemmaId, dataset[h.DilemmaId].Title is { Length: > 0 } title ? title : h.DilemmaId, m.Author, h.N, m.N, h.P, m.P, h.Consensus,
            Alignment.AbsoluteGap(m.P, h.P), Alignment.JensenShannonDistance(m.P, h.P));

    /// <summary>Finding 1 per model: gap by consensus bin with CIs, the noise floor per bin, r and JS distance.</summary>
    public static IReadOnlyList<ModelGap> ByModel(IReadOnlyList<DilemmaGap> rows, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var result = new List<ModelGap>();
        foreach (var g in rows.GroupBy(r => r.Model))
        {
            var list = g.ToList();
            var pm = list.Select(r => r.PModel).ToArray();
            var ph = list.Select(r => r.PHuman).ToArray();
            var bins = Alignment.GapByConsensus(pm, ph, seed: seed);
            var floors = NoiseFloor.ByConsensusBin(ph, list.Select(r => r.HumanVotes).ToArray(), list.Select(r => r.ModelSamples).ToArray());
            var meanFloor = list.Average(r => NoiseFloor.Expected(r.PHuman, r.HumanVotes, r.ModelSamples));
            result.Add(new ModelGap(g.Key, bins, floors, list.Average(r => r.AbsoluteGap), meanFloor,
                list.Count > 2 ? Alignment.PearsonR(pm, ph) : double.NaN, list.Average(r => r.JensenShannon)));
        }
        return result;
    }

    /// <summary>Mean |Δp| per human consensus bin for each model, with 95% bootstrap CIs and the noise floor dashed.</summary>
    public static ChartSpec GapByConsensusFigure(IReadOnlyList<ModelGap> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models.Count == 0) throw new ArgumentException("No model results to draw.", nameof(models));
        var labels = models[0].Bins.Select(b => b.Label).ToArray();
        var xs = Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray();
        var series = new List<ChartSeries>();
        foreach (var m in models)
            series.Add(new ChartSeries(m.Model, xs, m.Bins.Select(b => b.MeanAbsoluteGap).ToArray(), SeriesKind.Line,
                Hover: m.Bins.Select(b => $"{m.Model}<br>{b.Dilemmas} dilemmas<br>mean |Δp| {b.MeanAbsoluteGap:0.000}").ToArray(),
                Low: m.Bins.Select(b => b.CiLower).ToArray(), High: m.Bins.Select(b => b.CiUpper).ToArray()));
        series.Add(new ChartSeries("noise floor (same p, binomial)", xs, models[0].NoiseFloor.ToArray(), SeriesKind.DashedLine, Color: "#6b7280"));
        return new ChartSpec("Mean |Δp| by human consensus bin, each model against the noise floor", "human consensus bin", "mean |p_model − p_human|",
            series, Categories: labels, YRange: (0, Math.Max(0.5, series.SelectMany(s => s.High ?? s.Y).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.1)));
    }

    /// <summary>Per-dilemma scatter of p_model against p_human for one model, the diagonal marking agreement.</summary>
    public static ChartSpec Scatter(IReadOnlyList<DilemmaGap> rows, string model)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var list = rows.Where(r => r.Model == model).ToList();
        return new ChartSpec($"Per-dilemma verdict shares: {model} vs people", "p_human (share UNACCEPTABLE)", "p_model (share UNACCEPTABLE)",
            [
                new ChartSeries("dilemmas", list.Select(r => r.PHuman).ToArray(), list.Select(r => r.PModel).ToArray(),
                    Hover: list.Select(r => $"{System.Net.WebUtility.HtmlEncode(r.Title)}<br>{r.HumanVotes} votes, {r.ModelSamples} samples<br>p_human {r.PHuman:0.00}, p_model {r.PModel:0.00}").ToArray()),
                new ChartSeries("agreement", [0, 1], [0, 1], SeriesKind.DashedLine, Color: "#6b7280"),
            ],
            XRange: (-0.02, 1.02), YRange: (-0.02, 1.02), Width: 620, Height: 560);
    }
}
