namespace MoralGap.Notebooks;

/// <summary>One file or folder a chapter needs from outside the repository, named by one item of a parameter's value.</summary>
/// <param name="Parameter">The parameter (of the parameters cell) whose value names it.</param>
/// <param name="Model">The model name written before <c>=</c> in a <c>name=path</c> item; null for a bare path.</param>
/// <param name="Path">The path as written: relative to the repository root, or absolute.</param>
public sealed record RequiredDataPath(string Parameter, string? Model, string Path)
{
    /// <summary>The absolute path: <see cref="Path"/> resolved against <paramref name="repoRoot"/> unless it is absolute.</summary>
    public string FullPath(string repoRoot) => System.IO.Path.GetFullPath(Path, repoRoot);

    /// <summary>True when a file or a folder exists at <see cref="FullPath"/>.</summary>
    public bool Exists(string repoRoot)
    {
        var full = FullPath(repoRoot);
        return File.Exists(full) || Directory.Exists(full);
    }

    /// <summary>How the skip line names it: <c>PATH (parameter NAME)</c>, with the model when there is one.</summary>
    public override string ToString() =>
        Model is null ? $"{Path} (parameter {Parameter})" : $"{Path} (parameter {Parameter}, model {Model})";
}

/// <summary>
/// Data a chapter needs from outside the repository (the notebook's <c>metadata.moralgap.requires</c>): how a
/// parameter's value names paths, and the one line both the runner and a chapter's file-based app print when a path
/// is absent and the chapter is skipped.
/// </summary>
public static class RequiredData
{
    /// <summary>
    /// Splits a parameter's value into paths: items separated by commas, each <c>path</c> or <c>name=path</c> (the text
    /// before the first <c>=</c> is a model name), surrounding spaces trimmed; empty items and empty paths are ignored.
    /// </summary>
    public static IReadOnlyList<RequiredDataPath> SplitPaths(string parameter, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new List<RequiredDataPath>();
        foreach (var raw in value.Split(','))
        {
            var item = raw.Trim();
            var eq = item.IndexOf('=');
            var model = eq >= 0 ? item[..eq].Trim() : null;
            var path = eq >= 0 ? item[(eq + 1)..].Trim() : item;
            if (path.Length == 0) continue;
            result.Add(new RequiredDataPath(parameter, string.IsNullOrEmpty(model) ? null : model, path));
        }
        return result;
    }

    /// <summary>
    /// The line printed for a skipped chapter, e.g.
    /// <c>skip 10-real-models.ipynb: needs ../shared/data/x.csv (parameter Votes), which is absent</c>.
    /// </summary>
    public static string SkipLine(string chapterFileName, IReadOnlyList<RequiredDataPath> missing)
    {
        if (missing.Count == 0) throw new ArgumentException("a chapter is skipped only when a required path is missing", nameof(missing));
        return $"skip {chapterFileName}: needs {string.Join(", ", missing)}, which {(missing.Count == 1 ? "is" : "are")} absent";
    }
}
