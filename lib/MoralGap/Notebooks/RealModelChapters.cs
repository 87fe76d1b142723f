using System.Globalization;
using MoralGap.Data;
using MoralGap.Judging;

namespace MoralGap.Notebooks;

/// <summary>A Pearson r an earlier study published, beside the one computed here from the same files.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Published">The published r.</param>
/// <param name="Ours">The r computed here (NaN when the model or condition is absent).</param>
public sealed record PublishedComparison(string Model, string Condition, double Published, double Ours)
{
    /// <summary>True when both round to the same three decimals.</summary>
    public bool Matches => Math.Round(Published, 3) == Math.Round(Ours, 3);
}

/// <summary>
/// The glue of chapter 10 (real models on real dilemmas): build a dataset folder from a study's released human votes
/// and judgment logs, compute <see cref="AlignmentStudy"/>, and draw Finding 1 and Finding 3 from it.
/// </summary>
public static class RealModelChapters
{
    /// <summary>
    /// Per-model Pearson r of the per-post model p with the human p on 150 Scruples posts, as published by the
    /// independent replication that released the GPT-4o and Llama 70B logs (github sdananya/judge-geometry-dmp).
    /// Shown beside ours as a check that the files are read as that study read them; nothing here is fitted to them.
    /// </summary>
    public static IReadOnlyList<(string Model, string Condition, double R)> ReplicationPublishedR { get; } =
    [
        ("gpt-4o", "vanilla", 0.481), ("gpt-4o", "dmp_empirical", 0.469), ("gpt-4o", "random_persona", 0.485), ("gpt-4o", "elicit", 0.553),
        ("llama70b", "vanilla", 0.425), ("llama70b", "dmp_empirical", 0.368), ("llama70b", "random_persona", 0.414), ("llama70b", "elicit", 0.450),
    ];

    /// <summary>
    /// Parses a <c>Judgments</c> parameter: comma-separated <c>model=path</c> items (a bare path takes the file's name
    /// without extension as the model), paths relative to the repository root.
    /// </summary>
    public static IReadOnlyList<(string Model, string Path)> ParseLogs(string judgments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(judgments);
        var logs = new List<(string, string)>();
        foreach (var item in judgments.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = item.IndexOf('=');
            var path = Repo.Path(eq > 0 ? item[(eq + 1)..].Trim() : item);
            var model = eq > 0 ? item[..eq].Trim() : System.IO.Path.GetFileNameWithoutExtension(path);
            logs.Add((model, path));
        }
        if (logs.Select(l => l.Item1).Distinct(StringComparer.Ordinal).Count() != logs.Count)
            throw new ArgumentException($"Each log needs its own model name: {judgments}", nameof(judgments));
        return logs;
    }

    /// <summary>
    /// Builds (or rebuilds) <c>artifacts/datasets/&lt;votes name&gt;-recorded</c>: the human votes (a Scruples vote-count
    /// CSV, imported as <c>scruples-votes</c>, every post kept; or an existing dataset folder, copied) and every judgment
    /// log of <paramref name="judgments"/> (<see cref="ParseLogs"/>; <c>.csv</c> logs as recorded-csv, others as
    /// recorded-jsonl). Returns the folder and what each import did.
    /// </summary>
    public static (string Folder, FilterReport? Votes, IReadOnlyList<RecordedImportReport> Logs) Build(string votes, string judgments)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(votes);
        var votesPath = Repo.Path(votes);
        var logs = ParseLogs(judgments);
        foreach (var (model, path) in logs)
            if (!File.Exists(path))
                throw new FileNotFoundException($"Judgment log of '{model}' not found: {path}. This chapter reads a study's released files " +
                    "(by default the judge-geometry files in ../shared/data beside the repository); set Votes and Judgments to your own.", path);
        var name = System.IO.Path.GetFileNameWithoutExtension(votesPath.TrimEnd('/', '\\')) + "-recorded";
        var folder = Repo.Path(System.IO.Path.Combine("artifacts", "datasets", name));
        FilterReport? report = null;
        if (Directory.Exists(votesPath))
        {
            var source = DilemmaDataset.Load(votesPath);
            new DilemmaDataset(source.Dilemmas, source.Judgments.Where(j => j.Author == DilemmaDataset.Human), name, source.Description).Save(folder);
        }
        else
        {
            if (!File.Exists(votesPath))
                throw new FileNotFoundException($"Human votes not found: {votesPath}. This chapter reads a study's released files " +
                    "(by default the judge-geometry files in ../shared/data beside the repository); set Votes and Judgments to your own.", votesPath);
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            report = Importers.ImportTo(folder, ImportFormat.ScruplesVotes, [votesPath], ImportOptions.KeepAll, name).Report;
        }
        var reports = logs.Select(l => RecordedJudgments.ImportInto(folder, l.Path,
            l.Path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? RecordedFormat.Csv : RecordedFormat.Jsonl, l.Model, replace: true)).ToArray();
        return (folder, report, reports);
    }

    /// <summary>Our r beside each published one (for the models and conditions both have).</summary>
    public static IReadOnlyList<PublishedComparison> CompareWithPublished(AlignmentReport report, IEnumerable<(string Model, string Condition, double R)>? published = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return (published ?? ReplicationPublishedR)
            .Where(p => report.Rows.Any(r => r.Model == p.Model))
            .Select(p => new PublishedComparison(p.Model, p.Condition, p.R,
                report.Rows.FirstOrDefault(r => r.Model == p.Model && r.Condition == p.Condition)?.PearsonR.Value ?? double.NaN))
            .ToArray();
    }

    /// <summary>Finding 1 on real models: mean |Δp| by human consensus bin for each model in one condition, with the noise floor for the actual sample counts dashed.</summary>
    public static ChartSpec GapByConsensusFigure(AlignmentReport report, string condition = Judgment.Vanilla)
    {
        ArgumentNullException.ThrowIfNull(report);
        var bins = report.ByBin.Where(b => b.Condition == condition).ToArray();
        if (bins.Length == 0) throw new ArgumentException($"No rows for condition '{condition}'.", nameof(condition));
        var labels = bins.Select(b => b.Bin).Distinct().ToArray();
        var xs = Enumerable.Range(0, labels.Length).Select(i => (double)i).ToArray();
        var series = new List<ChartSeries>();
        foreach (var g in bins.GroupBy(b => b.Model))
            series.Add(new ChartSeries(g.Key, xs, g.Select(b => b.MeanAbsGap).ToArray(), SeriesKind.Line,
                Hover: g.Select(b => string.Create(CultureInfo.InvariantCulture, $"{g.Key}<br>{b.Dilemmas} dilemmas<br>mean |Δp| {b.MeanAbsGap:0.000}<br>noise floor {b.NoiseFloor:0.000}")).ToArray()));
        var floor = bins.GroupBy(b => b.Model).First().Select(b => b.NoiseFloor).ToArray();
        series.Add(new ChartSeries("noise floor (same p, binomial)", xs, floor, SeriesKind.DashedLine, Color: "#6b7280"));
        return new ChartSpec($"Real models, condition '{condition}': the gap by human consensus", "human consensus bin", "mean |p_model − p_human|",
            series, Categories: labels, YRange: (0, Math.Max(0.5, series.SelectMany(s => s.Y).Where(double.IsFinite).DefaultIfEmpty(0).Max() * 1.15)));
    }

    /// <summary>
    /// Finding 3 on real models: each condition's paired change of mean |Δp| against the baseline (negative = closer to
    /// people), per model, with its 95% paired-bootstrap interval.
    /// </summary>
    public static ChartSpec PairedFigure(AlignmentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Paired.Count == 0) throw new ArgumentException("No paired comparisons to draw.", nameof(report));
        var conditions = report.Paired.Select(p => p.Condition).Distinct().ToArray();
        var series = new List<ChartSeries>();
        foreach (var g in report.Paired.GroupBy(p => p.Model))
        {
            var byCond = conditions.Select(c => g.FirstOrDefault(p => p.Condition == c)?.Comparison).ToArray();
            series.Add(new ChartSeries(g.Key, Enumerable.Range(0, conditions.Length).Select(i => (double)i).ToArray(),
                byCond.Select(c => c?.DeltaMeanAbsGap.Value ?? double.NaN).ToArray(), SeriesKind.Bars,
                Hover: byCond.Select((c, i) => c is null ? "" : string.Create(CultureInfo.InvariantCulture,
                    $"{g.Key}, {conditions[i]}<br>Δ mean |Δp| {c.DeltaMeanAbsGap}<br>reduction {c.RelativeReduction}")).ToArray(),
                Low: byCond.Select(c => c?.DeltaMeanAbsGap.Low ?? double.NaN).ToArray(),
                High: byCond.Select(c => c?.DeltaMeanAbsGap.High ?? double.NaN).ToArray()));
        }
        var lo = series.SelectMany(s => s.Low!).Where(double.IsFinite).DefaultIfEmpty(0).Min();
        var hi = series.SelectMany(s => s.High!).Where(double.IsFinite).DefaultIfEmpty(0).Max();
        return new ChartSpec($"Each condition minus '{report.Options.Baseline}': change of mean |Δp| (paired, 95% CI)", "condition",
            "Δ mean |p_model − p_human|", series, Categories: conditions, YRange: (Math.Min(0, lo) * 1.15 - 0.01, Math.Max(0, hi) * 1.15 + 0.01));
    }

    /// <summary>Per-dilemma p_model against p_human for one model in each of its conditions (one series per condition).</summary>
    public static ChartSpec Scatter(AlignmentTally tally, string model)
    {
        ArgumentNullException.ThrowIfNull(tally);
        var ph = tally.HumanP();
        var series = new List<ChartSeries>();
        foreach (var (m, condition) in tally.Conditions.Where(c => c.Model == model))
        {
            var cells = tally.CellsOf(m, condition);
            var used = Enumerable.Range(0, cells.Count).Where(i => cells[i].Answers > 0 && !double.IsNaN(ph[i])).ToArray();
            series.Add(new ChartSeries(condition, used.Select(i => ph[i]).ToArray(), used.Select(i => cells[i].P).ToArray(),
                Hover: used.Select(i => string.Create(CultureInfo.InvariantCulture,
                    $"{tally.DilemmaIds[i]}<br>{condition}: p_model {cells[i].P:0.00} ({cells[i].Answers} answers)<br>p_human {ph[i]:0.00} ({tally.HumanN[i]} votes)")).ToArray(),
                Size: 5));
        }
        if (series.Count == 0) throw new ArgumentException($"No judgments by '{model}'.", nameof(model));
        series.Add(new ChartSeries("agreement", [0, 1], [0, 1], SeriesKind.DashedLine, Color: "#6b7280"));
        return new ChartSpec($"Per-dilemma shares: {model} vs people", "p_human (share UNACCEPTABLE)", "p_model (share UNACCEPTABLE, or mean stated share)",
            series, XRange: (-0.02, 1.02), YRange: (-0.02, 1.02), Width: 620, Height: 560);
    }

    /// <summary>
    /// What the numbers show, in plain sentences computed from the report (so they stay true on other logs): per model,
    /// how the gap moves from the lowest to the highest consensus bin against the noise floor (Finding 1), and each
    /// condition against the baseline: the reduction with its interval, whether the interval excludes zero, and the
    /// TOST verdicts (Finding 3).
    /// </summary>
    public static IReadOnlyList<string> Findings(AlignmentReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>();
        string F(double v) => v.ToString("0.000", CultureInfo.InvariantCulture);
        string Pct(double v) => (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%";
        foreach (var row in report.Rows.Where(r => r.Condition == report.Options.Baseline))
        {
            var bins = report.ByBin.Where(b => b.Model == row.Model && b.Condition == row.Condition && b.Dilemmas > 0).ToArray();
            if (bins.Length < 2) continue;
            var above = bins.Count(b => b.MeanAbsGap > b.NoiseFloor);
            lines.Add($"{row.Model}, {row.Condition}: mean |Δp| {F(row.MeanAbsGap.Value)} [{F(row.MeanAbsGap.Low)}, {F(row.MeanAbsGap.High)}] against a noise floor of {F(row.NoiseFloor)}; " +
                $"from {F(bins[0].MeanAbsGap)} at consensus {bins[0].Bin} to {F(bins[^1].MeanAbsGap)} at {bins[^1].Bin} " +
                (bins[0].MeanAbsGap > bins[^1].MeanAbsGap ? "(the gap shrinks as people agree more, as Finding 1 says)" : "(the gap does NOT shrink as people agree more, against Finding 1)") +
                $"; above the noise floor in {above} of {bins.Length} bins; r = {F(row.PearsonR.Value)} [{F(row.PearsonR.Low)}, {F(row.PearsonR.High)}].");
        }
        foreach (var p in report.Paired)
        {
            var c = p.Comparison;
            var d = c.DeltaMeanAbsGap;
            var verdict = d.High < 0 ? "closer to people than the baseline (the interval excludes zero)"
                : d.Low > 0 ? "FARTHER from people than the baseline (the interval excludes zero)"
                : "not distinguishable from the baseline on mean |Δp| (the interval includes zero)";
            lines.Add($"{p.Model}, {p.Condition} vs {p.Baseline} on {c.Dilemmas} dilemmas: Δ mean |Δp| {F(d.Value)} [{F(d.Low)}, {F(d.High)}], " +
                $"gap reduction {Pct(c.RelativeReduction.Value)} [{Pct(c.RelativeReduction.Low)}, {Pct(c.RelativeReduction.High)}]: {verdict}; " +
                $"Δr {F(c.DeltaR.Value)} [{F(c.DeltaR.Low)}, {F(c.DeltaR.High)}], " +
                (c.TostR.Equivalent ? $"equivalent to the baseline on r within ±{report.Options.MarginR}" : $"not shown equivalent on r within ±{report.Options.MarginR}") + ", " +
                (c.TostGap.Equivalent ? $"equivalent on mean |Δp| within ±{report.Options.MarginGap}." : $"not shown equivalent on mean |Δp| within ±{report.Options.MarginGap}."));
        }
        return lines;
    }
}
