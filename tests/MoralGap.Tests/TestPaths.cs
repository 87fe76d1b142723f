namespace MoralGap.Tests;

/// <summary>Where tests find the repository and the optional real data in ../shared/data.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding MoralNotebooks.sln).</summary>
    public static string RepoRoot { get; } = FindUp(AppContext.BaseDirectory, d => File.Exists(Path.Combine(d, "MoralNotebooks.sln")))
        ?? throw new InvalidOperationException("MoralNotebooks.sln not found above " + AppContext.BaseDirectory);

    /// <summary>
    /// ../shared/data next to the repository (or above it, for git worktrees), or MORALGAP_SHARED_DATA; null when absent.
    /// Tests that need it use <c>Skip.If(TestPaths.SharedData is null, ...)</c>.
    /// </summary>
    public static string? SharedData { get; } =
        Environment.GetEnvironmentVariable("MORALGAP_SHARED_DATA") is { Length: > 0 } env && Directory.Exists(env) ? env
        : FindUp(Path.GetDirectoryName(RepoRoot)!, d => Directory.Exists(Path.Combine(d, "shared", "data"))) is { } up
            ? Path.Combine(up, "shared", "data") : null;

    private static string? FindUp(string start, Func<string, bool> found)
    {
        for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            if (found(d.FullName)) return d.FullName;
        return null;
    }
}
