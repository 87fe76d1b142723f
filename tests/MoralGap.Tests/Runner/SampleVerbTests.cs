namespace MoralGap.Tests.Runner;

public class SampleVerbTests
{
    [Fact]
    public async Task The_sample_verb_writes_the_committed_sample_from_its_seed()
    {
        var folder = RunnerHarness.NewTempFolder("sample-verb");
        var run = await RunnerHarness.InvokeAsync("sample", "--out", folder);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("120 dilemmas, 3840 judgments", run.Output);
        foreach (var f in new[] { "dilemmas.jsonl", "judgments.jsonl", "manifest.json", "truth.json" })
            Assert.True(File.ReadAllBytes(Path.Combine(TestPaths.RepoRoot, "data", "sample", f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, f))),
                $"{f} written by the sample verb differs from the committed one");
        var other = RunnerHarness.NewTempFolder("sample-verb-seed");
        Assert.Equal(0, (await RunnerHarness.InvokeAsync("sample", "--out", other, "--seed", "1")).ExitCode);
        Assert.False(File.ReadAllBytes(Path.Combine(folder, "judgments.jsonl")).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(other, "judgments.jsonl"))));
    }
}
