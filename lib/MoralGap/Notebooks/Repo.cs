using MoralGap.Data;

namespace MoralGap.Notebooks;

/// <summary>
/// The repository a notebook runs in: found by walking up from the current directory (a notebook's kernel starts in
/// the notebook's folder) to the folder holding MoralNotebooks.sln. Paths in notebook parameters are relative to it.
/// </summary>
public static class Repo
{
    /// <summary>The repository root.</summary>
    /// <exception cref="DirectoryNotFoundException">No MoralNotebooks.sln above the current directory.</exception>
    public static string Root => RepositoryRoot.Find(Environment.CurrentDirectory)
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
}
