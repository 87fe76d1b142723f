using System.Text.Json;

namespace MoralGap.Data;

/// <summary>
/// The manifest.json of a dataset folder: schema version, name, description and the record count of every file.
/// Later pipeline stages add their files (e.g. <c>values.jsonl</c>) with <see cref="WithFile"/>.
/// </summary>
/// <param name="SchemaVersion">Version of the folder format (<see cref="DilemmaDataset.SchemaVersion"/>).</param>
/// <param name="Name">Dataset name (e.g. <c>sample</c>).</param>
/// <param name="Description">What it is and where it came from.</param>
/// <param name="Files">File name → number of records (lines) in it.</param>
/// <param name="HasText">
/// <c>false</c> for a text-less dataset (e.g. a <c>scruples-votes</c> import: vote counts only, no post text), which
/// chapters that judge, rewrite or read text cannot use; <c>null</c> (not written) means the dilemmas have text.
/// </param>
public sealed record DatasetManifest(int SchemaVersion, string Name, string? Description, SortedDictionary<string, int> Files,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] bool? HasText = null)
{
    /// <summary>The manifest file name.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions Indented = new(JsonlStore.Options) { WriteIndented = true };

    /// <summary>A copy listing <paramref name="file"/> with <paramref name="records"/> records.</summary>
    public DatasetManifest WithFile(string file, int records)
    {
        ArgumentException.ThrowIfNullOrEmpty(file);
        if (records < 0) throw new ArgumentOutOfRangeException(nameof(records), records, "A record count cannot be negative.");
        var files = new SortedDictionary<string, int>(Files, StringComparer.Ordinal) { [file] = records };
        return this with { Files = files };
    }

    /// <summary>Reads <c>folder/manifest.json</c>; errors name the file and field.</summary>
    public static DatasetManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: not a dataset folder", path);
        DatasetManifest? m;
        try { m = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path, TextLines.StrictUtf8), JsonlStore.Options); }
        catch (JsonException ex) { throw new DataFormatException(path, (ex.LineNumber ?? 0) + 1, JsonlStore.FieldOf(ex.Path), ex.Message, ex); }
        if (m is null) throw new DataFormatException(path, 1, null, "null manifest");
        if (m.SchemaVersion < 1 || m.SchemaVersion > DilemmaDataset.SchemaVersion)
            throw new DataFormatException(path, 1, "schemaVersion", $"schema version {m.SchemaVersion} is not supported (this library reads 1..{DilemmaDataset.SchemaVersion})");
        return m with { Files = new SortedDictionary<string, int>(m.Files ?? new(), StringComparer.Ordinal) };
    }

    /// <summary>Writes <c>folder/manifest.json</c> atomically (indented, LF, stable key order).</summary>
    public void Write(string folder) =>
        JsonlStore.WriteAllTextAtomic(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Indented).Replace("\r\n", "\n") + "\n");
}

/// <summary>
/// A dilemma dataset in the paper's shape (the Moral Dilemma Dataset: dilemmas, each with 32 human judgments of a
/// binary verdict and a rationale; Russo et al., arXiv 2507.17216, §3). On disk a FOLDER of JSON Lines files:
/// <c>dilemmas.jsonl</c> (<see cref="Dilemma"/>), <c>judgments.jsonl</c> (<see cref="Judgment"/>) and
/// <c>manifest.json</c> (<see cref="DatasetManifest"/>); later stages add files such as <c>values.jsonl</c>.
/// </summary>
public sealed class DilemmaDataset
{
    /// <summary>
    /// The folder format version written by <see cref="Save"/>. 2 adds <see cref="Judgment.Condition"/>,
    /// <see cref="Judgment.Share"/> and <see cref="DatasetManifest.HasText"/>; version-1 folders read as before
    /// (no condition = the plain prompt, no share, text present).
    /// </summary>
    public const int SchemaVersion = 2;
    /// <summary>File of dilemmas.</summary>
    public const string DilemmasFile = "dilemmas.jsonl";
    /// <summary>File of judgments.</summary>
    public const string JudgmentsFile = "judgments.jsonl";
    /// <summary>The author name of human judgments.</summary>
    public const string Human = "human";

    private readonly Dictionary<string, Dilemma> _byId;

    /// <summary>
    /// Builds a dataset; dilemma ids must be unique and every judgment must refer to a dilemma of the dataset.
    /// </summary>
    public DilemmaDataset(IEnumerable<Dilemma> dilemmas, IEnumerable<Judgment> judgments, string name = "dataset", string? description = null)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        ArgumentNullException.ThrowIfNull(judgments);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Dilemmas = dilemmas.ToArray();
        _byId = new Dictionary<string, Dilemma>(StringComparer.Ordinal);
        foreach (var d in Dilemmas)
            if (!_byId.TryAdd(d.Id, d)) throw new ArgumentException($"Duplicate dilemma id '{d.Id}'.", nameof(dilemmas));
        Judgments = judgments.ToArray();
        foreach (var j in Judgments)
            if (!_byId.ContainsKey(j.DilemmaId))
                throw new ArgumentException($"Judgment {j.Author}#{j.SampleIndex} refers to unknown dilemma '{j.DilemmaId}'.", nameof(judgments));
        Name = name;
        Description = description;
    }

    /// <summary>Dataset name.</summary>
    public string Name { get; }
    /// <summary>Free-text description.</summary>
    public string? Description { get; }
    /// <summary>The dilemmas, in file order.</summary>
    public IReadOnlyList<Dilemma> Dilemmas { get; }
    /// <summary>All judgments (humans and models), in file order.</summary>
    public IReadOnlyList<Judgment> Judgments { get; }
    /// <summary>The folder this dataset was loaded from, if any.</summary>
    public string? Folder { get; private init; }

    /// <summary>
    /// False for a text-less dataset (human vote counts without the posts, e.g. a <c>scruples-votes</c> import):
    /// true when any dilemma has text (or there are none); a loaded folder's manifest may say false explicitly.
    /// </summary>
    public bool HasText => _hasText ?? (Dilemmas.Count == 0 || Dilemmas.Any(d => !string.IsNullOrWhiteSpace(d.Text)));

    private bool? _hasText;

    /// <summary>The dilemma with this id.</summary>
    public Dilemma this[string id] => _byId.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No dilemma '{id}' in dataset '{Name}'.");

    /// <summary>Authors present among the judgments, in order of first appearance.</summary>
    public IReadOnlyList<string> Authors => Judgments.Select(j => j.Author).Distinct().ToArray();

    /// <summary>Topics present among the dilemmas (non-null), in order of first appearance.</summary>
    public IReadOnlyList<string> Topics => Dilemmas.Select(d => d.Topic).OfType<string>().Distinct().ToArray();

    /// <summary>Judgments of one dilemma (optionally one author).</summary>
    public IEnumerable<Judgment> JudgmentsOf(string dilemmaId, string? author = null) =>
        Judgments.Where(j => j.DilemmaId == dilemmaId && (author is null || j.Author == author));

    /// <summary>The verdict distribution of <paramref name="author"/> on each dilemma, in dilemma order (dilemmas without judgments by that author are left out).</summary>
    public IReadOnlyList<VerdictDistribution> Distributions(string author = Human)
    {
        var map = VerdictDistribution.FromJudgments(Judgments, author).ToDictionary(d => d.DilemmaId);
        return Dilemmas.Where(d => map.ContainsKey(d.Id)).Select(d => map[d.Id]).ToArray();
    }

    /// <summary>Number of dilemmas in each consensus bin (see <see cref="ConsensusBins"/>) for one author.</summary>
    public int[] ConsensusHistogram(string author = Human, double width = ConsensusBins.DefaultWidth) =>
        ConsensusBins.Histogram(Distributions(author), width);

    /// <summary>A new dataset with extra judgments (e.g. an LLM's) appended.</summary>
    public DilemmaDataset WithJudgments(IEnumerable<Judgment> more) => new(Dilemmas, Judgments.Concat(more), Name, Description) { _hasText = _hasText, Folder = Folder };

    /// <summary>The manifest this dataset writes.</summary>
    public DatasetManifest Manifest => new(SchemaVersion, Name, Description,
        new SortedDictionary<string, int>(StringComparer.Ordinal) { [DilemmasFile] = Dilemmas.Count, [JudgmentsFile] = Judgments.Count },
        HasText ? null : false);

    /// <summary>
    /// Writes the folder: <c>dilemmas.jsonl</c>, <c>judgments.jsonl</c>, then <c>manifest.json</c> (each atomically).
    /// Files of later stages listed in an existing manifest are kept in it.
    /// </summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Directory.CreateDirectory(folder);
        JsonlStore.Write(Path.Combine(folder, DilemmasFile), Dilemmas);
        JsonlStore.Write(Path.Combine(folder, JudgmentsFile), Judgments);
        WriteManifestKeepingStages(folder, Manifest);
    }

    /// <summary>Writes <paramref name="manifest"/> to the folder, keeping the files of later stages an existing manifest lists (when they exist).</summary>
    internal static void WriteManifestKeepingStages(string folder, DatasetManifest manifest)
    {
        if (File.Exists(Path.Combine(folder, DatasetManifest.FileName)))
            foreach (var (file, n) in DatasetManifest.Read(folder).Files)
                if (file != DilemmasFile && file != JudgmentsFile && File.Exists(Path.Combine(folder, file)))
                    manifest = manifest.WithFile(file, n);
        manifest.Write(folder);
    }

    /// <summary>
    /// Reads a dataset folder. Errors name file, line and field (<see cref="DataFormatException"/>): malformed lines,
    /// duplicate dilemma ids, judgments of unknown dilemmas, record counts that differ from the manifest.
    /// </summary>
    public static DilemmaDataset Load(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"Dataset folder not found: {folder}");
        var manifest = DatasetManifest.Read(folder);
        var dPath = Path.Combine(folder, DilemmasFile);
        var jPath = Path.Combine(folder, JudgmentsFile);
        var dilemmas = new List<Dilemma>();
        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        long line = 0;
        foreach (var (l, text) in TextLines.ReadLines(dPath))
        {
            line = l;
            var d = Deserialize<Dilemma>(dPath, l, text);
            if (!ids.TryAdd(d.Id, l)) throw new DataFormatException(dPath, l, "id", $"duplicate dilemma id '{d.Id}' (first on line {ids[d.Id]})");
            dilemmas.Add(d);
        }
        var judgments = new List<Judgment>();
        foreach (var (l, text) in TextLines.ReadLines(jPath))
        {
            var j = Deserialize<Judgment>(jPath, l, text);
            if (!ids.ContainsKey(j.DilemmaId)) throw new DataFormatException(jPath, l, "dilemmaId", $"unknown dilemma '{j.DilemmaId}'");
            judgments.Add(j);
        }
        Check(manifest, dPath, DilemmasFile, dilemmas.Count);
        Check(manifest, jPath, JudgmentsFile, judgments.Count);
        return new DilemmaDataset(dilemmas, judgments, manifest.Name, manifest.Description) { Folder = Path.GetFullPath(folder), _hasText = manifest.HasText == false ? false : null };
    }

    /// <summary>
    /// The dilemma ids of a dataset folder's <c>dilemmas.jsonl</c>, in file order, without reading its judgments
    /// (for streaming passes over large judgment files); errors name file, line and field.
    /// </summary>
    public static IReadOnlyList<string> ReadDilemmaIds(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var path = Path.Combine(folder, DilemmasFile);
        var ids = new List<string>();
        foreach (var (line, e) in JsonlStore.ReadElements(path))
        {
            if (!e.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String) throw new DataFormatException(path, line, "id", "missing or not a string");
            ids.Add(id.GetString()!);
        }
        return ids;
    }

    private static void Check(DatasetManifest m, string path, string file, int count)
    {
        if (m.Files.TryGetValue(file, out var expected) && expected != count)
            throw new DataFormatException(Path.Combine(Path.GetDirectoryName(path)!, DatasetManifest.FileName), 0, $"files.{file}",
                $"manifest says {expected} records, {file} has {count} (a partial copy?)");
    }

    private static T Deserialize<T>(string path, long line, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(text, JsonlStore.Options) ?? throw new DataFormatException(path, line, null, "null instead of an object");
        }
        catch (JsonException ex) { throw new DataFormatException(path, line, JsonlStore.FieldOf(ex), ex.Message, ex); }
    }

    /// <summary>
    /// Loads the embedded sample (<c>data/sample</c>): from <paramref name="folder"/> when given, otherwise found by
    /// walking up from the current directory (then from the library's location) to the folder holding MoralNotebooks.sln.
    /// </summary>
    public static DilemmaDataset LoadSample(string? folder = null) => Load(folder ?? FindRepoFolder(Path.Combine("data", "sample")));

    /// <summary>
    /// <c>root/relative</c> for the nearest folder above the current directory (or above this assembly) that holds
    /// MoralNotebooks.sln; throws with the searched places when there is none.
    /// </summary>
    public static string FindRepoFolder(string relative)
    {
        var starts = new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(typeof(DilemmaDataset).Assembly.Location) ?? "" };
        foreach (var start in starts)
            if (RepositoryRoot.Find(start) is { } root && Path.Combine(root, relative) is var p && (Directory.Exists(p) || File.Exists(p)))
                return p;
        throw new DirectoryNotFoundException(
            $"'{relative}' not found: no folder holding {RepositoryRoot.SolutionFile} above {string.Join(" or ", starts.Where(s => s.Length > 0).Distinct())}. Pass the path explicitly.");
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var human = Distributions();
        var hist = ConsensusBins.Histogram(human);
        var labels = ConsensusBins.Labels();
        return $"DilemmaDataset '{Name}': {Dilemmas.Count} dilemmas, {Judgments.Count} judgments by {Authors.Count} author(s)"
            + (Topics.Count > 0 ? $", {Topics.Count} topics" : "")
            + (human.Count > 0 ? $"; human consensus bins " + string.Join(" ", labels.Select((l, i) => $"{l}:{hist[i]}")) : "");
    }
}
