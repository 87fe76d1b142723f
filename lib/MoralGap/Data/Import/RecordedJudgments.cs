using System.Globalization;
using System.Text.Json;

namespace MoralGap.Data;

/// <summary>The file formats of a study's released judgment log (<see cref="RecordedJudgments"/>).</summary>
public enum RecordedFormat
{
    /// <summary>One JSON object a line. Name: <c>recorded-jsonl</c>.</summary>
    Jsonl,
    /// <summary>A CSV with the same columns (an empty cell is a JSON null). Name: <c>recorded-csv</c>.</summary>
    Csv,
}

/// <summary>What <see cref="RecordedJudgments.ImportInto"/> read and added.</summary>
/// <param name="File">The log read.</param>
/// <param name="Model">The author name the judgments were stored under.</param>
/// <param name="Lines">Records read (non-blank lines or CSV rows).</param>
/// <param name="Added">Judgments added to the dataset (answers and recorded failures).</param>
/// <param name="Failures">Of those, recorded failures (a <c>null</c> verdict or share: the study could not read the model's answer).</param>
/// <param name="ByCondition">Judgments added per condition, in order of first appearance, with the kind of answer (verdict or share).</param>
/// <param name="UnknownIds">Dilemma ids of the log that the dataset does not have (their records are skipped and counted).</param>
/// <param name="SkippedLines">Records skipped because their dilemma is unknown.</param>
/// <param name="Replaced">Judgments of the same model already in the dataset that were replaced (<c>replace: true</c>).</param>
public sealed record RecordedImportReport(string File, string Model, long Lines, long Added, long Failures,
    IReadOnlyList<(string Condition, string Kind, long Judgments)> ByCondition, IReadOnlyList<string> UnknownIds, long SkippedLines, long Replaced)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var w = new System.Text.StringBuilder();
        w.AppendLine(CultureInfo.InvariantCulture, $"{Path.GetFileName(File)} as '{Model}': {Lines:N0} records read, {Added:N0} judgments added ({Failures:N0} recorded failures)");
        foreach (var (c, k, n) in ByCondition) w.AppendLine(CultureInfo.InvariantCulture, $"  {c} ({k}): {n:N0}");
        if (SkippedLines > 0)
            w.AppendLine(string.Create(CultureInfo.InvariantCulture, $"  skipped {SkippedLines:N0} records of {UnknownIds.Count} dilemma id(s) not in the dataset: ") +
                string.Join(", ", UnknownIds.Take(20)) + (UnknownIds.Count > 20 ? $", … ({UnknownIds.Count - 20} more)" : ""));
        if (Replaced > 0) w.AppendLine(CultureInfo.InvariantCulture, $"  replaced {Replaced:N0} earlier judgments of '{Model}'");
        return w.ToString();
    }
}

/// <summary>
/// Judgment logs released by other studies (e.g. an independent replication's recorded GPT-4o and Llama answers on
/// Scruples posts), read into a dataset folder beside its human votes so every statistic of the project applies.
/// A record is one model answer: the dilemma (<c>post_id</c> or <c>dilemma_id</c>), the condition (<c>cond</c> or
/// <c>condition</c>, the study's own name), the sample index (<c>sample</c>, optional: order of appearance otherwise),
/// and EITHER a verdict (<c>unacceptable</c> or <c>verdict</c>: 0/1, true/false, or a label such as UNACCEPTABLE, YTA,
/// NTA) OR a stated share (<c>p_unacc</c> or <c>share</c>: a number in [0, 1]). A <c>null</c> verdict or share is a
/// recorded failure (the study could not read the answer): it is kept as a judgment without verdict, never a verdict.
/// Errors name file, line and field: a broken line, a missing id, condition or answer field, a verdict that is not 0/1
/// or a label, a share outside [0, 1], both a verdict and a share on one line, a condition that mixes verdicts and
/// shares, a duplicate (dilemma, condition, sample). Unknown dilemma ids are a counted skip that lists the ids.
/// </summary>
public static class RecordedJudgments
{
    /// <summary>Accepted spellings of each field, first match wins.</summary>
    public static IReadOnlyList<string> IdFields { get; } = ["post_id", "dilemma_id", "dilemmaId"];
    /// <inheritdoc cref="IdFields"/>
    public static IReadOnlyList<string> ConditionFields { get; } = ["cond", "condition"];
    /// <inheritdoc cref="IdFields"/>
    public static IReadOnlyList<string> SampleFields { get; } = ["sample", "sample_index", "sampleIndex"];
    /// <inheritdoc cref="IdFields"/>
    public static IReadOnlyList<string> VerdictFields { get; } = ["unacceptable", "verdict"];
    /// <inheritdoc cref="IdFields"/>
    public static IReadOnlyList<string> ShareFields { get; } = ["p_unacc", "share"];

    /// <summary>Parses a format name: <c>recorded-jsonl</c> or <c>recorded-csv</c> (also <c>jsonl</c>, <c>csv</c>).</summary>
    public static RecordedFormat ParseFormat(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "recorded-jsonl" or "jsonl" => RecordedFormat.Jsonl,
        "recorded-csv" or "csv" => RecordedFormat.Csv,
        _ => throw new ArgumentException($"Unknown judgment-log format '{name}'; use recorded-jsonl or recorded-csv.", nameof(name)),
    };

    /// <summary>
    /// Reads a log and returns its judgments (author = <paramref name="model"/>) for the dilemmas in
    /// <paramref name="dilemmaIds"/>, with the report. Nothing is written.
    /// </summary>
    public static (IReadOnlyList<Judgment> Judgments, RecordedImportReport Report) Read(string path, RecordedFormat format, string model, IReadOnlySet<string> dilemmaIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        ArgumentNullException.ThrowIfNull(dilemmaIds);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"Judgment log not found: {path}", path);
        if (model == DilemmaDataset.Human) throw new ArgumentException($"'{DilemmaDataset.Human}' is the author name of people; give the model's name.", nameof(model));
        var judgments = new List<Judgment>();
        var seen = new Dictionary<(string, string, int), long>();
        var nextSample = new Dictionary<(string, string), int>();
        var kinds = new Dictionary<string, (bool Share, long Line)>(StringComparer.Ordinal);
        var byCondition = new List<string>();
        var perCondition = new Dictionary<string, long>(StringComparer.Ordinal);
        var unknown = new SortedSet<string>(StringComparer.Ordinal);
        var undecided = new List<int>();
        long lines = 0, skipped = 0, failures = 0;
        foreach (var r in Records(path, format))
        {
            lines++;
            var id = r.Text(IdFields, required: true)!;
            var condition = r.Text(ConditionFields, required: true)!;
            if (condition.Trim().Length == 0) throw r.Error(ConditionFields[0], "empty condition");
            var verdict = r.Find(VerdictFields);
            var share = r.Find(ShareFields);
            if (verdict.Name is null && share.Name is null)
                throw r.Error(null, $"no answer field: expected a verdict ({string.Join(" or ", VerdictFields)}) or a stated share ({string.Join(" or ", ShareFields)})");
            if (verdict is { Name: not null, IsNull: false } && share is { Name: not null, IsNull: false })
                throw r.Error(share.Name, $"both a verdict ({verdict.Name}) and a stated share on one line: they are different kinds of answer, give one");
            // The kind of answer: from the field that holds a value; a line whose verdict AND share are both null (a CSV
            // with both columns, or JSON with both keys) is a failure of the condition's kind, decided by its other lines.
            bool? lineKind = verdict is { Name: not null, IsNull: false } ? false
                : share is { Name: not null, IsNull: false } ? true
                : verdict.Name is null ? true : share.Name is null ? false : null;
            if (!perCondition.ContainsKey(condition)) { byCondition.Add(condition); perCondition[condition] = 0; }
            if (lineKind is { } known)
            {
                if (kinds.TryGetValue(condition, out var k))
                {
                    if (k.Share != known)
                        throw r.Error(known ? share.Name : verdict.Name,
                            $"condition '{condition}' mixes verdicts and stated shares (line {k.Line} has a {(k.Share ? "share" : "verdict")}, this one a {(known ? "share" : "verdict")})");
                }
                else kinds[condition] = (known, r.Line);
            }
            var isShare = lineKind ?? (kinds.TryGetValue(condition, out var ck) && ck.Share);

            int sample;
            var sampleField = r.Find(SampleFields);
            if (sampleField.Name is null || sampleField.IsNull)
                sample = nextSample.TryGetValue((id, condition), out var s) ? s : 0;
            else if (!int.TryParse(sampleField.Value, NumberStyles.None, CultureInfo.InvariantCulture, out sample))
                throw r.Error(sampleField.Name, $"not a sample index (a whole number ≥ 0): '{Cut(sampleField.Value)}'");
            nextSample[(id, condition)] = Math.Max(sample + 1, nextSample.GetValueOrDefault((id, condition)));
            if (seen.TryGetValue((id, condition, sample), out var first))
                throw r.Error(sampleField.Name ?? SampleFields[0], $"duplicate answer: dilemma '{id}', condition '{condition}', sample {sample} is already on line {first}");
            seen[(id, condition, sample)] = r.Line;

            Judgment j;
            if (isShare)
            {
                double? value = share.IsNull ? null : ParseShare(r, share);
                j = new Judgment(id, model, Judgment.ShareLabel, null, "", sample, condition, value);
            }
            else
            {
                var (label, v) = verdict.IsNull ? (Judgment.UnreadableLabel, (Verdict?)null) : ParseVerdict(r, verdict);
                j = new Judgment(id, model, label, v, "", sample, condition);
            }
            if (!dilemmaIds.Contains(id)) { unknown.Add(id); skipped++; continue; }
            if (j.Verdict is null && j.Share is null) failures++;
            if (lineKind is null && !kinds.ContainsKey(condition)) undecided.Add(judgments.Count);
            judgments.Add(j);
            perCondition[condition]++;
        }
        // Both-null failures seen before their condition's first readable answer take that condition's kind now
        // (a condition with no readable answer at all stays a verdict condition of failures).
        foreach (var i in undecided)
            if (kinds.TryGetValue(judgments[i].Condition!, out var k) && k.Share)
                judgments[i] = judgments[i] with { RawLabel = Judgment.ShareLabel };
        foreach (var c in byCondition) kinds.TryAdd(c, (false, 0));
        var report = new RecordedImportReport(Path.GetFullPath(path), model, lines, judgments.Count, failures,
            byCondition.Select(c => (c, kinds[c].Share ? "share" : "verdict", perCondition[c])).ToArray(), unknown.ToArray(), skipped, 0);
        return (judgments, report);
    }

    /// <summary>
    /// Adds a log's judgments to a dataset folder (<c>judgments.jsonl</c> rewritten atomically, then the manifest, at
    /// schema version <see cref="DilemmaDataset.SchemaVersion"/>). The folder's existing judgments are streamed, not
    /// loaded. A model that already has judgments in the folder is an error unless <paramref name="replace"/>, which
    /// drops them first (a corrected log replaces the old one).
    /// </summary>
    public static RecordedImportReport ImportInto(string folder, string path, RecordedFormat format, string model, bool replace = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var manifest = DatasetManifest.Read(folder);
        var jPath = Path.Combine(folder, DilemmaDataset.JudgmentsFile);
        var ids = new HashSet<string>(DilemmaDataset.ReadDilemmaIds(folder), StringComparer.Ordinal);
        var (judgments, report) = Read(path, format, model, ids);
        long kept = 0, replaced = 0;
        var existing = System.IO.File.Exists(jPath) ? jPath : null;
        JsonlStore.WriteAtomic(jPath, stream =>
        {
            using var w = new StreamWriter(stream, TextLines.StrictUtf8, 1 << 16, leaveOpen: true) { NewLine = "\n" };
            if (existing is not null)
                foreach (var (line, text) in TextLines.ReadLines(existing))
                {
                    var author = AuthorOf(existing, line, text);
                    if (author == model)
                    {
                        if (!replace)
                            throw new DataFormatException(existing, line, "author",
                                $"the dataset already has judgments by '{model}' (give another --model name, or pass --replace to replace them)");
                        replaced++;
                        continue;
                    }
                    w.Write(text); w.Write('\n'); kept++;
                }
            foreach (var j in judgments) { w.Write(JsonSerializer.Serialize(j, JsonlStore.Options)); w.Write('\n'); }
        });
        var total = kept + judgments.Count;
        if (total > int.MaxValue) throw new InvalidOperationException($"{total:N0} judgments exceed what a manifest counts.");
        (manifest with { SchemaVersion = DilemmaDataset.SchemaVersion }).WithFile(DilemmaDataset.JudgmentsFile, (int)total).Write(folder);
        return report with { Replaced = replaced };
    }

    private static string? AuthorOf(string path, long line, string text)
    {
        using var doc = JsonlStore.ParseObject(path, line, text);
        return doc.RootElement.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
    }

    private static (string Label, Verdict? Verdict) ParseVerdict(Record r, Field f)
    {
        var s = f.Value.Trim();
        switch (s.ToLowerInvariant())
        {
            case "1" or "1.0" or "true": return ("UNACCEPTABLE", Verdict.Unacceptable);
            case "0" or "0.0" or "false": return ("ACCEPTABLE", Verdict.Acceptable);
        }
        var label = f.Kind == JsonValueKind.String ? AitaLabels.Normalize(s) : null;
        if (label is null)
            throw r.Error(f.Name, $"not a verdict: '{Cut(s)}' (expected 0/1, true/false, ACCEPTABLE/UNACCEPTABLE or YTA/NTA/ESH/NAH/INFO; null for an unreadable answer)");
        return (label, AitaLabels.ToVerdict(label));
    }

    private static double ParseShare(Record r, Field f)
    {
        if (f.Kind is not (JsonValueKind.Number or JsonValueKind.String) ||
            !double.TryParse(f.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
            throw r.Error(f.Name, $"not a share: '{Cut(f.Value)}' (expected a number in [0, 1]; null for an unreadable answer)");
        if (v is < 0 or > 1) throw r.Error(f.Name, $"share {v.ToString(CultureInfo.InvariantCulture)} is outside [0, 1]");
        return v;
    }

    private static string Cut(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>A field of a record: which spelling was found (<c>Name</c> null: none), its text, whether it was null, its JSON kind.</summary>
    private readonly record struct Field(string? Name, string Value, bool IsNull, JsonValueKind Kind);

    /// <summary>One record of a log, JSON or CSV, with uniform field access and errors that name file, line and field.</summary>
    private sealed class Record(string path, long line, Func<string, Field?> get)
    {
        public long Line => line;

        public Field Find(IReadOnlyList<string> names)
        {
            foreach (var n in names)
                if (get(n) is { } f) return f;
            return new Field(null, "", true, JsonValueKind.Undefined);
        }

        public string? Text(IReadOnlyList<string> names, bool required)
        {
            var f = Find(names);
            if (f.Name is null || f.IsNull)
                return required ? throw Error(names[0], $"missing ({(f.Name is null ? "none of " + string.Join(", ", names) : f.Name + " is null")})") : null;
            if (f.Kind is not (JsonValueKind.String or JsonValueKind.Number)) throw Error(f.Name, $"expected a string, found {f.Kind.ToString().ToLowerInvariant()}");
            return f.Value;
        }

        public DataFormatException Error(string? field, string reason) => new(path, line, field, reason);
    }

    private static IEnumerable<Record> Records(string path, RecordedFormat format)
    {
        if (format == RecordedFormat.Jsonl)
        {
            foreach (var (line, text) in TextLines.ReadLines(path))
            {
                using var doc = JsonlStore.ParseObject(path, line, text);
                var root = doc.RootElement;
                yield return new Record(path, line, name =>
                {
                    if (!root.TryGetProperty(name, out var v)) return null;
                    return v.ValueKind switch
                    {
                        JsonValueKind.Null => new Field(name, "", true, v.ValueKind),
                        JsonValueKind.String => new Field(name, v.GetString()!, false, v.ValueKind),
                        JsonValueKind.True or JsonValueKind.False => new Field(name, v.ValueKind == JsonValueKind.True ? "true" : "false", false, v.ValueKind),
                        _ => new Field(name, v.GetRawText(), false, v.ValueKind),
                    };
                });
            }
        }
        else
        {
            foreach (var row in Importers.ReadCsv(path, [], null))
            {
                yield return new Record(path, row.Line, name =>
                {
                    if (!row.Has(name)) return null;
                    var v = row.Get(name);
                    if (v.Trim().Length == 0 || v.Trim() is "null" or "NULL" or "NaN" or "nan") return new Field(name, "", true, JsonValueKind.Null);
                    var kind = double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? JsonValueKind.Number : JsonValueKind.String;
                    return new Field(name, v, false, kind);
                });
            }
        }
    }
}
