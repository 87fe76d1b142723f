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
