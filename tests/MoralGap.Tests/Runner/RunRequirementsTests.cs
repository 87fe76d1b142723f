namespace MoralGap.Tests.Runner;

/// <summary>
/// The <c>run</c> verb and <c>metadata.moralgap.requires</c>, on Fixtures/needs-data.ipynb: its parameter Votes
/// defaults to a path no checkout has, Judgments (<c>name=path</c>) to an existing fixture.
/// </summary>
public sealed class RunRequirementsTests
{
    private const string Notebook = "needs-data.ipynb";
    private const string SkipLine =
        "skip needs-data.ipynb: needs tests/MoralGap.Tests/Runner/Fixtures/no-such-data/votes.csv (parameter Votes), which is absent";

    /// <summary>A copy of the fixture with an old modification time, so an unchanged time means the file was not rewritten.</summary>
    private static (string Path, byte[] Bytes, DateTime Modified) CopyOfTheFixture(string label)
    {
        var path = Path.Combine(RunnerHarness.NewTempFolder(label), Notebook);
        File.Copy(RunnerHarness.Fixture(Notebook), path);
        var modified = new DateTime(2024, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, modified);
        return (path, File.ReadAllBytes(path), modified);
    }

    [Fact]
    public async Task ANotebookWhoseRequiredDataIsAbsentIsSkippedInPlaceAndLeftUntouched()
    {
        var (path, bytes, modified) = CopyOfTheFixture("skip-in-place");

        var run = await RunnerHarness.InvokeAsync("run", path, "--no-build");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(SkipLine + "\n", run.Output.Replace("\r\n", "\n"));
        Assert.Contains("run: 0 notebook(s) ran without error; 1 skipped (required data absent: needs-data.ipynb)", run.Output);
        Assert.DoesNotContain("starting the kernel", run.Output); // no kernel was started for it
        Assert.Equal("", run.Error);
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
        Assert.Equal([Notebook], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName)); // no .tmp either
    }

    [Fact]
    public async Task WithOutNothingIsWrittenForASkippedNotebook()
    {
        var (path, bytes, modified) = CopyOfTheFixture("skip-out");
        var outDir = RunnerHarness.NewTempFolder("skip-out-dir");

        // -p of another parameter (the existing Judgments) does not change that Votes is absent.
        var run = await RunnerHarness.InvokeAsync("run", path, "--out", outDir, "--no-build",
            "-p", "Judgments=a=tests/MoralGap.Tests/Runner/Fixtures/passing.ipynb,b=tests/MoralGap.Tests/Runner/Fixtures");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains(SkipLine, run.Output);
        Assert.DoesNotContain("starting the kernel", run.Output);
        Assert.Empty(Directory.GetFileSystemEntries(outDir));
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public async Task AnAbsentPathGivenWithPIsReportedWithItsModelName()
    {
        var (path, _, _) = CopyOfTheFixture("skip-p");
        var run = await RunnerHarness.InvokeAsync("run", path, "--no-build",
            "-p", "Votes=tests/MoralGap.Tests/Runner/Fixtures/passing.ipynb", "-p", "Judgments=gpt-4o=../no-such-folder/judgments.jsonl");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("skip needs-data.ipynb: needs ../no-such-folder/judgments.jsonl (parameter Judgments, model gpt-4o), which is absent", run.Output);
    }

    [Fact]
    public async Task AWrongRequiresDeclarationIsAUsageErrorBeforeAnythingRuns()
    {
        var (path, bytes, _) = CopyOfTheFixture("bad-requires");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"Judgments\"\n", "\"Judgmnets\"\n"));
        var run = await RunnerHarness.InvokeAsync("run", path, "--no-build");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs-data.ipynb: metadata \"moralgap.requires\" names 'Judgmnets', which the parameters cell does not declare", run.Error);
        Assert.DoesNotContain("starting the kernel", run.Output);
        Assert.NotEqual(bytes, File.ReadAllBytes(path)); // the edit above took effect
    }

    [Fact]
    [Trait("Category", "Kernel")]
    public async Task WithTheRequiredDataPresentTheNotebookRuns()
    {
        // The committed fixture itself (a kernel starts in the notebook's folder and needs the repository's tool manifest);
        // --out keeps it unchanged.
        var outDir = RunnerHarness.NewTempFolder("requires-met-out");

        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture(Notebook), "--out", outDir, "--no-build",
            "-p", "Votes=tests/MoralGap.Tests/Runner/Fixtures/passing.ipynb");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("skip ", run.Output);
        Assert.Contains("needs-data.ipynb: starting the kernel", run.Output);
        Assert.Contains("run: 1 notebook(s) ran without error\n", run.Output.Replace("\r\n", "\n"));
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(Path.Combine(outDir, Notebook)));
        Assert.Equal(
            "votes from tests/MoralGap.Tests/Runner/Fixtures/passing.ipynb; judgments from fixture=tests/MoralGap.Tests/Runner/Fixtures/passing.ipynb\n",
            RunnerHarness.OutputText(cells[^1]!));
    }
}
