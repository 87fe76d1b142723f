using MoralGap.Data;

namespace MoralGap.Tests;

public class SmokeTests
{
    [Fact]
    public void RepositoryRootIsTheNearestFolderAboveAStartThatHoldsTheSolution()
    {
        var top = Directory.CreateTempSubdirectory("moralgap-root-").FullName;
        try
        {
            var repo = Directory.CreateDirectory(Path.Combine(top, "repo")).FullName;
            File.WriteAllText(Path.Combine(repo, RepositoryRoot.SolutionFile), "");
            var deep = Directory.CreateDirectory(Path.Combine(repo, "notebooks", "sub")).FullName;
            var outside = Directory.CreateDirectory(Path.Combine(top, "elsewhere")).FullName;

            Assert.Equal(repo, RepositoryRoot.Find(deep));
            Assert.Equal(repo, RepositoryRoot.Find(repo));
            Assert.Null(RepositoryRoot.Find(outside));
            Assert.Equal(repo, RepositoryRoot.Find(null, "", outside, deep)); // starts tried in order, empty ones passed over
            // This test run sits inside the repository: the runner's finder and the tests' agree with the one finder.
            Assert.Equal(RepositoryRoot.Find(AppContext.BaseDirectory), TestPaths.RepoRoot);
            Assert.True(File.Exists(Path.Combine(TestPaths.RepoRoot, "lib", "MoralGap", "MoralGap.csproj")));
        }
        finally { Directory.Delete(top, recursive: true); }
    }

    [Fact]
    public void SharedDataIsFoundBesideOrAboveTheRepository()
    {
        var top = Directory.CreateTempSubdirectory("moralgap-shared-").FullName;
        try
        {
            var data = Directory.CreateDirectory(Path.Combine(top, "shared", "data")).FullName;
            var worktree = Directory.CreateDirectory(Path.Combine(top, "worktrees", "wt-1")).FullName;
            var named = Directory.CreateDirectory(Path.Combine(top, "mine")).FullName;
            Assert.Equal(data, RepositoryRoot.SharedData(worktree, named: null));
            Assert.Equal(named, RepositoryRoot.SharedData(worktree, named));
            Assert.Equal(data, RepositoryRoot.SharedData(worktree, Path.Combine(top, "missing"))); // a named folder that does not exist is passed over
            var bare = Directory.CreateTempSubdirectory("moralgap-noshared-").FullName;
            try { Assert.Null(RepositoryRoot.SharedData(bare, named: null)); } // no shared/data above it
            finally { Directory.Delete(bare); }
        }
        finally { Directory.Delete(top, recursive: true); }
    }

    [Fact]
    public void JudgmentKeepsAMissingVerdictApartFromAVerdictThroughTheStore()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("moralgap-judgment-").FullName, "judgments.jsonl");
        JsonlStore.Write(path, new[]
        {
            new Judgment("d1", "human", "INFO", null, "need more info", 0),
            new Judgment("d1", "human", "YTA", Verdict.Unacceptable, "", 1),
        });
        var back = JsonlStore.Read<Judgment>(path).ToList();
        Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);

        Assert.Null(back[0].Verdict); // not read back as the enum's default, ACCEPTABLE
        Assert.Equal("INFO", back[0].RawLabel);
        Assert.Equal(Verdict.Unacceptable, back[1].Verdict);
        var distribution = VerdictDistribution.FromJudgments(back).Single();
        Assert.Equal((0, 1, 1, 1), (distribution.Acceptable, distribution.Unacceptable, distribution.NoVerdict, distribution.N));
    }
}

public class PaperValuesTests
{
    /// <summary>SHA-256 of the 59 Table 5 names joined by "\n", computed from the shared copy of the table (paper-values.txt).</summary>
    private const string Table5Sha256 = "230a0bcc2ca42693d4db2a7219fb0620d94166a737ab49fef89c2211f61fcca7";

    [Fact]
    public void TheTaxonomyIsTable5WithoutTheSharedCopy()
    {
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", PaperValues.Names))));
        Assert.Equal(Table5Sha256, digest);
        Assert.Equal(59, PaperValues.Count);
        Assert.Equal(59, PaperValues.Names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(PaperValues.Names.ToList().IndexOf("Loyalty"), PaperValues.IndexOf(" loyalty "));
    }

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
