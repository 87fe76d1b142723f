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
        var progress = new Inline(p =>
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

    private sealed class Inline(Action<ImportProgress> report) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => report(value);
    }
}
