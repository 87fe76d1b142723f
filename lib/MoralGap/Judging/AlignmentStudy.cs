using System.Globalization;
using System.Text;
using System.Text.Json;
using MoralGap.Data;

namespace MoralGap.Judging;

/// <summary>Settings of <see cref="AlignmentStudy.Compute(AlignmentTally, AlignmentOptions?)"/> (the <c>alignment</c> verb's options).</summary>
public sealed record AlignmentOptions
{
    /// <summary>Models to report (null: every model in the data, in order of appearance).</summary>
    public IReadOnlyList<string>? Models { get; init; }
    /// <summary>The condition every other condition is compared with (default <c>vanilla</c>, the plain prompt).</summary>
    public string Baseline { get; init; } = Judgment.Vanilla;
    /// <summary>TOST margin of Δr (default 0.05, the independent replication's).</summary>
    public double MarginR { get; init; } = 0.05;
    /// <summary>TOST margin of Δ mean |Δp| (default 0.02: two percentage points).</summary>
    public double MarginGap { get; init; } = 0.02;
    /// <summary>Bootstrap replicates (default 2,000).</summary>
    public int Replicates { get; init; } = 2000;
    /// <summary>Seed of every resampling (each row and pair draws from its own stream derived from it and its names).</summary>
    public int Seed { get; init; } = 1;
    /// <summary>Confidence level of the intervals (default 0.95). TOST always uses α = 0.05 (the 90% interval).</summary>
    public double Level { get; init; } = 0.95;
    /// <summary>Consensus bin edges (default 0.5, 0.6, …, 1.0).</summary>
    public IReadOnlyList<double>? BinEdges { get; init; }

    /// <summary>Checks the settings; the message says which is wrong.</summary>
    /// <exception cref="ArgumentException">A setting out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Baseline);
        if (!(MarginR > 0)) throw new ArgumentOutOfRangeException(nameof(MarginR), MarginR, "The Δr margin must be positive.");
        if (!(MarginGap > 0)) throw new ArgumentOutOfRangeException(nameof(MarginGap), MarginGap, "The Δ mean |Δp| margin must be positive.");
        if (Replicates < 2) throw new ArgumentOutOfRangeException(nameof(Replicates), Replicates, "Need at least 2 bootstrap replicates.");
        if (!(Level > 0 && Level < 1)) throw new ArgumentOutOfRangeException(nameof(Level), Level, "Level must lie in (0, 1).");
    }
}

/// <summary>One model in one condition against people.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Kind">Verdicts or stated shares.</param>
/// <param name="Dilemmas">Dilemmas with a human p and at least one readable answer.</param>
/// <param name="Answers">Readable answers over all dilemmas of the dataset.</param>
/// <param name="Failures">Recorded failures (unreadable answers).</param>
/// <param name="MeanAbsGap">Mean |p_model − p_human| over <paramref name="Dilemmas"/>, with its 95% bootstrap interval over dilemmas.</param>
/// <param name="PearsonR">Pearson r of model p with human p over dilemmas, with its interval.</param>
/// <param name="NoiseFloor">
/// The gap a model that knew every dilemma's p would still show, for the actual counts: mean over dilemmas of
/// E|k₁/n₁ − k₂/n₂| (verdicts: n₁ the model's readable samples, n₂ the human votes) or E|k/n₂ − p| (stated shares).
/// </param>
public sealed record AlignmentRow(string Model, string Condition, AnswerKind Kind, int Dilemmas, long Answers, long Failures,
    Estimate MeanAbsGap, Estimate PearsonR, double NoiseFloor);

/// <summary>One condition against the baseline of the same model, paired over the dilemmas both have.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Condition">The condition.</param>
/// <param name="Baseline">The baseline condition.</param>
/// <param name="Comparison">The paired statistics (Δ mean |Δp|, Δr, relative reduction, TOST).</param>
public sealed record AlignmentPair(string Model, string Condition, string Baseline, PairedStatistics.PairedComparison Comparison);

/// <summary>Mean |Δp| of one model and condition in one bin of human consensus, beside the noise floor there.</summary>
/// <param name="Model">Model name.</param>
/// <param name="Condition">Condition name.</param>
/// <param name="Bin">Bin label, e.g. <c>[0.5,0.6)</c>.</param>
/// <param name="Dilemmas">Dilemmas in the bin with a model p.</param>
/// <param name="MeanAbsGap">Mean |Δp| in the bin (NaN when empty).</param>
/// <param name="NoiseFloor">Mean noise floor of the bin's dilemmas (NaN when empty).</param>
public sealed record AlignmentBin(string Model, string Condition, string Bin, int Dilemmas, double MeanAbsGap, double NoiseFloor);

/// <summary>The whole comparison: per-condition rows, paired comparisons with the baseline, and the gap by consensus bin.</summary>
/// <param name="Options">The settings used.</param>
/// <param name="HumanDilemmas">Dilemmas with human votes.</param>
/// <param name="Rows">One per model × condition.</param>
/// <param name="Paired">One per model × non-baseline condition (none for a model without the baseline).</param>
/// <param name="ByBin">One per model × condition × consensus bin.</param>
/// <param name="Notes">What the reader should know (a model without the baseline, a condition too small to compare).</param>
public sealed record AlignmentReport(AlignmentOptions Options, int HumanDilemmas, IReadOnlyList<AlignmentRow> Rows,
    IReadOnlyList<AlignmentPair> Paired, IReadOnlyList<AlignmentBin> ByBin, IReadOnlyList<string> Notes)
{
    /// <summary>
    /// The report as one JSON object <c>{"rows": [...], "paired": [...], "byBin": [...]}</c> with the field names of the
    /// <c>alignment --json</c> verb (NaN written as null; beyond those: each paired object's <c>dilemmas</c>, <c>tostPR</c>
    /// and <c>tostPGap</c>, and a top-level <c>notes</c> array).
    /// </summary>
    public string ToJson(bool indented = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("rows");
            foreach (var r in Rows)
            {
                w.WriteStartObject();
                w.WriteString("model", r.Model); w.WriteString("condition", r.Condition);
                w.WriteString("kind", r.Kind == AnswerKind.Share ? "share" : "verdict");
                w.WriteNumber("dilemmas", r.Dilemmas); w.WriteNumber("answers", r.Answers); w.WriteNumber("failures", r.Failures);
                Num(w, "meanAbsGap", r.MeanAbsGap.Value); Num(w, "meanAbsGapLow", r.MeanAbsGap.Low); Num(w, "meanAbsGapHigh", r.MeanAbsGap.High);
                Num(w, "pearsonR", r.PearsonR.Value); Num(w, "pearsonRLow", r.PearsonR.Low); Num(w, "pearsonRHigh", r.PearsonR.High);
                Num(w, "noiseFloor", r.NoiseFloor);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("paired");
            foreach (var p in Paired)
            {
                var c = p.Comparison;
                w.WriteStartObject();
                w.WriteString("model", p.Model); w.WriteString("condition", p.Condition); w.WriteString("baseline", p.Baseline);
                w.WriteNumber("dilemmas", c.Dilemmas);
                Num(w, "deltaMeanAbsGap", c.DeltaMeanAbsGap.Value); Num(w, "deltaMeanAbsGapLow", c.DeltaMeanAbsGap.Low); Num(w, "deltaMeanAbsGapHigh", c.DeltaMeanAbsGap.High);
                Num(w, "deltaR", c.DeltaR.Value); Num(w, "deltaRLow", c.DeltaR.Low); Num(w, "deltaRHigh", c.DeltaR.High);
                Num(w, "relativeReduction", c.RelativeReduction.Value); Num(w, "relativeReductionLow", c.RelativeReduction.Low); Num(w, "relativeReductionHigh", c.RelativeReduction.High);
                w.WriteBoolean("equivalentR", c.TostR.Equivalent); w.WriteBoolean("equivalentGap", c.TostGap.Equivalent);
                Num(w, "tostPR", c.TostR.P); Num(w, "tostPGap", c.TostGap.P);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("byBin");
            foreach (var b in ByBin)
            {
                w.WriteStartObject();
                w.WriteString("model", b.Model); w.WriteString("condition", b.Condition); w.WriteString("bin", b.Bin);
                w.WriteNumber("dilemmas", b.Dilemmas); Num(w, "meanAbsGap", b.MeanAbsGap); Num(w, "noiseFloor", b.NoiseFloor);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("notes");
            foreach (var n in Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());

        static void Num(Utf8JsonWriter w, string name, double v)
        {
            if (double.IsFinite(v)) w.WriteNumber(name, Math.Round(v, 6)); else w.WriteNull(name);
        }
    }

    /// <summary>The report as plain-text tables for people.</summary>
    public override string ToString()
    {
        var ci = string.Create(CultureInfo.InvariantCulture, $"{Options.Level * 100:0.#}%");
        var s = new StringBuilder();
        s.AppendLine(Inv($"People: {HumanDilemmas} dilemmas with votes. Intervals: {ci} percentile bootstrap over dilemmas, {Options.Replicates} replicates, seed {Options.Seed}."));
        s.AppendLine();
        s.AppendLine("Per model and condition (p = share of UNACCEPTABLE among readable verdicts, or mean stated share):");
        s.AppendLine(Inv($"{"model",-16} {"condition",-16} {"kind",-7} {"dilemmas",8} {"answers",8} {"failures",8}  {"mean |Δp| [CI]",-24} {"Pearson r [CI]",-24} {"noise floor",11}"));
        foreach (var r in Rows)
            s.AppendLine(Inv($"{r.Model,-16} {r.Condition,-16} {(r.Kind == AnswerKind.Share ? "share" : "verdict"),-7} {r.Dilemmas,8} {r.Answers,8} {r.Failures,8}  {r.MeanAbsGap,-24} {r.PearsonR,-24} {r.NoiseFloor,11:0.000}"));
        if (Paired.Count > 0)
        {
            s.AppendLine();
            s.AppendLine(Inv($"Each condition against '{Options.Baseline}', paired over the same dilemmas (Δ = condition − baseline; reduction = (gap_base − gap_cond) / gap_base;"));
            s.AppendLine(Inv($"TOST at α = 0.05: equivalent when the 90% interval of Δ lies inside ±{Options.MarginR} for r and ±{Options.MarginGap} for mean |Δp|):"));
            s.AppendLine(Inv($"{"model",-16} {"condition",-16} {"dilemmas",8}  {"Δ mean |Δp| [CI]",-26} {"reduction [CI]",-26} {"Δr [CI]",-26} {"≡ r",-5} {"≡ gap",-5}"));
            foreach (var p in Paired)
            {
                var c = p.Comparison;
                s.AppendLine(Inv($"{p.Model,-16} {p.Condition,-16} {c.Dilemmas,8}  {c.DeltaMeanAbsGap,-26} {c.RelativeReduction,-26} {c.DeltaR,-26} {(c.TostR.Equivalent ? "yes" : "no"),-5} {(c.TostGap.Equivalent ? "yes" : "no"),-5}"));
            }
        }
        if (ByBin.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("Mean |Δp| by human consensus bin (noise floor in parentheses; n = dilemmas):");
            var bins = ByBin.Select(b => b.Bin).Distinct().ToArray();
            s.AppendLine(Inv($"{"model",-16} {"condition",-16} ") + string.Join(" ", bins.Select(b => $"{b,-22}")));
            foreach (var g in ByBin.GroupBy(b => (b.Model, b.Condition)))
                s.AppendLine(Inv($"{g.Key.Model,-16} {g.Key.Condition,-16} ") +
                    string.Join(" ", g.Select(b => b.Dilemmas == 0 ? $"{"—",-22}" : Inv($"{b.MeanAbsGap:0.000} ({b.NoiseFloor:0.000}) n={b.Dilemmas,-4}").PadRight(22))));
        }
        foreach (var n in Notes) s.AppendLine("Note: " + n);
        return s.ToString();
    }

    private static string Inv(FormattableString f) => f.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Human–model alignment of recorded or collected judgments, per model and condition, and each condition against a
/// baseline (the comparison statistics of Finding 1 and Finding 3, done as a methods reviewer would ask): model p per
/// dilemma, mean |Δp| and Pearson r with bootstrap intervals, the binomial noise floor for the actual counts, the gap by
/// consensus bin, and paired comparisons with the baseline (Δ mean |Δp|, Δr, the relative reduction, TOST).
/// </summary>
public static class AlignmentStudy
{
    /// <summary>Reads a dataset folder (streaming) and computes the report.</summary>
    public static AlignmentReport Compute(string folder, AlignmentOptions? options = null) => Compute(AlignmentTally.Read(folder), options);

    /// <summary>Computes the report from tallied judgments.</summary>
    public static AlignmentReport Compute(AlignmentTally tally, AlignmentOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(tally);
        options ??= new AlignmentOptions();
        options.Validate();
        var edges = options.BinEdges ?? Alignment.DefaultBinEdges;
        ConsensusBins.CheckEdges(edges, nameof(options.BinEdges));
        var labels = ConsensusBins.Labels(edges);
        var pHuman = tally.HumanP();
        var humanDilemmas = pHuman.Count(p => !double.IsNaN(p));
        if (humanDilemmas == 0) throw new InvalidOperationException("No dilemma has human votes: nothing to compare the models with.");
        var models = options.Models ?? tally.Models;
        foreach (var m in models)
            if (!tally.Models.Contains(m))
                throw new ArgumentException($"No judgments by '{m}' in the data (models present: {string.Join(", ", tally.Models)}).", nameof(options));
        var rows = new List<AlignmentRow>();
        var pairs = new List<AlignmentPair>();
        var bins = new List<AlignmentBin>();
        var notes = new List<string>();
        var floorCache = new Dictionary<(double, int, int), double>();
        foreach (var model in models)
        {
            var conditions = tally.Conditions.Where(c => c.Model == model).Select(c => c.Condition).ToArray();
            foreach (var condition in conditions)
            {
                var cells = tally.CellsOf(model, condition);
                var kind = tally.KindOf(model, condition);
                var used = Enumerable.Range(0, cells.Count).Where(i => cells[i].Answers > 0 && !double.IsNaN(pHuman[i])).ToArray();
                long answers = cells.Sum(c => (long)c.Answers), failures = cells.Sum(c => (long)c.Failures);
                if (used.Length < 3)
                {
                    notes.Add($"{model} / {condition}: only {used.Length} dilemma(s) with both a model p and human votes; no statistics.");
                    continue;
                }
                var pm = used.Select(i => cells[i].P).ToArray();
                var ph = used.Select(i => pHuman[i]).ToArray();
                var floors = used.Select(i => Floor(pHuman[i], kind, cells[i].Answers, tally.HumanN[i], floorCache)).ToArray();
                var (gap, r) = PairedStatistics.GapAndCorrelation(pm, ph, options.Replicates, StreamSeed(options.Seed, model, condition), options.Level);
                rows.Add(new AlignmentRow(model, condition, kind, used.Length, answers, failures, gap, r, floors.Average()));
                var binOf = ph.Select(p => ConsensusBins.IndexOf(Alignment.Consensus(p), edges)).ToArray();
                for (var b = 0; b < labels.Length; b++)
                {
                    var inBin = Enumerable.Range(0, ph.Length).Where(i => binOf[i] == b).ToArray();
                    bins.Add(new AlignmentBin(model, condition, labels[b], inBin.Length,
                        inBin.Length == 0 ? double.NaN : inBin.Average(i => Math.Abs(pm[i] - ph[i])),
                        inBin.Length == 0 ? double.NaN : inBin.Average(i => floors[i])));
                }
            }
            if (!conditions.Contains(options.Baseline))
            {
                if (conditions.Length > 1) notes.Add($"{model} has no '{options.Baseline}' condition: no paired comparisons (conditions: {string.Join(", ", conditions)}).");
                continue;
            }
            var baseCells = tally.CellsOf(model, options.Baseline);
            foreach (var condition in conditions.Where(c => c != options.Baseline))
            {
                var cells = tally.CellsOf(model, condition);
                var both = Enumerable.Range(0, cells.Count).Where(i => cells[i].Answers > 0 && baseCells[i].Answers > 0 && !double.IsNaN(pHuman[i])).ToArray();
                if (both.Length < 3)
                {
                    notes.Add($"{model} / {condition}: only {both.Length} dilemma(s) shared with '{options.Baseline}'; not compared.");
                    continue;
                }
                var cmp = PairedStatistics.Paired(both.Select(i => cells[i].P).ToArray(), both.Select(i => baseCells[i].P).ToArray(),
                    both.Select(i => pHuman[i]).ToArray(), options.MarginR, options.MarginGap, options.Replicates,
                    StreamSeed(options.Seed, model, condition + "\u0001" + options.Baseline), options.Level);
                pairs.Add(new AlignmentPair(model, condition, options.Baseline, cmp));
            }
        }
        return new AlignmentReport(options, humanDilemmas, rows, pairs, bins, notes);
    }

    /// <summary>The noise floor of one dilemma for the kind of answer and the actual counts (see <see cref="AlignmentRow.NoiseFloor"/>).</summary>
    private static double Floor(double pHuman, AnswerKind kind, int modelN, int humanN, Dictionary<(double, int, int), double> cache)
    {
        var key = (pHuman, kind == AnswerKind.Share ? 0 : modelN, humanN);
        if (!cache.TryGetValue(key, out var f))
            cache[key] = f = kind == AnswerKind.Share ? NoiseFloor.ExpectedOneSided(pHuman, humanN) : NoiseFloor.Expected(pHuman, modelN, humanN);
        return f;
    }

    /// <summary>
    /// A seed for one row's or pair's resampling, from the run's seed and the names (FNV-1a over UTF-16 code units:
    /// stable across processes and platforms, unlike string.GetHashCode), so adding a model does not change another's intervals.
    /// </summary>
    public static int StreamSeed(int seed, string model, string condition)
    {
        unchecked
        {
            uint h = 2166136261;
            void Mix(uint x) { h ^= x; h *= 16777619; }
            Mix((uint)seed); Mix((uint)(seed >> 16));
            foreach (var ch in model) Mix(ch);
            Mix(0xFFFF);
            foreach (var ch in condition) Mix(ch);
            return (int)(h & 0x7FFFFFFF);
        }
    }
}
