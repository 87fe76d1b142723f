using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace MoralGap.Tests.Runner;

/// <summary>
/// Every fixture run the <c>run</c> verb tests need, each started once (a kernel start costs 5–10 s) and at most
/// two at a time (the machine has 2 cores); the facts below look at the results.
/// </summary>
public sealed class FixtureRuns
{
    private readonly SemaphoreSlim _gate = new(3);

    public FixtureRuns()
    {
        PassingFirst = Start("passing-1", "passing.ipynb");
        PassingSecond = Start("passing-2", "passing.ipynb");
        PassingWithParameters = Start("passing-p", "passing.ipynb", "-p", "Count=7", "-p", "Greeting=say \"hi\"\\now", "-p", "Ratio=1.5", "-p", "Loud=true");
        RuntimeError = Start("runtime", "runtime-error.ipynb");
        CompileError = Start("compile", "compile-error.ipynb");
        Hanging = Start("hang", "hanging.ipynb", "--timeout", "5");
    }

    public Task<(CliRun Run, string Out)> PassingFirst { get; }
    public Task<(CliRun Run, string Out)> PassingSecond { get; }
    public Task<(CliRun Run, string Out)> PassingWithParameters { get; }
    public Task<(CliRun Run, string Out)> RuntimeError { get; }
    public Task<(CliRun Run, string Out)> CompileError { get; }
    public Task<(CliRun Run, string Out)> Hanging { get; }

    private Task<(CliRun, string)> Start(string label, string fixture, params string[] extra) => Task.Run(async () =>
    {
        await _gate.WaitAsync();
        try
        {
            var outDir = RunnerHarness.NewTempFolder(label);
            var run = await RunnerHarness.InvokeAsync(["run", RunnerHarness.Fixture(fixture), "--out", outDir, "--no-build", .. extra]);
            return (run, Path.Combine(outDir, fixture));
        }
        finally
        {
            _gate.Release();
        }
    });
}

/// <summary>The <c>run</c> verb against small fixture notebooks in the official kernel (no library load).</summary>
[Trait("Category", "Kernel")]
public sealed class RunVerbTests(FixtureRuns runs) : IClassFixture<FixtureRuns>
{
    [Fact]
    public async Task WithSeveralNotebooksEachTakesTheParametersItDeclares()
    {
        // A copy of passing.ipynb whose parameters cell is not tagged: it declares nothing, so it runs with its defaults.
        var folder = RunnerHarness.NewTempFolder("several");
        var untagged = RunnerHarness.ReadNotebook(RunnerHarness.Fixture("passing.ipynb"));
        foreach (var cell in RunnerHarness.Cells(untagged)) (cell!["metadata"] as System.Text.Json.Nodes.JsonObject)?.Remove("tags");
        var second = Path.Combine(folder, "untagged.ipynb");
        File.WriteAllText(second, untagged.ToJsonString());
        var outDir = RunnerHarness.NewTempFolder("several-out");
        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture("passing.ipynb"), second, "--out", outDir, "--no-build", "-p", "Count=5");
        Assert.True(run.ExitCode == 0, run.ToString());
        string Printed(string file) => RunnerHarness.OutputText(RunnerHarness.Cells(RunnerHarness.ReadNotebook(Path.Combine(outDir, file)))
            .First(c => RunnerHarness.OutputText(c!).Contains("hello x"))!);
        Assert.Contains("hello x 5", Printed("passing.ipynb"));
        Assert.Contains("hello x 3", Printed("untagged.ipynb"));
    }

    [Fact]
    public async Task APassingNotebookGetsItsOutputsWithIdsAndMetadataKept()
    {
        var (run, outPath) = await runs.PassingFirst;
        Assert.True(run.ExitCode == 0, run.ToString());
        var source = RunnerHarness.ReadNotebook(RunnerHarness.Fixture("passing.ipynb"));
        var written = RunnerHarness.ReadNotebook(outPath);
        var cells = RunnerHarness.Cells(written);

        // Same cells, same ids and metadata; notebook metadata (including an unknown field) kept.
        Assert.Equal(RunnerHarness.Cells(source).Select(c => c!["id"]!.GetValue<string>()), cells.Select(c => c!["id"]!.GetValue<string>()));
        for (var i = 0; i < cells.Count; i++)
            Assert.True(JsonNode.DeepEquals(RunnerHarness.Cells(source)[i]!["metadata"], cells[i]!["metadata"]), $"metadata of cell {i + 1} changed");
        Assert.True(JsonNode.DeepEquals(source["metadata"], written["metadata"]));
        Assert.Equal("kept by the runner", written["metadata"]!["fixture_note"]!.GetValue<string>());

        // Cell 3: stdout.
        var stdout = Assert.Single(cells[2]!["outputs"]!.AsArray());
        Assert.Equal("stream", stdout!["output_type"]!.GetValue<string>());
        Assert.Equal("hello x 3, ratio 0.25, loud False\nsecond line\n", RunnerHarness.OutputText(cells[2]!));

        // Cell 5: a display, a display from a child command, stdout, and the return value 3 * 14.
        var outputs = cells[4]!["outputs"]!.AsArray().Select(o => o!["output_type"]!.GetValue<string>()).ToArray();
        Assert.Equal(["display_data", "display_data", "stream", "execute_result"], outputs);
        var text = RunnerHarness.OutputText(cells[4]!);
        Assert.Contains("displayed 3", text);
        Assert.Contains("from a child command", text);
        Assert.Contains("<pre>42</pre>", text);
        Assert.Equal(3, cells[4]!["outputs"]![3]!["execution_count"]!.GetValue<int>());

        // Execution counts number the code cells that ran; the empty cell is left alone.
        Assert.Equal([null, 1, 2, null, 3, null, 4], cells.Select(c => c!["execution_count"]?.GetValue<int>()).ToArray());
        Assert.Contains("to stderr", RunnerHarness.OutputText(cells[6]!));
        Assert.Matches(@"passing\.ipynb: cell 5/7 ok \d+\.\d\d s", run.Output);

        // The kernel ended with the run.
        var hostPid = int.Parse(Regex.Match(run.Output, @"\(pid (\d+)\)").Groups[1].Value);
        Assert.False(RunnerHarness.IsAlive(hostPid), $"kernel host {hostPid} still runs");

        // The committed fixture itself is untouched.
        Assert.All(RunnerHarness.Cells(source).Where(c => c!["cell_type"]!.GetValue<string>() == "code"), c => Assert.Empty(c!["outputs"]!.AsArray()));
    }

    [Fact]
    public async Task RerunningAnUnchangedNotebookWritesTheSameBytes()
    {
        var (first, firstPath) = await runs.PassingFirst;
        var (second, secondPath) = await runs.PassingSecond;
        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first + "\n" + second);
        // The notebook prints a fresh Guid.NewGuid(): it is normalised, so the files are byte-identical.
        Assert.Contains("run id 00000000-0000-0000-0000-000000000001", File.ReadAllText(firstPath));
        Assert.Equal(File.ReadAllBytes(firstPath), File.ReadAllBytes(secondPath));
    }

    [Fact]
    public async Task ParametersOverrideTheDefaultsWithTypedValues()
    {
        var (run, outPath) = await runs.PassingWithParameters;
        Assert.True(run.ExitCode == 0, run.ToString());
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(outPath));
        Assert.Equal(8, cells.Count);
        var injected = cells[2]!;
        Assert.Equal("injected-parameters", injected["id"]!.GetValue<string>());
        Assert.Equal(["injected-parameters"], injected["metadata"]!["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal("say \"hi\"\\now x 7, ratio 1.5, loud True\nsecond line\n", RunnerHarness.OutputText(cells[3]!));
        Assert.Contains("<pre>98</pre>", RunnerHarness.OutputText(cells[5]!));
    }

    [Fact]
    public async Task ARuntimeErrorStopsTheRunAndNamesTheCell()
    {
        var (run, outPath) = await runs.RuntimeError;
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("runtime-error.ipynb: cell 3 failed: System.InvalidOperationException: planted runtime error", run.Error);
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(outPath));
        Assert.Contains("before the error", RunnerHarness.OutputText(cells[0]!));
        var error = Assert.Single(cells[2]!["outputs"]!.AsArray())!;
        Assert.Equal("error", error["output_type"]!.GetValue<string>());
        Assert.Equal("System.InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("planted runtime error", error["evalue"]!.GetValue<string>());
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
        Assert.Null(cells[3]!["execution_count"]);
    }

    [Fact]
    public async Task ACompileErrorStopsTheRunAndNamesTheCell()
    {
        var (run, outPath) = await runs.CompileError;
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("compile-error.ipynb: cell 2 failed:", run.Error);
        Assert.Contains("CS0029", run.Error);
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(outPath));
        var error = Assert.Single(cells[1]!["outputs"]!.AsArray())!;
        Assert.Equal("CompilationError", error["ename"]!.GetValue<string>());
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
    }

    [Fact]
    public async Task AHangingCellIsStoppedByTheTimeoutAndNoKernelProcessIsLeft()
    {
        var (run, outPath) = await runs.Hanging;
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("hanging.ipynb: cell 2 failed: the cell did not finish within 5 s", run.Error);
        var hostPid = int.Parse(Regex.Match(run.Output, @"\(pid (\d+)\)").Groups[1].Value);
        var cells = RunnerHarness.Cells(RunnerHarness.ReadNotebook(outPath));
        var kernelPid = int.Parse(Regex.Match(RunnerHarness.OutputText(cells[0]!), @"kernel pid (\d+)").Groups[1].Value);
        Assert.NotEqual(hostPid, kernelPid); // `dotnet dotnet-interactive` is a host; the kernel is its child
        Assert.False(RunnerHarness.IsAlive(hostPid), $"kernel host {hostPid} still runs");
        // The orphaned child is reaped by init a moment after the host is killed.
        for (var i = 0; i < 50 && RunnerHarness.IsAlive(kernelPid); i++) await Task.Delay(100);
        Assert.False(RunnerHarness.IsAlive(kernelPid), $"kernel {kernelPid} still runs");
        Assert.Equal("error", cells[1]!["outputs"]![0]!["output_type"]!.GetValue<string>());
    }
}

/// <summary>Errors the <c>run</c> verb reports before starting any kernel.</summary>
public sealed class RunVerbUsageTests
{
    [Fact]
    public async Task AnUnknownParameterIsRejectedWithTheKnownOnesListed()
    {
        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture("passing.ipynb"), "--out", RunnerHarness.NewTempFolder("unknown"), "--no-build", "-p", "Cuont=5");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown parameter 'Cuont'", run.Error);
        Assert.Contains("int Count = 3", run.Error);
        Assert.Contains("string Greeting = \"hello\"", run.Error);
    }

    [Fact]
    public async Task WithSeveralNotebooksAParameterNoneDeclaresIsRejectedBeforeAnyRuns()
    {
        var outDir = RunnerHarness.NewTempFolder("several-unknown");
        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture("runtime-error.ipynb"), RunnerHarness.Fixture("passing.ipynb"),
            "--out", outDir, "--no-build", "-p", "Count=5", "-p", "Datset=x");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("unknown parameter 'Datset': none of the 2 notebooks declares it", run.Error);
        Assert.Empty(Directory.GetFiles(outDir)); // nothing ran
    }

    [Fact]
    public async Task AValueOfTheWrongTypeIsRejected()
    {
        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture("passing.ipynb"), "--out", RunnerHarness.NewTempFolder("type"), "--no-build", "-p", "Count=many");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("parameter 'Count' is int; 'many' is not an int", run.Error);
    }

    [Fact]
    public async Task ParametersForANotebookWithoutAParametersCellAreRejected()
    {
        var run = await RunnerHarness.InvokeAsync("run", RunnerHarness.Fixture("runtime-error.ipynb"), "--out", RunnerHarness.NewTempFolder("noparams"), "--no-build", "-p", "X=1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("runtime-error.ipynb: -p was given but the notebook has no parameters cell", run.Error);
    }

    [Fact]
    public async Task AMissingNotebookIsAUsageError()
    {
        var run = await RunnerHarness.InvokeAsync("run", Path.Combine(RunnerHarness.Fixtures, "missing.ipynb"), "--no-build");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("no such notebook or folder", run.Error);
    }

    [Theory]
    [InlineData("run", "--no-such-option")]
    [InlineData("run", "--timeout", "soon")]
    [InlineData("import", "--format", "xml", "a.csv", "--out", "x")]
    [InlineData("judge", "--samples", "many")]
    [InlineData("no-such-verb")]
    public async Task ACommandLineThatDoesNotParseExitsWithTheUsageCode(params string[] args)
    {
        var run = await RunnerHarness.InvokeAsync(args);
        Assert.Equal(2, run.ExitCode); // not 1, which means "a cell failed" (run) or "bad data" (import, judge)
        Assert.NotEqual("", run.Error.Trim());
    }

    [Fact]
    public async Task HelpListsTheExitCodes()
    {
        var run = await RunnerHarness.InvokeAsync("run", "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("3 a cell timed out", run.Output);
        Assert.Contains("--timeout", run.Output);
    }

    [Fact]
    public void AFolderGivesItsNotebooksSortedByName()
    {
        var names = MoralGap.Runner.Commands.RunCommand.ResolveNotebooks([RunnerHarness.Fixtures]).Select(Path.GetFileName);
        Assert.Equal(["compile-error.ipynb", "hanging.ipynb", "needs-data.ipynb", "passing.ipynb", "runtime-error.ipynb"], names);
    }
}
