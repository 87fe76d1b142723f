namespace MoralGap.Data;

/// <summary>
/// Where the repository is: the folder holding <see cref="SolutionFile"/>, found by walking up from a starting folder.
/// The one finder behind the notebooks' <c>Repo</c>, <see cref="DilemmaDataset.FindRepoFolder"/>, the runner, the tests
/// and the benchmarks; and where the optional real data lies (<see cref="SharedData(string?)"/>).
/// </summary>
public static class RepositoryRoot
{
    /// <summary>The file that marks the repository root.</summary>
    public const string SolutionFile = "MoralNotebooks.sln";

    /// <summary>The environment variable that names the real-data folder when it is not <c>../shared/data</c>.</summary>
    public const string SharedDataVariable = "MORALGAP_SHARED_DATA";

    /// <summary>
    /// The first folder holding <see cref="SolutionFile"/> at or above one of <paramref name="starts"/>, tried in order
    /// (null or empty starts are passed over); null when none is inside a repository.
    /// </summary>
    public static string? Find(params string?[] starts)
    {
        ArgumentNullException.ThrowIfNull(starts);
        foreach (var start in starts)
        {
            if (string.IsNullOrEmpty(start)) continue;
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, SolutionFile))) return d.FullName;
        }
        return null;
    }

    /// <summary>
    /// The real data: the folder named by <see cref="SharedDataVariable"/> when it exists, else <c>shared/data</c> in the
    /// folder that holds the repository or in one above it (a git worktree may sit deeper); null when there is none.
    /// </summary>
    /// <param name="root">The repository root (default: <see cref="Find"/> from the current directory, then from this library's folder).</param>
    public static string? SharedData(string? root = null) =>
        SharedData(root ?? Find(Directory.GetCurrentDirectory(), AppContext.BaseDirectory), Environment.GetEnvironmentVariable(SharedDataVariable));

    /// <summary>As <see cref="SharedData(string?)"/> with the variable's value given (<paramref name="named"/>).</summary>
    internal static string? SharedData(string? root, string? named)
    {
        if (named is { Length: > 0 } && Directory.Exists(named)) return named;
        for (var d = root is null ? null : new DirectoryInfo(root).Parent; d is not null; d = d.Parent)
        {
            var data = Path.Combine(d.FullName, "shared", "data");
            if (Directory.Exists(data)) return data;
        }
        return null;
    }
}
