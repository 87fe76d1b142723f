namespace MoralGap.Data;

/// <summary>The dilemmas and judgments an importer kept, and its <see cref="FilterReport"/>.</summary>
/// <param name="Dilemmas">Kept dilemmas, in input order.</param>
/// <param name="Judgments">Kept judgments, grouped by dilemma in input order; SampleIndex counts per (dilemma, author).</param>
/// <param name="Report">What was read, kept and dropped, and why.</param>
public sealed record ImportResult(IReadOnlyList<Dilemma> Dilemmas, IReadOnlyList<Judgment> Judgments, FilterReport Report)
{
    /// <summary>The result as a <see cref="DilemmaDataset"/> (ready to <see cref="DilemmaDataset.Save"/>).</summary>
    public DilemmaDataset ToDataset(string name = "imported", string? description = null) =>
        new(Dilemmas, Judgments, name, description ?? $"Imported from {Report.Format}: {string.Join(", ", Report.Files.Select(Path.GetFileName))}");

    /// <inheritdoc/>
    public override string ToString() => Report.ToString();
}

/// <summary>
/// Shared bookkeeping of the importers: dilemma checks (duplicate id, text bounds), label mapping, the minimum number
/// of judgments, seeded subsampling and the accounting in <see cref="FilterReport"/>.
/// </summary>
internal sealed class ImportBuilder
{
    private readonly ImportOptions _o;
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);

    private sealed record Entry(Dilemma Dilemma, string At, List<Judgment> Judgments);

    public ImportBuilder(string format, ImportOptions options, IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        Report = new FilterReport(format);
        Report.Files.AddRange(files);
    }

    public FilterReport Report { get; }
    public ImportOptions Options => _o;

    public bool Has(string id) => _byId.ContainsKey(id);
    public bool WasDropped(string id) => _dropped.Contains(id);

    /// <summary>Counts a candidate dilemma (with <paramref name="judgments"/> candidate judgments) and keeps it if it passes.</summary>
    public bool TryAddDilemma(string id, string title, string text, string source, string at, long judgments = 0)
    {
        Report.DilemmasRead++;
        Report.JudgmentsRead += judgments;
        string? reason = null;
        if (string.IsNullOrWhiteSpace(id)) reason = "empty id";
        else if (_byId.ContainsKey(id) || _dropped.Contains(id)) reason = "duplicate id";
        else if (text.Trim().Length == 0) reason = "empty text";
        else if (text.Trim().Length < _o.MinTextLength) reason = $"text shorter than {_o.MinTextLength} chars";
        else if (text.Length > _o.MaxTextLength) reason = $"text longer than {_o.MaxTextLength:N0} chars";
        if (reason is not null)
        {
            Drop(id, reason, at, judgments);
            return false;
        }
        var e = new Entry(new Dilemma(id, title.Trim(), text.Trim(), source), at, []);
        _entries.Add(e);
        _byId[id] = e;
        return true;
    }

    /// <summary>Counts a candidate dilemma that failed before it could be checked, with its candidate judgments.</summary>
    public void Drop(string? id, string reason, string at, long judgments = 0, bool counted = true)
    {
        if (!counted) { Report.DilemmasRead++; Report.JudgmentsRead += judgments; }
        Report.DropDilemma(reason, at);
        Report.DropJudgments("dilemma dropped: " + reason, at, judgments);
        if (!string.IsNullOrEmpty(id) && !_byId.ContainsKey(id)) _dropped.Add(id);
    }

    /// <summary>
    /// Adds <paramref name="count"/> judgments with a canonical label to a kept dilemma. INFO (and ESH/NAH when their
    /// mapping is null) is dropped and counted. Candidates must have been counted in JudgmentsRead by the caller.
    /// </summary>
    public void AddJudgments(string dilemmaId, string author, string label, string rationale, string at, int count = 1)
    {
        var verdict = AitaLabels.ToVerdict(label, _o);
        if (verdict is null)
        {
            Report.DropJudgments(label == "INFO" ? "INFO (no binary verdict)" : $"{label} (mapped to no verdict)", at, count);
            return;
        }
        var list = _byId[dilemmaId].Judgments;
        for (var i = 0; i < count; i++) list.Add(new Judgment(dilemmaId, author, label, verdict, rationale, 0));
    }

    /// <summary>Applies the minimum and the subsampling, renumbers SampleIndex and closes the report.</summary>
    public ImportResult Finish()
    {
        var dilemmas = new List<Dilemma>();
        var judgments = new List<Judgment>();
        var human = _o.HumanAuthor;
        var need = Math.Max(_o.MinJudgments, _o.Subsample ?? 0);
        foreach (var e in _entries)
        {
            var humanCount = e.Judgments.Count(j => j.Author == human);
            if (humanCount < need)
            {
                var why = _o.Subsample is { } k && k > _o.MinJudgments
                    ? $"fewer than {need} human judgments (subsample size)" : $"fewer than {need} human judgments";
                Report.DropDilemma(why, $"{e.At} ({humanCount})");
                Report.DropJudgments("dilemma dropped: " + why, e.At, e.Judgments.Count);
                continue;
            }
            var kept = e.Judgments;
            if (_o.Subsample is { } size && humanCount > size)
            {
                var humans = e.Judgments.Where(j => j.Author == human).ToList();
                var chosen = ChooseIndices(humans.Count, size, SubsampleSeed(_o.Seed, e.Dilemma.Id));
                var keep = new HashSet<Judgment>(ReferenceEqualityComparer.Instance);
                foreach (var i in chosen) keep.Add(humans[i]);
                kept = e.Judgments.Where(j => j.Author != human || keep.Contains(j)).ToList();
                Report.DropJudgments($"subsampled away (kept {size} per dilemma)", e.At, e.Judgments.Count - kept.Count);
            }
            dilemmas.Add(e.Dilemma);
            var next = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var j in kept)
            {
                var idx = next.GetValueOrDefault(j.Author);
                next[j.Author] = idx + 1;
                judgments.Add(j with { SampleIndex = idx });
            }
        }
        Report.DilemmasKept = dilemmas.Count;
        Report.JudgmentsKept = judgments.Count;
        return new ImportResult(dilemmas, judgments, Report);
    }

    /// <summary>k distinct indices of 0..n−1, in increasing order (partial Fisher–Yates with System.Random(seed)).</summary>
    internal static int[] ChooseIndices(int n, int k, int seed)
    {
        var rng = new Random(seed);
        var a = Enumerable.Range(0, n).ToArray();
        for (var i = 0; i < k; i++)
        {
            var j = rng.Next(i, n);
            (a[i], a[j]) = (a[j], a[i]);
        }
        var chosen = a[..k];
        Array.Sort(chosen);
        return chosen;
    }

    /// <summary>A per-dilemma seed from the run seed and a stable (FNV-1a) hash of the id, so a dilemma's draw does not depend on the others.</summary>
    internal static int SubsampleSeed(int seed, string id)
    {
        unchecked
        {
            var h = 2166136261u ^ (uint)seed;
            foreach (var c in id) { h ^= c; h *= 16777619u; }
            return (int)(h & 0x7FFFFFFF);
        }
    }
}
