using System.Text.Json;
using MoralGap.Data;

namespace MoralGap.Judging;

/// <summary>The kind of a model's answer in one condition: a binary verdict per sample, or a stated share of people.</summary>
public enum AnswerKind
{
    /// <summary>ACCEPTABLE / UNACCEPTABLE per sample; the model's p is the share of UNACCEPTABLE among its readable samples.</summary>
    Verdict,
    /// <summary>A stated share in [0, 1] per sample ("what share of people would find this unacceptable?"); the model's p is their mean.</summary>
    Share,
}

/// <summary>What one model in one condition answered on one dilemma.</summary>
/// <param name="Answers">Readable answers (verdicts, or stated shares).</param>
/// <param name="Sum">Number of UNACCEPTABLE verdicts, or the sum of the stated shares.</param>
/// <param name="Failures">Recorded failures (answers that could not be read).</param>
public readonly record struct AnswerCell(int Answers, double Sum, int Failures)
{
    /// <summary>The model's p on this dilemma: Sum / Answers (NaN without a readable answer).</summary>
    public double P => Answers == 0 ? double.NaN : Sum / Answers;
}

/// <summary>
/// The counts every alignment statistic needs, and nothing more: per dilemma the human verdict counts, and per
/// (model, condition) and dilemma the model's readable answers, their sum and its failures. Built in one streaming
/// pass over a dataset folder's <c>judgments.jsonl</c> (<see cref="Read"/>), so a million recorded judgments need
/// memory for the counts only, or from judgments in memory (<see cref="From(DilemmaDataset)"/>).
/// </summary>
public sealed class AlignmentTally
{
    private readonly Dictionary<string, int> _index;
    private readonly Dictionary<(string Model, string Condition), (AnswerKind Kind, AnswerCell[] Cells)> _models = new();
    private readonly List<(string Model, string Condition)> _order = [];

    private AlignmentTally(IReadOnlyList<string> dilemmaIds)
    {
        DilemmaIds = dilemmaIds;
        _index = new Dictionary<string, int>(dilemmaIds.Count, StringComparer.Ordinal);
        for (var i = 0; i < dilemmaIds.Count; i++)
            if (!_index.TryAdd(dilemmaIds[i], i)) throw new ArgumentException($"Duplicate dilemma id '{dilemmaIds[i]}'.", nameof(dilemmaIds));
        HumanUnacceptable = new int[dilemmaIds.Count];
        HumanN = new int[dilemmaIds.Count];
    }

    /// <summary>Dilemma ids, in dataset order; every array here is indexed alike.</summary>
    public IReadOnlyList<string> DilemmaIds { get; }
    /// <summary>Human UNACCEPTABLE verdicts per dilemma.</summary>
    public int[] HumanUnacceptable { get; }
    /// <summary>Human binary verdicts per dilemma (n).</summary>
    public int[] HumanN { get; }
    /// <summary>Judgments read in all (people and models).</summary>
    public long JudgmentsRead { get; private set; }

    /// <summary>Human p per dilemma (NaN where no person judged it).</summary>
    public double[] HumanP() => HumanN.Select((n, i) => n == 0 ? double.NaN : (double)HumanUnacceptable[i] / n).ToArray();

    /// <summary>The (model, condition) pairs present, in order of first appearance.</summary>
    public IReadOnlyList<(string Model, string Condition)> Conditions => _order;

    /// <summary>The models present, in order of first appearance.</summary>
    public IReadOnlyList<string> Models => _order.Select(o => o.Model).Distinct().ToArray();

    /// <summary>The kind of answer of a (model, condition).</summary>
    public AnswerKind KindOf(string model, string condition) => Get(model, condition).Kind;

    /// <summary>The cells of a (model, condition), one per dilemma.</summary>
    public IReadOnlyList<AnswerCell> CellsOf(string model, string condition) => Get(model, condition).Cells;

    private (AnswerKind Kind, AnswerCell[] Cells) Get(string model, string condition) =>
        _models.TryGetValue((model, condition), out var v) ? v
            : throw new KeyNotFoundException($"No judgments by '{model}' in condition '{condition}' (present: {string.Join(", ", _order.Select(o => $"{o.Model}/{o.Condition}"))}).");

    /// <summary>Adds one judgment; <paramref name="error"/> builds the error that names its place.</summary>
    private void Add(Judgment j, Func<string?, string, Exception> error)
    {
        JudgmentsRead++;
        if (!_index.TryGetValue(j.DilemmaId, out var d)) throw error("dilemmaId", $"unknown dilemma '{j.DilemmaId}'");
        if (j.Author == DilemmaDataset.Human)
        {
            if (j.Verdict is null) return;
            HumanN[d]++;
            if (j.Verdict == Verdict.Unacceptable) HumanUnacceptable[d]++;
            return;
        }
        var key = (j.Author, j.ConditionOrVanilla);
        var kind = j.IsShare ? AnswerKind.Share : AnswerKind.Verdict;
        if (!_models.TryGetValue(key, out var entry))
        {
            entry = (kind, new AnswerCell[DilemmaIds.Count]);
            _models[key] = entry;
            _order.Add(key);
        }
        else if (entry.Kind != kind)
            throw error(kind == AnswerKind.Share ? "share" : "verdict",
                $"'{j.Author}' in condition '{key.Item2}' mixes verdicts and stated shares; one condition holds one kind of answer");
        var c = entry.Cells[d];
        entry.Cells[d] = kind == AnswerKind.Share
            ? (j.Share is { } s ? c with { Answers = c.Answers + 1, Sum = c.Sum + s } : c with { Failures = c.Failures + 1 })
            : j.Verdict switch
            {
                Verdict.Unacceptable => c with { Answers = c.Answers + 1, Sum = c.Sum + 1 },
                Verdict.Acceptable => c with { Answers = c.Answers + 1 },
                _ => c with { Failures = c.Failures + 1 },
            };
    }

    /// <summary>Tallies a dataset in memory.</summary>
    public static AlignmentTally From(DilemmaDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return From(dataset.Dilemmas.Select(d => d.Id).ToArray(), dataset.Judgments);
    }

    /// <summary>Tallies judgments of the given dilemmas (a judgment of another dilemma is an error).</summary>
    public static AlignmentTally From(IReadOnlyList<string> dilemmaIds, IEnumerable<Judgment> judgments)
    {
        ArgumentNullException.ThrowIfNull(dilemmaIds); ArgumentNullException.ThrowIfNull(judgments);
        var t = new AlignmentTally(dilemmaIds);
        foreach (var j in judgments) t.Add(j, (field, reason) => new ArgumentException($"Judgment {j.Author}#{j.SampleIndex} of '{j.DilemmaId}': {reason}.", nameof(judgments)));
        return t;
    }

    /// <summary>
    /// Tallies a dataset folder in one streaming pass over <c>judgments.jsonl</c> (the dilemma ids come from
    /// <c>dilemmas.jsonl</c>). Errors name file, line and field (<see cref="DataFormatException"/>).
    /// </summary>
    public static AlignmentTally Read(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Dataset folder not found: {folder}");
        DatasetManifest.Read(folder);
        var t = new AlignmentTally(DilemmaDataset.ReadDilemmaIds(folder));
        var jPath = Path.Combine(folder, DilemmaDataset.JudgmentsFile);
        foreach (var (line, text) in TextLines.ReadLines(jPath))
        {
            Judgment? j;
            try { j = JsonSerializer.Deserialize<Judgment>(text, JsonlStore.Options); }
            catch (JsonException ex) { throw new DataFormatException(jPath, line, JsonlStore.FieldOf(ex), ex.Message, ex); }
            if (j is null) throw new DataFormatException(jPath, line, null, "null instead of an object");
            t.Add(j, (field, reason) => new DataFormatException(jPath, line, field, reason));
        }
        return t;
    }
}
