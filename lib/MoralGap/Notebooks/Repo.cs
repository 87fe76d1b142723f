namespace MoralGap.Notebooks;

/// <summary>
/// The repository a notebook runs in: found by walking up from the current directory (a notebook's kernel starts in
/// the notebook's folder) to the folder holding MoralNotebooks.sln. Paths in notebook parameters are relative to it.
/// </summary>
public static class Repo
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No MoralNotebooks.sln above the current directory.</exception>
    public static string Root => FindRoot(Environment.CurrentDirectory)
        ?? throw new DirectoryNotFoundException(
            $"MoralNotebooks.sln was not found above {Environment.CurrentDirectory}; open the notebook from the repository's notebooks/ folder.");

    /// <summary>Resolves <paramref name="relativeOrAbsolute"/> against <see cref="Root"/> (absolute paths are kept).</summary>
    public static string Path(string relativeOrAbsolute)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativeOrAbsolute);
        return System.IO.Path.GetFullPath(System.IO.Path.IsPathRooted(relativeOrAbsolute)
            ? relativeOrAbsolute
            : System.IO.Path.Combine(Root, relativeOrAbsolute));
    }

    /// <summary>The folder holding MoralNotebooks.sln at or above <paramref name="start"/>, or null.</summary>
    public static string? FindRoot(string start)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (File.Exists(System.IO.Path.Combine(d.FullName, "MoralNotebooks.sln"))) return d.FullName;
        return null;
    }
}
