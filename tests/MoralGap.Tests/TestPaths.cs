using MoralGap.Data;

namespace MoralGap.Tests;

/// <summary>Where tests find the repository and the optional real data in ../shared/data.</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding MoralNotebooks.sln).</summary>
    public static string RepoRoot { get; } = RepositoryRoot.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException(RepositoryRoot.SolutionFile + " not found above " + AppContext.BaseDirectory);

    /// <summary>
    /// ../shared/data next to the repository (or above it, for git worktrees), or MORALGAP_SHARED_DATA; null when absent
    /// (<see cref="RepositoryRoot.SharedData(string?)"/>). Tests that need it use <c>Skip.If(TestPaths.SharedData is null, ...)</c>.
    /// </summary>
    public static string? SharedData { get; } = RepositoryRoot.SharedData(RepoRoot);
}
