using MoralGap.Data;

namespace MoralGap.Notebooks;

/// <summary>Glue of chapter 01 and the <c>import</c> verb: streaming imports with progress in megabytes.</summary>
public static class DatasetChapters
{
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
}
