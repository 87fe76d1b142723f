namespace MoralGap.Tests.Values;

/// <summary>Paths of the Values test fixtures (read from the source tree, so the test project needs no copy rules).</summary>
internal static class ValuesFixtures
{
    public static string Folder { get; } = Path.Combine(TestPaths.RepoRoot, "tests", "MoralGap.Tests", "Values", "Fixtures");

    public static string SmallLexicon { get; } = Path.Combine(Folder, "lexicon-small.tsv");

    /// <summary>A fresh temporary folder for one test.</summary>
    public static string TempFolder()
    {
        var d = Path.Combine(Path.GetTempPath(), "moralgap-values-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }
}
