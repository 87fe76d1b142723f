using MoralGap.Data;

namespace MoralGap.Tests;

public class SmokeTests
{
    [Fact]
    public void RepositoryRootIsFound() => Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "MoralNotebooks.sln")));

    [Fact]
    public void JudgmentKeepsAMissingVerdictApartFromAVerdict()
    {
        var info = new Judgment("d1", "human", "INFO", null, "", 0);
        Assert.Null(info.Verdict);
    }
}

public class PaperValuesTests
{
    [SkippableFact]
    public void TheTaxonomyMatchesTheSharedCopyOfTable5()
    {
        Skip.If(TestPaths.SharedData is null, "../shared/data is absent");
        var shared = File.ReadAllLines(Path.Combine(TestPaths.SharedData!, "paper-values.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToArray();
        Assert.Equal(shared, PaperValues.Names);
        Assert.Equal(59, PaperValues.Count);
        Assert.Equal(PaperValues.Names.ToList().IndexOf("Loyalty"), PaperValues.IndexOf(" loyalty "));
    }
}
