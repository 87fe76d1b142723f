using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Rewrite;

namespace MoralGap.Notebooks;

/// <summary>A dataset a chapter loaded or imported, with what to say about it.</summary>
/// <param name="Dataset">The dataset.</param>
/// <param name="Note">One line: where it came from (and where an import was saved).</param>
/// <param name="Report">The import's filter report; null for the embedded sample.</param>
public sealed record LoadedDataset(DilemmaDataset Dataset, string Note, FilterReport? Report);

/// <summary>One before/after pair of the rewrite gate, for a table.</summary>
public sealed record RewritePair(string Id, string Status, string Before, string After);

/// <summary>Glue of chapter 01 and the <c>import</c> verb: streaming imports with progress in megabytes; the rewrite gate.</summary>
public static class DatasetChapters
{
    /// <summary>
    /// Chapter 01's dataset: the embedded sample when <paramref name="dataSource"/> is empty, else an import of it
    /// (<see cref="Import"/>) with these filters, saved under <c>artifacts/datasets/</c>.
    /// </summary>
    public static LoadedDataset LoadOrImport(string? dataSource, string format, int minJudgments, int subsample, int seed, string verdictRule)
    {
        if (string.IsNullOrWhiteSpace(dataSource))
            return new LoadedDataset(DilemmaDataset.LoadSample(),
                "Embedded sample: original dilemmas written for this project, judgments drawn from a documented generative model (data/sample/README.md).", null);
        var options = new ImportOptions
        {
            MinJudgments = minJudgments, Subsample = subsample > 0 ? subsample : null, Seed = seed, VerdictRule = AitaLabels.ParseRule(verdictRule),
        };
        // Streams into artifacts/datasets/<name> (flat memory, even for a multi-GB Reddit dump), then loads what was kept.
        var (dataset, summary) = Import(dataSource, format, options);
        return new LoadedDataset(dataset, $"Saved to {Path.GetRelativePath(Repo.Root, dataset.Folder!)}: later chapters read it with -p Dataset=...", summary.Report);
    }

    /// <summary>
    /// Runs the rewrite gate (<see cref="RewriteGate"/>) over the dataset folder <paramref name="dataFolder"/> (relative to
    /// the repository root). With an LLM configured by the environment, <paramref name="model"/> (empty: the first
    /// configured) rewrites and is probed, every answer in the response cache <c>artifacts/llm-cache</c>; without one the
    /// rule-based rewriter runs and the probe is skipped. The gated dataset is saved to <c>artifacts/datasets/&lt;name&gt;-rewritten</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The LLM configuration is incomplete, or <paramref name="model"/> is not configured.</exception>
    public static async Task<RewriteGateResult> RewriteAsync(string dataFolder, string? model, RewriteGateOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataFolder);
        var source = DilemmaDataset.Load(Repo.Path(dataFolder));
        var config = LlmConfiguration.FromEnvironment();
        config.EnsureComplete();
        CachedChatClient? client = null;
        if (!config.IsSimulated)
        {
            model = string.IsNullOrWhiteSpace(model) ? config.Models[0] : model.Trim();
            if (!config.Models.Contains(model)) throw new InvalidOperationException($"Model '{model}' is not configured (MORALGAP_MODELS: {string.Join(", ", config.Models)}).");
            client = config.CreateCachedClient(model, Repo.Path(Path.Combine("artifacts", "llm-cache")));
        }
        using var bar = ProgressDisplay.Start(client is null ? "Rewriting (rule-based)" : "Rewriting and probing " + model, source.Dilemmas.Count);
        var result = await RewriteGate.RunAsync(source.Dilemmas, client, model, options, new InlineProgress<RewriteGate.Progress>(p => bar.Report(p.Done)));
        result.Save(source, Repo.Path(Path.Combine("artifacts", "datasets", source.Name + "-rewritten")));
        return result;
    }

    /// <summary>Before/after pairs of the gate (title, blank line, text), for a table.</summary>
    public static IReadOnlyList<RewritePair> BeforeAfter(RewriteGateResult result, int count = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcomes.Take(count).Select(o => new RewritePair(o.Id,
            o.Status + (o.Reason is null ? "" : ": " + o.Reason),
            o.OriginalTitle + "\n\n" + o.OriginalText, o.Title + "\n\n" + o.Text)).ToArray();
    }

    /// <summary>
    /// Imports <paramref name="dataSource"/> (comma-separated input files, relative to the repository root; for
    /// reddit the submissions file first) into <c>artifacts/datasets/&lt;name&gt;</c>, where name is the first file's
    /// name without extension, with progress shown in place, and loads the written dataset. The import streams
    /// (<see cref="Importers.ImportTo"/>), so a multi-GB Reddit dump does not have to fit in memory; the loaded dataset
    /// holds only what the filters kept.
    /// </summary>
    public static (DilemmaDataset Dataset, ImportSummary Summary) Import(string dataSource, string format, ImportOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSource);
        var paths = dataSource.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Repo.Path).ToArray();
        var name = Path.GetFileNameWithoutExtension(paths[0]);
        var folder = Repo.Path(Path.Combine("artifacts", "datasets", name));
        var summary = ImportWithProgress(folder, Importers.ParseFormat(format), paths, options, name);
        return (DilemmaDataset.Load(folder), summary);
    }

    /// <summary>
    /// The dataset a chapter's <c>Dataset</c> parameter names: empty (or <c>data/sample</c>) for the embedded sample,
    /// else a dataset folder relative to the repository root (e.g. <c>artifacts/datasets/aita-2020-votes</c>, written
    /// by chapter 01 or the import verb). With <paramref name="needsRationales"/>, a dataset whose human judgments have
    /// no rationale text (a vote-count import keeps only the counts) stops here with a message that says so, instead
    /// of failing later on "no value found".
    /// </summary>
    /// <exception cref="InvalidOperationException">Rationales are needed and there are none.</exception>
    public static DilemmaDataset Load(string? dataset, bool needsRationales = false)
    {
        var ds = IsSampleParameter(dataset) ? DilemmaDataset.LoadSample() : DilemmaDataset.Load(Repo.Path(dataset!));
        if (needsRationales && !ds.Judgments.Any(j => j.Author == DilemmaDataset.Human && !string.IsNullOrWhiteSpace(j.Rationale)))
            throw new InvalidOperationException(
                $"Dataset '{ds.Name}' has no human rationale text ({ds.Judgments.Count:N0} judgments, all with empty rationales; " +
                "a votes-csv or Scruples import keeps only the vote counts). This chapter reads the values people name in " +
                "their rationales: import a Reddit dump (submissions + comments) or a paired-rationale CSV instead. " +
                "Chapters 01–03 work on vote counts.");
        return ds;
    }

    /// <summary>True when a <c>Dataset</c> parameter means the embedded sample (empty or <c>data/sample</c>).</summary>
    public static bool IsSampleParameter(string? dataset) =>
        string.IsNullOrWhiteSpace(dataset) || Path.GetFullPath(Repo.Path(dataset)) == Path.GetFullPath(Repo.Path(Path.Combine("data", "sample")));

    /// <summary>
    /// <see cref="Importers.ImportTo"/> with a <see cref="ProgressDisplay"/> counting megabytes of input read (in place
    /// in a notebook; on standard error elsewhere, at most every <paramref name="minInterval"/>).
    /// </summary>
    public static ImportSummary ImportWithProgress(string folder, ImportFormat format, IReadOnlyList<string> paths, ImportOptions options,
        string? name = null, TimeSpan? minInterval = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var sizes = paths.Select(p => File.Exists(p) ? new FileInfo(p).Length : 0).ToArray();
        var totalMb = (int)Math.Max(1, Math.Ceiling(sizes.Sum() / 1e6));
        using var bar = ProgressDisplay.Start("Importing (MB read)", totalMb, minInterval);
        var current = 0;
        var progress = new InlineProgress<ImportProgress>(p =>
        {
            // Files are read in order; find this one from the current position (a file may be given twice).
            for (var i = current; i < paths.Count; i++)
                if (paths[i] == p.File) { current = i; break; }
            var before = sizes.Take(current).Sum();
            bar.Report((int)Math.Min(totalMb, (before + Math.Max(0, p.BytesRead)) / 1e6));
        });
        var summary = Importers.ImportTo(folder, format, paths, options, name, progress);
        bar.Report(totalMb); // whole megabytes round down; the input was read to its end
        return summary;
    }

    /// <summary>
    /// Example comments for chapter 01's verdict-rule section: the Scruples repository's own test case (four comments
    /// on one post; AUTHOR 1, OTHER 2 by its rule) and comments that state a verdict after the start, hedge, or
    /// contradict themselves. Written for this project.
    /// </summary>
    public static IReadOnlyList<string> VerdictExamples { get; } =
    [
        "NTA, definitely nta.",
        "I think YTA.",
        "I'm gonna have to go with NTA on this one.",
        "Very surprising!",
        "OP, YTA. You read her diary.",
        "This. NTA, she spent the money first.",
        "A gentle YTA: you could have asked.",
        "You should have talked to him first. Yta",
        "NTA but honestly YTA for the yelling.",
        "YTA. Some would say NTA, not me.",
        "Everyone sucks here, you both yelled.",
        "AITA for refusing? I can see both sides.",
    ];

    /// <summary>
    /// Each comment's verdict under both rules: the label read by the reference (Scruples) rule and which part of the
    /// rule decided it, and the label read by the start rule ("(none)" when no label).
    /// </summary>
    public static IReadOnlyList<(string Comment, string Reference, string DecidedBy, string Start)> CompareVerdictRules(IEnumerable<string> comments)
    {
        ArgumentNullException.ThrowIfNull(comments);
        return comments.Select(c =>
        {
            var reference = ScruplesVerdictRule.Read(c);
            var start = AitaLabels.TryParseComment(c, out var l, out _, out _) ? l : "(none)";
            return (c, reference.Label ?? "(none)", reference.Resolution.ToString(), start);
        }).ToArray();
    }

    /// <summary>
    /// Imports <paramref name="comments"/> as the top-level comments of one Reddit post (a submissions and a comments
    /// JSONL file written to a temporary folder and deleted afterwards) with <paramref name="rule"/> and no minimum, and
    /// returns the import report: what the rule kept, dropped, and how comments with several labels were resolved.
    /// </summary>
    public static FilterReport ImportComments(IEnumerable<string> comments, VerdictRule rule)
    {
        ArgumentNullException.ThrowIfNull(comments);
        var dir = Directory.CreateTempSubdirectory("moralgap-verdicts-").FullName;
        try
        {
            var subs = Path.Combine(dir, "submissions.jsonl");
            var coms = Path.Combine(dir, "comments.jsonl");
            File.WriteAllText(subs, System.Text.Json.JsonSerializer.Serialize(new { id = "example", title = "AITA for not going to my sister's party?", selftext = "I stayed home on a work night." }) + "\n");
            File.WriteAllLines(coms, comments.Select((body, i) => System.Text.Json.JsonSerializer.Serialize(
                new { id = "c" + i, link_id = "t3_example", parent_id = "t3_example", body, author = "user" + i })));
            return Importers.Import(ImportFormat.Reddit, [subs, coms], ImportOptions.KeepAll with { VerdictRule = rule }).Report;
        }
        finally { Directory.Delete(dir, true); }
    }
}
