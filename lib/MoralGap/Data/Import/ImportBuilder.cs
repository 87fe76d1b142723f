namespace MoralGap.Data;

/// <summary>The dilemmas and judgments an importer kept, and its <see cref="FilterReport"/>.</summary>
/// <param name="Dilemmas">Kept dilemmas, in input order.</param>
/// <param name="Judgments">Kept judgments, grouped by dilemma in input order; SampleIndex counts per (dilemma, author).</param>
/// <param name="Report">What was read, kept and dropped, and why.</param>
public sealed record ImportResult(IReadOnlyList<Dilemma> Dilemmas, IReadOnlyList<Judgment> Judgments, FilterReport Report)
{
    /// <summary>The result as a <see cref="DilemmaDataset"/> (ready to <see cref="DilemmaDataset.Save"/>).</summary>
    public DilemmaDataset ToDataset(string name = "imported", string? description = null) =>
        new(Dilemmas, Judgments, name, description ?? ImportBuilder.Describe(Report));

    /// <inheritdoc/>
    public override string ToString() => Report.ToString();
}

/// <summary>
/// What <see cref="Importers.ImportTo(string, ImportFormat, IReadOnlyList{string}, ImportOptions?, string?, IProgress{ImportProgress}?)"/>
/// wrote: the filter report, the dataset folder and the human verdict distribution of every kept dilemma (so the
/// caller can show consensus bins without loading the judgments).
/// </summary>
/// <param name="Report">What was read, kept and dropped, and why.</param>
/// <param name="Folder">The dataset folder written (full path).</param>
/// <param name="Human">Per kept dilemma, in file order, its human verdict counts.</param>
public sealed record ImportSummary(FilterReport Report, string Folder, IReadOnlyList<VerdictDistribution> Human)
{
    /// <summary>Dilemmas written to <c>dilemmas.jsonl</c>.</summary>
    public int Dilemmas => Report.DilemmasKept;
    /// <summary>Judgments written to <c>judgments.jsonl</c>.</summary>
    public long Judgments => Report.JudgmentsKept;

    /// <inheritdoc/>
    public override string ToString() => Report.ToString();
}

/// <summary>Progress of a long import: the file being read, records (lines or rows) so far, and bytes read when known.</summary>
/// <param name="File">The file being read.</param>
/// <param name="Records">Records read from it so far.</param>
/// <param name="BytesRead">Bytes of it read so far (JSONL inputs; CSV inputs only at the end of the file), or −1 when unknown.</param>
/// <param name="FileBytes">Its size in bytes.</param>
public sealed record ImportProgress(string File, long Records, long BytesRead, long FileBytes)
{
    /// <inheritdoc/>
    public override string ToString() => BytesRead >= 0 && FileBytes > 0
        ? $"{Path.GetFileName(File)}: {Records:N0} records, {BytesRead / 1e6:N0} of {FileBytes / 1e6:N0} MB ({100.0 * BytesRead / FileBytes:0}%)"
        : $"{Path.GetFileName(File)}: {Records:N0} records";
}

/// <summary>
/// Shared bookkeeping of the importers: dilemma checks (duplicate id, text bounds), label mapping, the minimum number
/// of judgments, seeded subsampling and the accounting in <see cref="FilterReport"/>.
/// The candidate dilemmas and judgments go to a <see cref="ICandidateStore"/>: in memory (<see cref="Importers.Import(ImportFormat, IReadOnlyList{string}, ImportOptions?)"/>)
/// or spilled to temporary files (<see cref="Importers.ImportTo(string, ImportFormat, IReadOnlyList{string}, ImportOptions?, string?, IProgress{ImportProgress}?)"/>),
/// so that an import to a folder holds only O(dilemmas) state in memory, whatever the number of judgments.
/// The minimum and the subsampling need each dilemma's final count, so they are applied in <c>Finish</c>, when the
/// candidates are read back once: subsampling keeps the human judgments whose arrival index (0-based, per dilemma)
/// is among <see cref="ChooseIndices"/>(n, k, seed of the dilemma), so both stores keep exactly the same judgments.
/// </summary>
internal sealed class ImportBuilder : IDisposable
{
    private readonly ImportOptions _o;
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, Entry> _byId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private readonly ICandidateStore _store;
    private readonly IProgress<ImportProgress>? _progress;

    /// <summary>A kept candidate dilemma: counts only (its text and judgments live in the store).</summary>
    private sealed class Entry(string id, string at, int index)
    {
        public string Id { get; } = id;
        public string At { get; } = at;
        public int Index { get; } = index;
        public int Humans;
        public int Total;
        public bool Keep;
        public int[]? Chosen;
        public int HumansSeen;
        public int Acceptable, Unacceptable;
        public Dictionary<string, int>? Next;
    }

    public ImportBuilder(string format, ImportOptions options, IEnumerable<string> files, ICandidateStore? store = null, IProgress<ImportProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _o = options;
        _store = store ?? new MemoryCandidateStore();
        _progress = progress;
        Report = new FilterReport(format);
        Report.Files.AddRange(files);
    }

    public FilterReport Report { get; }
    public ImportOptions Options => _o;

    /// <summary>True for a format whose rows have no post text (scruples-votes): empty text is kept, and the manifest says <c>hasText: false</c>.</summary>
    public bool TextOptional { get; init; }

    public bool Has(string id) => _byId.ContainsKey(id);
    public bool WasDropped(string id) => _dropped.Contains(id);

    /// <summary>Reports progress (at most every 50,000 records and at the end of a file).</summary>
    public void Progress(string file, long records, long bytesRead, long fileBytes, bool final = false)
    {
        if (_progress is not null && (final || records % 50_000 == 0)) _progress.Report(new ImportProgress(file, records, bytesRead, fileBytes));
    }

    /// <summary>Counts a candidate dilemma (with <paramref name="judgments"/> candidate judgments) and keeps it if it passes.</summary>
    public bool TryAddDilemma(string id, string title, string text, string source, string at, long judgments = 0)
    {
        Report.DilemmasRead++;
        Report.JudgmentsRead += judgments;
        string? reason = null;
        if (string.IsNullOrWhiteSpace(id)) reason = "empty id";
        else if (_byId.ContainsKey(id) || _dropped.Contains(id)) reason = "duplicate id";
        else if (text.Trim().Length == 0 && TextOptional) { /* a text-less format: vote counts only */ }
        else if (text.Trim().Length == 0) reason = "empty text";
        else if (text.Trim().Length < _o.MinTextLength) reason = $"text shorter than {_o.MinTextLength} chars";
        else if (text.Length > _o.MaxTextLength) reason = $"text longer than {_o.MaxTextLength:N0} chars";
        if (reason is not null)
        {
            Drop(id, reason, at, judgments);
            return false;
        }
        var e = new Entry(id, at, _entries.Count);
        _entries.Add(e);
        _byId[id] = e;
        _store.AddDilemma(new Dilemma(id, title.Trim(), text.Trim(), source));
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
        var e = _byId[dilemmaId];
        var human = author == _o.HumanAuthor;
        for (var i = 0; i < count; i++)
        {
            _store.AddJudgment(e.Index, new Judgment(dilemmaId, author, label, verdict, rationale, 0));
            e.Total++;
            if (human) e.Humans++;
        }
    }

    /// <summary>Applies the minimum and the subsampling and returns the kept dilemmas and judgments in memory.</summary>
    public ImportResult Finish()
    {
        var dilemmas = new List<Dilemma>();
        var judgments = new List<Judgment>();
        Finish(dilemmas.Add, judgments.Add);
        return new ImportResult(dilemmas, judgments, Report);
    }

    /// <summary>
    /// Applies the minimum and the subsampling and writes the dataset folder: <c>dilemmas.jsonl</c>, then
    /// <c>judgments.jsonl</c> (each atomically, streamed from the store), then <c>manifest.json</c>.
    /// </summary>
    public ImportSummary FinishTo(string folder, string name)
    {
        Decide();
        Directory.CreateDirectory(folder);
        var nd = JsonlStore.Write(Path.Combine(folder, DilemmaDataset.DilemmasFile),
            _store.ReadDilemmas().Where((_, i) => _entries[i].Keep));
        var nj = JsonlStore.Write(Path.Combine(folder, DilemmaDataset.JudgmentsFile), KeptJudgments());
        Report.DilemmasKept = nd;
        Report.JudgmentsKept = nj;
        var manifest = new DatasetManifest(DilemmaDataset.SchemaVersion, name, Describe(Report),
            new SortedDictionary<string, int>(StringComparer.Ordinal) { [DilemmaDataset.DilemmasFile] = nd, [DilemmaDataset.JudgmentsFile] = nj },
            TextOptional ? false : null);
        DilemmaDataset.WriteManifestKeepingStages(folder, manifest);
        return new ImportSummary(Report, Path.GetFullPath(folder), HumanDistributions());
    }

    private void Finish(Action<Dilemma> dilemma, Action<Judgment> judgment)
    {
        Decide();
        var i = 0;
        foreach (var d in _store.ReadDilemmas())
            if (_entries[i++].Keep) dilemma(d);
        long n = 0;
        foreach (var j in KeptJudgments()) { judgment(j); n++; }
        Report.DilemmasKept = _entries.Count(e => e.Keep);
        Report.JudgmentsKept = n;
    }

    /// <summary>Decides, per dilemma in input order, whether it meets the minimum and which human judgments subsampling keeps; reports the drops.</summary>
    private void Decide()
    {
        var need = Math.Max(_o.MinJudgments, _o.Subsample ?? 0);
        foreach (var e in _entries)
        {
            if (e.Humans < need)
            {
                var why = _o.Subsample is { } k && k > _o.MinJudgments
                    ? $"fewer than {need} human judgments (subsample size)" : $"fewer than {need} human judgments";
                Report.DropDilemma(why, $"{e.At} ({e.Humans})");
                Report.DropJudgments("dilemma dropped: " + why, e.At, e.Total);
                continue;
            }
            e.Keep = true;
            if (_o.Subsample is { } size && e.Humans > size)
            {
                e.Chosen = ChooseIndices(e.Humans, size, SubsampleSeed(_o.Seed, e.Id));
                Report.DropJudgments($"subsampled away (kept {size} per dilemma)", e.At, e.Humans - size);
            }
        }
    }

    /// <summary>The store's judgments of kept dilemmas that subsampling keeps, with SampleIndex renumbered per (dilemma, author).</summary>
    private IEnumerable<Judgment> KeptJudgments()
    {
        var human = _o.HumanAuthor;
        foreach (var (index, j) in _store.ReadJudgments())
        {
            var e = _entries[index];
            if (!e.Keep) continue;
            if (j.Author == human)
            {
                var arrival = e.HumansSeen++;
                if (e.Chosen is not null && Array.BinarySearch(e.Chosen, arrival) < 0) continue;
                if (j.Verdict == Verdict.Unacceptable) e.Unacceptable++; else e.Acceptable++;
            }
            e.Next ??= new(StringComparer.Ordinal);
            var idx = e.Next.GetValueOrDefault(j.Author);
            e.Next[j.Author] = idx + 1;
            yield return j with { DilemmaId = e.Id, SampleIndex = idx };
        }
    }

    private List<VerdictDistribution> HumanDistributions() =>
        _entries.Where(e => e.Keep).Select(e => new VerdictDistribution(e.Id, _o.HumanAuthor, e.Acceptable, e.Unacceptable)).ToList();

    /// <summary>The manifest description of an import.</summary>
    internal static string Describe(FilterReport r) => $"Imported from {r.Format}: {string.Join(", ", r.Files.Select(Path.GetFileName))}";

    public void Dispose() => _store.Dispose();

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
