using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;

namespace MoralGap.Data;

/// <summary>The input formats of <see cref="Importers"/>.</summary>
public enum ImportFormat
{
    /// <summary>CSV with one row per post and vote counts per label (e.g. aita-2020-votes.csv). Name: <c>votes-csv</c>.</summary>
    VotesCsv,
    /// <summary>Scruples "anecdotes" JSONL (id, title, text, label_scores {AUTHOR, OTHER, EVERYBODY, NOBODY, INFO}). Name: <c>scruples</c>.</summary>
    Scruples,
    /// <summary>Reddit dumps: a submissions JSONL then one or more comments JSONL files. Name: <c>reddit</c>.</summary>
    Reddit,
    /// <summary>CSV of rationales with columns dilemma_id, title, text, author, verdict, rationale. Name: <c>paired</c>.</summary>
    Paired,
    /// <summary>
    /// CSV of Scruples human vote counts WITHOUT text (post_id, n_author, n_other, n_everybody, n_nobody, n_info,
    /// optional n_binary), as released with judgment logs of other studies. Name: <c>scruples-votes</c>.
    /// </summary>
    ScruplesVotes,
}

/// <summary>
/// Importers of real AITA data into the dataset model, streaming their input. Each returns the kept dilemmas and
/// judgments and a <see cref="FilterReport"/> that counts every drop by reason. Malformed input raises a
/// <see cref="DataFormatException"/> naming file, line and field (or, with <see cref="ImportOptions.SkipMalformed"/>,
/// is counted as a dropped row). Notebook use: <c>var r = Importers.Import("votes-csv", [path], ImportOptions.Paper);</c>
/// </summary>
public static class Importers
{
    /// <summary>The command-line name of a format (votes-csv, scruples, scruples-votes, reddit, paired).</summary>
    public static string NameOf(ImportFormat format) => format switch
    {
        ImportFormat.VotesCsv => "votes-csv",
        ImportFormat.Scruples => "scruples",
        ImportFormat.Reddit => "reddit",
        ImportFormat.Paired => "paired",
        ImportFormat.ScruplesVotes => "scruples-votes",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format."),
    };

    /// <summary>Parses a format name (votes-csv, scruples, scruples-votes, reddit, paired; case-insensitive).</summary>
    public static ImportFormat ParseFormat(string name) => name?.Trim().ToLowerInvariant() switch
    {
        "votes-csv" or "votes" or "votescsv" => ImportFormat.VotesCsv,
        "scruples" => ImportFormat.Scruples,
        "reddit" => ImportFormat.Reddit,
        "paired" => ImportFormat.Paired,
        "scruples-votes" => ImportFormat.ScruplesVotes,
        _ => throw new ArgumentException($"Unknown import format '{name}'; use votes-csv, scruples, scruples-votes, reddit or paired.", nameof(name)),
    };

    /// <summary>Imports files of a format given by name (see <see cref="ParseFormat"/>).</summary>
    public static ImportResult Import(string format, IReadOnlyList<string> paths, ImportOptions? options = null) =>
        Import(ParseFormat(format), paths, options);

    /// <summary>
    /// Imports files into memory: for <see cref="ImportFormat.Reddit"/> the first path is the submissions file and the
    /// rest are comments files; for the other formats every path is read in turn into one result. For inputs larger
    /// than memory comfortably holds (a Reddit dump), use <see cref="ImportTo"/>.
    /// </summary>
    public static ImportResult Import(ImportFormat format, IReadOnlyList<string> paths, ImportOptions? options = null)
    {
        CheckInputs(format, paths);
        using var b = new ImportBuilder(NameOf(format), options ?? new ImportOptions(), paths) { TextOptional = format == ImportFormat.ScruplesVotes };
        Fill(format, paths, b);
        return b.Finish();
    }

    /// <summary>
    /// Imports files straight into a dataset folder (<c>dilemmas.jsonl</c>, <c>judgments.jsonl</c>,
    /// <c>manifest.json</c>, each written atomically) with memory that does not grow with the number of judgments:
    /// candidates are spilled to a temporary folder beside <paramref name="folder"/> and read back once to apply the
    /// minimum and the subsampling. Keeps exactly the judgments
    /// <see cref="Import(ImportFormat, IReadOnlyList{string}, ImportOptions?)"/> keeps, but judgments.jsonl lists them
    /// in input order (a Reddit dump interleaves dilemmas). Nothing is written when the input is malformed (the error
    /// names file, line and field). Memory: O(dilemmas) plus 8–16 bytes per candidate Reddit comment id (duplicate check).
    /// </summary>
    /// <param name="folder">Dataset folder to write (created if needed).</param>
    /// <param name="format">Input format.</param>
    /// <param name="paths">Input files, as for <see cref="Import(ImportFormat, IReadOnlyList{string}, ImportOptions?)"/>.</param>
    /// <param name="options">Filters; default <see cref="ImportOptions"/>.</param>
    /// <param name="name">Dataset name in manifest.json (default: the folder's name).</param>
    /// <param name="progress">Receives progress every 50,000 records and at the end of each file.</param>
    public static ImportSummary ImportTo(string folder, ImportFormat format, IReadOnlyList<string> paths, ImportOptions? options = null,
        string? name = null, IProgress<ImportProgress>? progress = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        CheckInputs(format, paths);
        var full = Path.GetFullPath(folder);
        using var b = new ImportBuilder(NameOf(format), options ?? new ImportOptions(), paths,
            new SpillCandidateStore(Path.GetDirectoryName(full) ?? full), progress) { TextOptional = format == ImportFormat.ScruplesVotes };
        Fill(format, paths, b);
        return b.FinishTo(full, name ?? new DirectoryInfo(full).Name);
    }

    private static void CheckInputs(ImportFormat format, IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("Give at least one input file.", nameof(paths));
        if (format == ImportFormat.Reddit && paths.Count < 2)
            throw new ArgumentException("The reddit format needs a submissions file and at least one comments file.", nameof(paths));
        foreach (var p in paths)
            if (!File.Exists(p)) throw new FileNotFoundException($"Input file not found: {p}", p);
    }

    private static void Fill(ImportFormat format, IReadOnlyList<string> paths, ImportBuilder b)
    {
        switch (format)
        {
            case ImportFormat.VotesCsv: FillVotesCsv(paths, b); break;
            case ImportFormat.Scruples: FillScruples(paths, b); break;
            case ImportFormat.Reddit: FillReddit(paths[0], paths.Skip(1).ToArray(), b); break;
            case ImportFormat.Paired: FillPaired(paths, b); break;
            case ImportFormat.ScruplesVotes: FillScruplesVotes(paths, b); break;
            default: throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown format.");
        }
    }

    // ---------------------------------------------------------------- votes CSV

    /// <summary>
    /// A vote-count CSV: one row per post with counts of YTA/NTA/ESH/NAH comments. Each vote becomes one human
    /// judgment with its raw label and an EMPTY rationale (the file has no comment text). Rows with an optional total
    /// column that differs from the sum, and rows with no votes, are dropped and counted; negative or non-integer
    /// counts are malformed.
    /// </summary>
    public static ImportResult VotesCsv(IReadOnlyList<string> paths, ImportOptions? options = null) =>
        Import(ImportFormat.VotesCsv, paths, options);

    private static void FillVotesCsv(IReadOnlyList<string> paths, ImportBuilder b)
    {
        var options = b.Options;
        var c = options.VotesColumns;
        var countCols = new[] { (c.Yta, "YTA"), (c.Nta, "NTA"), (c.Esh, "ESH"), (c.Nah, "NAH") };
        var required = new List<string> { c.Id, c.Title, c.Text, c.Yta, c.Nta, c.Esh, c.Nah };
        if (c.Total is not null) required.Add(c.Total);
        foreach (var path in paths)
            foreach (var row in ReadCsv(path, required, b))
            {
                try
                {
                    var id = row.Get(c.Id);
                    var counts = countCols.Select(cc => row.Count(cc.Item1)).ToArray();
                    long sum = counts.Sum(x => (long)x);
                    if (c.Total is not null)
                    {
                        var total = row.Count(c.Total);
                        if (total != sum) { b.Drop(id, $"{c.Total} differs from the sum of the counts", $"{row.At} ({total} vs {sum})", sum, counted: false); continue; }
                    }
                    if (sum == 0) { b.Drop(id, "no votes", row.At, 0, counted: false); continue; }
                    if (!b.TryAddDilemma(id, row.Get(c.Title), row.Get(c.Text), "votes-csv", row.At, sum)) continue;
                    for (var i = 0; i < 4; i++)
                        if (counts[i] > 0) b.AddJudgments(id, options.HumanAuthor, countCols[i].Item2, "", row.At, counts[i]);
                }
                catch (DataFormatException e) when (options.SkipMalformed) { Malformed(b, e); }
            }
    }

    // ---------------------------------------------------------------- Scruples vote counts without text

    /// <summary>
    /// Scruples human vote counts without the posts: columns <c>post_id</c>, <c>n_author</c> (the author is in the
    /// wrong ≈ YTA), <c>n_other</c> (≈ NTA), <c>n_everybody</c> (≈ ESH), <c>n_nobody</c> (≈ NAH), <c>n_info</c>, and
    /// optionally <c>n_binary</c>, which must equal author + other + everybody + nobody (rows where it does not are dropped
    /// and counted). Each vote becomes one human judgment with an empty rationale; INFO votes are dropped and counted, so
    /// p = (author + everybody) / (author + other + everybody + nobody) with the default ESH/NAH mappings. The dilemmas
    /// have an empty title and text and the dataset's manifest says <c>hasText: false</c>: chapters that need the posts
    /// stop with a message, the gap and alignment statistics work.
    /// </summary>
    public static ImportResult ScruplesVotes(IReadOnlyList<string> paths, ImportOptions? options = null) =>
        Import(ImportFormat.ScruplesVotes, paths, options);

    private static void FillScruplesVotes(IReadOnlyList<string> paths, ImportBuilder b)
    {
        var options = b.Options;
        var labels = new[] { ("n_author", "YTA"), ("n_other", "NTA"), ("n_everybody", "ESH"), ("n_nobody", "NAH"), ("n_info", "INFO") };
        foreach (var path in paths)
        {
            var hasBinary = CsvHeader(path).Contains("n_binary");
            foreach (var row in ReadCsv(path, ["post_id", .. labels.Select(l => l.Item1)], b))
            {
                try
                {
                    var id = row.Get("post_id").Trim();
                    var counts = labels.Select(l => row.Count(l.Item1)).ToArray();
                    long binary = counts.Take(4).Sum(x => (long)x), sum = binary + counts[4];
                    if (hasBinary && row.Count("n_binary") is var stated && stated != binary)
                    {
                        b.Drop(id, "n_binary differs from author + other + everybody + nobody", $"{row.At} ({stated} vs {binary})", sum, counted: false);
                        continue;
                    }
                    if (sum == 0) { b.Drop(id, "no votes", row.At, 0, counted: false); continue; }
                    if (!b.TryAddDilemma(id, "", "", "scruples-votes", row.At, sum)) continue;
                    for (var i = 0; i < labels.Length; i++)
                        if (counts[i] > 0) b.AddJudgments(id, options.HumanAuthor, labels[i].Item2, "", row.At, counts[i]);
                }
                catch (DataFormatException e) when (options.SkipMalformed) { Malformed(b, e); }
            }
        }
    }

    /// <summary>The trimmed header names of a CSV file (empty when the file is empty).</summary>
    private static string[] CsvHeader(string path)
    {
        using var reader = TextLines.OpenText(path);
        var first = reader.ReadLine();
        return first is null ? [] : first.TrimStart('\uFEFF').Split(',').Select(h => h.Trim().Trim('"')).ToArray();
    }

    // ---------------------------------------------------------------- Scruples anecdotes

    /// <summary>
    /// Scruples anecdotes JSONL (Lourie, Le Bras and Choi 2021): fields <c>id</c>, <c>title</c>, <c>text</c> and
    /// <c>label_scores</c> with vote counts for AUTHOR (= YTA), OTHER (= NTA), EVERYBODY (= ESH), NOBODY (= NAH) and INFO.
    /// Each vote becomes one human judgment with an empty rationale. Votes under an unknown label are dropped and counted.
    /// </summary>
    public static ImportResult Scruples(IReadOnlyList<string> paths, ImportOptions? options = null) =>
        Import(ImportFormat.Scruples, paths, options);

    private static void FillScruples(IReadOnlyList<string> paths, ImportBuilder b)
    {
        var options = b.Options;
        foreach (var path in paths)
            foreach (var (line, e) in NoteIfEmpty(b, path, Elements(b, path)))
            {
                var at = $"{Path.GetFileName(path)}:{line}";
                try
                {
                    var id = Str(e, "id", path, line)!;
                    var title = Str(e, "title", path, line, required: false) ?? "";
                    var text = Str(e, "text", path, line)!;
                    if (!e.TryGetProperty("label_scores", out var scores) || scores.ValueKind != JsonValueKind.Object)
                        throw new DataFormatException(path, line, "label_scores", scores.ValueKind == JsonValueKind.Undefined ? "missing" : $"expected an object, found {scores.ValueKind}");
                    var votes = new List<(string? Label, string Key, int N)>();
                    foreach (var p in scores.EnumerateObject())
                    {
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out var n))
                            throw new DataFormatException(path, line, "label_scores." + p.Name, $"expected an integer count, found {Show(p.Value)}");
                        if (n < 0) throw new DataFormatException(path, line, "label_scores." + p.Name, $"negative count {n}");
                        var label = AitaLabels.Normalize(p.Name);
                        votes.Add((label is "ACCEPTABLE" or "UNACCEPTABLE" ? null : label, p.Name, n));
                    }
                    long sum = votes.Sum(v => (long)v.N);
                    if (sum == 0) { b.Drop(id, "no votes", at, 0, counted: false); continue; }
                    if (!b.TryAddDilemma(id, title, text, "scruples", at, sum)) continue;
                    foreach (var (label, key, n) in votes)
                    {
                        if (n == 0) continue;
                        if (label is null) b.Report.DropJudgments("unknown label", $"{at} ({key})", n);
                        else b.AddJudgments(id, options.HumanAuthor, label, "", at, n);
                    }
                }
                catch (DataFormatException ex) when (options.SkipMalformed) { Malformed(b, ex); }
            }
    }

    // ---------------------------------------------------------------- Reddit dumps

    /// <summary>
    /// Reddit dumps as JSONL (as in the Pushshift archives): submissions (<c>id</c>, <c>title</c>, <c>selftext</c>) and
    /// comments (<c>id</c>, <c>link_id</c> = "t3_&lt;submission id&gt;", <c>parent_id</c>, <c>body</c>, <c>author</c>).
    /// Keeps top-level comments (parent_id = link_id) with a verdict read by <see cref="ImportOptions.VerdictRule"/>
    /// (<see cref="AitaLabels.TryReadComment"/>; default the Scruples reference rule, <see cref="ScruplesVerdictRule"/>);
    /// the body without an opening verdict token and "Edit:" parts is the rationale. Drops and counts: replies, bots,
    /// [deleted] and [removed] bodies, comments without a verdict ("no verdict found"; with the start rule "no verdict at
    /// the start"), comments of unknown or dropped submissions, duplicate comment ids, INFO verdicts. Notes count the
    /// comments with several labels by the part of the rule that resolved them.
    /// </summary>
    public static ImportResult Reddit(string submissionsPath, IReadOnlyList<string> commentPaths, ImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(submissionsPath);
        ArgumentNullException.ThrowIfNull(commentPaths);
        return Import(ImportFormat.Reddit, [submissionsPath, .. commentPaths], options);
    }

    private static void FillReddit(string submissionsPath, IReadOnlyList<string> commentPaths, ImportBuilder b)
    {
        var options = b.Options;
        b.Report.VerdictRule = AitaLabels.NameOf(options.VerdictRule);
        foreach (var (line, e) in NoteIfEmpty(b, submissionsPath, Elements(b, submissionsPath)))
        {
            var at = $"{Path.GetFileName(submissionsPath)}:{line}";
            try
            {
                var id = Str(e, "id", submissionsPath, line)!;
                var title = Str(e, "title", submissionsPath, line, required: false) ?? "";
                var text = Str(e, "selftext", submissionsPath, line)!;
                if (IsGone(text)) { b.Drop(id, $"submission text {text.Trim()}", at, 0, counted: false); continue; }
                b.TryAddDilemma(id, title, text, "reddit", at);
            }
            catch (DataFormatException ex) when (options.SkipMalformed) { Malformed(b, ex); }
        }
        var bots = new HashSet<string>(options.BotAuthors, StringComparer.OrdinalIgnoreCase);
        var seen = new CommentIdSet();
        foreach (var path in commentPaths)
            foreach (var (line, e) in NoteIfEmpty(b, path, Elements(b, path)))
            {
                var at = $"{Path.GetFileName(path)}:{line}";
                b.Report.JudgmentsRead++;
                try
                {
                    var id = Str(e, "id", path, line)!;
                    var link = Str(e, "link_id", path, line)!;
                    var parent = Str(e, "parent_id", path, line)!;
                    var body = Str(e, "body", path, line)!;
                    var author = Str(e, "author", path, line, required: false) ?? "";
                    var sid = link.StartsWith("t3_", StringComparison.Ordinal) ? link[3..] : link;
                    string? drop =
                        b.WasDropped(sid) ? "comment on a dropped submission"
                        : !b.Has(sid) ? "comment for unknown submission"
                        : parent != link && parent != "t3_" + sid ? "reply (not a top-level comment)"
                        : bots.Contains(author) ? "bot author"
                        : IsGone(body) ? $"comment body {body.Trim()}"
                        : null;
                    if (drop is not null) { b.Report.DropJudgments(drop, at); continue; }
                    if (!AitaLabels.TryReadComment(body, options.VerdictRule, out var label, out var rationale, out var edit, out var how, options.StripEdits))
                    {
                        b.Report.DropJudgments(options.VerdictRule == VerdictRule.Start ? "no verdict at the start" : "no verdict found", at);
                        continue;
                    }
                    if (AitaLabels.SeveralLabelsNote(how) is { } several) b.Report.Note(several);
                    // Checked last, so only candidate judgments are remembered (memory grows with them, not with the dump).
                    if (!seen.Add(id)) { b.Report.DropJudgments("duplicate comment id", at); continue; }
                    if (edit) b.Report.Note("'Edit:' part removed from a rationale");
                    b.AddJudgments(sid, options.HumanAuthor, label, rationale, at);
                }
                catch (DataFormatException ex) when (options.SkipMalformed)
                {
                    b.Report.DropJudgments("malformed: " + (ex.Field ?? "line"), $"{ex.Location} ({ex.Reason})");
                }
            }
    }

    // ---------------------------------------------------------------- paired rationales

    /// <summary>
    /// A rationale CSV with columns dilemma_id, title, text, author, verdict, rationale (e.g. AITA-Judge's paired human
    /// and GPT-4o answers): one judgment per row; author "human" (or <see cref="ImportOptions.HumanAuthor"/>) marks
    /// people, anything else is a model id. Rows with an unknown verdict are dropped and counted. Note the minimum
    /// of <see cref="ImportOptions.MinJudgments"/> human judgments still applies (use <see cref="ImportOptions.KeepAll"/>
    /// for one human answer per post).
    /// </summary>
    public static ImportResult Paired(IReadOnlyList<string> paths, ImportOptions? options = null) =>
        Import(ImportFormat.Paired, paths, options);

    private static void FillPaired(IReadOnlyList<string> paths, ImportBuilder b)
    {
        var options = b.Options;
        var first = new Dictionary<string, string>(StringComparer.Ordinal);
        string[] cols = ["dilemma_id", "title", "text", "author", "verdict", "rationale"];
        foreach (var path in paths)
            foreach (var row in ReadCsv(path, cols, b))
            {
                try
                {
                    var id = row.Get("dilemma_id");
                    var author = row.Get("author").Trim();
                    if (author.Length == 0) throw new DataFormatException(path, row.Line, "author", "empty author");
                    var rawVerdict = row.Get("verdict");
                    var rationale = row.Get("rationale").Trim();
                    var text = row.Get("text");
                    if (!first.TryGetValue(id, out var firstText))
                    {
                        first[id] = text;
                        if (!b.TryAddDilemma(id, row.Get("title"), text, "paired", row.At, 1)) continue;
                    }
                    else
                    {
                        b.Report.JudgmentsRead++;
                        if (b.WasDropped(id)) { b.Report.DropJudgments("row of a dropped dilemma", row.At); continue; }
                        if (firstText != text) b.Report.Note("rows of one dilemma_id with differing text (first kept)");
                    }
                    var label = AitaLabels.Normalize(rawVerdict);
                    if (label is null) { b.Report.DropJudgments("unknown label", $"{row.At} ('{Cut(rawVerdict)}')"); continue; }
                    if (rationale.Length == 0) b.Report.Note("empty rationale (kept)");
                    b.AddJudgments(id, author == "human" ? options.HumanAuthor : author, label, rationale, row.At);
                }
                catch (DataFormatException e) when (options.SkipMalformed) { Malformed(b, e); }
            }
    }

    // ---------------------------------------------------------------- helpers

    private static void Malformed(ImportBuilder b, DataFormatException e) =>
        b.Drop(null, "malformed: " + (e.Field ?? "row"), $"{e.Location} ({e.Reason})", 0, counted: false);

    private static IEnumerable<T> NoteIfEmpty<T>(ImportBuilder b, string path, IEnumerable<T> records)
    {
        var any = false;
        foreach (var r in records) { any = true; yield return r; }
        if (!any) b.Report.Note($"empty input file: {Path.GetFileName(path)}");
    }

    /// <summary>
    /// The JSON objects of a JSONL input with their line numbers, reporting progress. Each document is disposed (its
    /// pooled buffers returned) when the next is read, so callers must not keep an element past one step.
    /// </summary>
    private static IEnumerable<(long Line, JsonElement Element)> Elements(ImportBuilder b, string path)
    {
        var size = new FileInfo(path).Length;
        long records = 0;
        foreach (var (line, text, position) in TextLines.ReadLinesAt(path))
        {
            using var doc = JsonlStore.ParseObject(path, line, text);
            yield return (line, doc.RootElement);
            b.Progress(path, ++records, position, size);
        }
        b.Progress(path, records, size, size, final: true);
    }

    /// <summary>
    /// The comment ids seen so far, for the duplicate check. Reddit ids are base-36 strings of up to 12 characters, so
    /// they are kept as one 64-bit number each (bijective base 37: no two strings share a number) instead of a string
    /// object; other ids fall back to a string set.
    /// </summary>
    internal sealed class CommentIdSet
    {
        private readonly HashSet<long> _packed = [];
        private readonly HashSet<string> _other = new(StringComparer.Ordinal);

        /// <summary>True when <paramref name="id"/> was not seen before.</summary>
        public bool Add(string id) => TryPack(id, out var v) ? _packed.Add(v) : _other.Add(id);

        /// <summary>Ids held.</summary>
        public int Count => _packed.Count + _other.Count;

        internal static bool TryPack(string id, out long value)
        {
            value = 0;
            if (id.Length is 0 or > 12) return false;
            foreach (var c in id)
            {
                int digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'z' ? c - 'a' + 10 : -1;
                if (digit < 0) return false;
                value = value * 37 + digit + 1;
            }
            return true;
        }
    }

    private static bool IsGone(string s) => s.Trim() is "[deleted]" or "[removed]";

    private static string Cut(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static string Show(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"string \"{Cut(v.GetString()!)}\"",
        JsonValueKind.Number => $"number {v.GetRawText()}",
        _ => v.ValueKind.ToString().ToLowerInvariant(),
    };

    /// <summary>A string property; missing or null → error (when required), another type → error naming the field.</summary>
    private static string? Str(JsonElement e, string name, string path, long line, bool required = true)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
            return required ? throw new DataFormatException(path, line, name, "missing") : null;
        if (v.ValueKind == JsonValueKind.Number && name is "id" or "link_id" or "parent_id") return v.GetRawText();
        if (v.ValueKind != JsonValueKind.String) throw new DataFormatException(path, line, name, $"expected a string, found {Show(v)}");
        return v.GetString();
    }

    /// <summary>One CSV record with its location, for field access that names the column on error.</summary>
    internal sealed class CsvRow(string path, long line, string[] header, string[] fields)
    {
        public long Line => line;
        public string At => $"{Path.GetFileName(path)}:{line}";

        public bool Has(string column) => Array.IndexOf(header, column) >= 0;

        public string Get(string column)
        {
            var i = Array.IndexOf(header, column);
            if (i < 0) throw new DataFormatException(path, line, column, "no such column");
            if (i >= fields.Length) throw new DataFormatException(path, line, column, $"missing (the row has {fields.Length} fields, the header {header.Length})");
            return fields[i];
        }

        public int Count(string column)
        {
            var s = Get(column).Trim();
            if (s.Length == 0) throw new DataFormatException(path, line, column, "empty count");
            if (!long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && Math.Abs(d) < int.MaxValue)
                    n = (long)d; // "12.0", as pandas writes integer columns with missing values
                else throw new DataFormatException(path, line, column, $"not an integer count: '{Cut(s)}'");
            }
            if (n < 0) throw new DataFormatException(path, line, column, $"negative count {n}");
            if (n > 10_000_000) throw new DataFormatException(path, line, column, $"implausible count {n}");
            return (int)n;
        }
    }

    /// <summary>
    /// Streams CSV records with CsvHelper 34 (RFC 4180 quoting, multi-line fields, BOM, CRLF, line numbers tracked).
    /// Checks the header for the required columns. Broken quoting, a row whose field count differs from the header and
    /// invalid UTF-8 raise a <see cref="DataFormatException"/> naming the line (or, with SkipMalformed, are dropped and counted).
    /// </summary>
    internal static IEnumerable<CsvRow> ReadCsv(string path, IReadOnlyList<string> required, ImportBuilder? b)
    {
        if (new FileInfo(path).Length == 0) throw new DataFormatException(path, 0, null, "empty file: no header row");
        var skip = b?.Options.SkipMalformed ?? false;
        var opts = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            MalformedData = skip ? CsvMalformedDataHandling.Skip : CsvMalformedDataHandling.Throw,
            FieldCountMismatch = skip ? CsvFieldCountHandling.Skip : CsvFieldCountHandling.Throw,
            OnMalformedRecord = skip
                ? m => Malformed(b!, new DataFormatException(path, m.LineNumber, null, Describe(m.Reason)))
                : null,
            IncludeValuesInExceptions = true,
        };
        using var csv = CsvReader.FromFile(path, opts);
        string[] header;
        try { header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToArray(); }
        catch (CsvFormatException e) { throw Wrap(path, e, null); }
        if (header.Length == 0 || header.All(h => h.Length == 0)) throw new DataFormatException(path, 1, null, "empty file: no header row");
        foreach (var col in required)
            if (!header.Contains(col))
                throw new DataFormatException(path, 1, col, $"missing column (header has: {string.Join(", ", header)})");
        long rows = 0;
        var size = new FileInfo(path).Length;
        while (true)
        {
            bool more;
            try { more = csv.Read(); }
            catch (CsvFormatException e) { throw Wrap(path, e, header); }
            if (!more) { b?.Progress(path, rows, size, size, final: true); yield break; }
            var line = csv.LineNumber;
            b?.Progress(path, ++rows, -1, size);
            var fields = new string[csv.FieldCount];
            DataFormatException? error = null;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i) ?? "";
                if (fields[i].Contains('\uFFFD') && !System.Text.Unicode.Utf8.IsValid(csv.GetRawSpan(i)))
                    error ??= new DataFormatException(path, line, i < header.Length ? header[i] : null, "invalid UTF-8 bytes (the file must be UTF-8)");
            }
            if (error is not null)
            {
                if (!skip) throw error;
                Malformed(b!, error);
                continue;
            }
            yield return new CsvRow(path, line, header, fields);
        }
    }

    /// <summary>
    /// The 0-based field where bad quoting was found (CsvHelper reports the record's line and a byte offset, not a
    /// column): scanning from the start of the record's line to the offset, the field the offset falls in, or the field
    /// whose quote is still open at the offset (an unclosed quote). -1 when the offset is the record's start (a
    /// field-count mismatch) or unknown.
    /// </summary>
    private static int FieldIndexAt(string path, long line, long offset)
    {
        if (line < 1 || offset <= 0) return -1;
        var bytes = File.ReadAllBytes(path); // error path only
        long start = 0;
        for (long l = 1; l < line && start < bytes.Length; start++)
            if (bytes[start] == (byte)'\n') l++;
        if (offset <= start || offset > bytes.Length) return -1;
        int field = 0, openedIn = -1;
        var quoted = false;
        for (var i = start; i < offset; i++)
        {
            if (bytes[i] == (byte)'"') { quoted = !quoted; if (quoted) openedIn = field; }
            else if (bytes[i] == (byte)',' && !quoted) field++;
        }
        return quoted ? openedIn : field;
    }

    private static string Describe(CsvMalformedReason r) => r switch
    {
        CsvMalformedReason.StrayQuote => "broken quoting: a quote inside an unquoted field",
        CsvMalformedReason.TextAfterClosingQuote => "broken quoting: text after a closing quote",
        CsvMalformedReason.UnterminatedQuote => "broken quoting: a quoted field is never closed",
        CsvMalformedReason.LineBreakInQuotes => "broken quoting: line break inside quotes",
        CsvMalformedReason.FieldCountMismatch => "the row's field count differs from the header's",
        _ => r.ToString(),
    };

    private static DataFormatException Wrap(string path, CsvFormatException e, string[]? header)
    {
        var index = e.FieldIndex >= 0 ? e.FieldIndex : FieldIndexAt(path, e.LineNumber, e.ByteOffset);
        var field = header is not null && index >= 0 && index < header.Length ? header[index] : null;
        return new DataFormatException(path, e.LineNumber, field, "unreadable CSV: " + e.Message.Split('\n')[0], e);
    }
}
