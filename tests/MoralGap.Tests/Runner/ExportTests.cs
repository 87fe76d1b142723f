using System.Text.Json.Nodes;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Tests.Runner;

/// <summary>
/// The <c>export</c> verb (notebooks as file-based apps): the committed apps are up to date with their notebooks (the
/// CI's stale-app check), the export is a pure function of the notebook, a stale app is named, and the C# edits
/// (usings hoisted, display and the bare last expression, parameters from -p) are made on the syntax, not the text.
/// Running the apps is <see cref="EveryAppTests"/> (slow).
/// </summary>
public sealed class ExportTests
{
    private static string NotebooksFolder => Path.Combine(TestPaths.RepoRoot, "notebooks");

    [Fact]
    public async Task CommittedAppsAreUpToDateWithTheirNotebooks()
    {
        var run = await RunnerHarness.InvokeAsync("export", "--check", NotebooksFolder);
        Assert.True(run.ExitCode == 0, "a committed app is stale; run `dotnet run --project lib/MoralGap.Runner -c Release -- export`\n" + run);
        var notebooks = Directory.GetFiles(NotebooksFolder, "*.ipynb").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        var apps = Directory.GetFiles(Path.Combine(NotebooksFolder, AppExporter.AppsFolderName), "*.cs").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(notebooks, apps); // one app per notebook, none left over from a renamed notebook
    }

    [Fact]
    public void ExportTwiceGivesIdenticalFiles()
    {
        var dir = CopyNotebooks();
        var notebooks = Directory.GetFiles(dir, "*.ipynb").Order().ToArray();
        Assert.Equal(notebooks.Length, AppExporter.ExportAll(notebooks, TestPaths.RepoRoot, check: false).Count);
        var first = notebooks.ToDictionary(n => n, n => File.ReadAllBytes(AppExporter.AppPath(n)));
        Assert.Empty(AppExporter.ExportAll(notebooks, TestPaths.RepoRoot, check: false)); // nothing to rewrite
        foreach (var n in notebooks) Assert.Equal(first[n], File.ReadAllBytes(AppExporter.AppPath(n)));
        foreach (var n in notebooks) Assert.Equal(AppExporter.Export(NotebookFile.Load(n), TestPaths.RepoRoot), AppExporter.Export(NotebookFile.Load(n), TestPaths.RepoRoot));
    }

    [Fact]
    public async Task AStaleOrMissingAppIsNamedAndCheckWritesNothing()
    {
        var dir = CopyNotebooks();
        var notebook = Path.Combine(dir, "06-value-diversity.ipynb");
        var app = AppExporter.AppPath(notebook);
        Assert.Equal(0, (await RunnerHarness.InvokeAsync("export", notebook)).ExitCode);
        Assert.Equal(0, (await RunnerHarness.InvokeAsync("export", "--check", notebook)).ExitCode);

        // The notebook changes (a markdown cell is edited), the app does not: --check fails and names the app.
        var nb = RunnerHarness.ReadNotebook(notebook);
        var markdown = RunnerHarness.Cells(nb).First(c => c!["cell_type"]!.GetValue<string>() == "markdown")!;
        markdown["source"] = new JsonArray("# A new title\n");
        File.WriteAllText(notebook, nb.ToJsonString());
        var before = File.ReadAllText(app);
        var stale = await RunnerHarness.InvokeAsync("export", "--check", notebook);
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains("stale app", stale.Error);
        Assert.Contains("06-value-diversity.cs", stale.Error);
        Assert.Equal(before, File.ReadAllText(app)); // --check writes nothing

        // A missing app is stale too; export writes it and the check passes again.
        File.Delete(app);
        Assert.Equal(1, (await RunnerHarness.InvokeAsync("export", "--check", notebook)).ExitCode);
        Assert.Equal(0, (await RunnerHarness.InvokeAsync("export", notebook)).ExitCode);
        Assert.Contains("AppReport.Markdown(\"\"\"\n# A new title\n\"\"\");", File.ReadAllText(app));
        Assert.Equal(0, (await RunnerHarness.InvokeAsync("export", "--check", notebook)).ExitCode);
    }

    [Fact]
    public void CellsBecomeTopLevelStatementsOfTheApp()
    {
        var notebook = WriteNotebook(
            Code("using Microsoft.DotNet.Interactive;\nawait Kernel.Root.SendAsync(null);"),
            Markdown("# Title\nText with \"\"\" quotes."),
            Code("int Samples = 32;          // per dilemma\nstring Name = \"a,b\";\nvar Items = new[] { 1 };", "parameters"),
            Code("using System.Text;\n// display(x) in a comment stays\nvar s = \"display(x)\";\ndisplay(s);\nrecord Row(int A);\nnew Row(s.Length)"),
            Code("var t = 1;\nConsole.WriteLine(t);"));
        var app = AppExporter.Export(NotebookFile.Load(notebook), TestPaths.RepoRoot);

        Assert.Contains("\nusing System.Text;\n", app);
        Assert.True(app.IndexOf("using System.Text;", StringComparison.Ordinal) < app.IndexOf("AppReport.Start(", StringComparison.Ordinal), app);
        Assert.DoesNotContain("Microsoft.DotNet.Interactive", app);   // the setup cell is replaced by #:project
        Assert.Contains("#:project ", app);
        Assert.Contains("MoralGap/MoralGap.csproj", app);
        Assert.Contains("AppReport.Markdown(\"\"\"\"\n# Title\nText with \"\"\" quotes.\n\"\"\"\");", app); // four quotes: the text holds three
        Assert.Contains("int Samples = AppReport.Parameter<int>(\"Samples\", 32);          // per dilemma", app);
        Assert.Contains("string Name = AppReport.Parameter<string>(\"Name\", \"a,b\");", app);
        Assert.Contains("var Items = new[] { 1 };", app);              // not a type -p can give: kept as written
        Assert.Contains("[\"int Samples = 32\", \"string Name = \\\"a,b\\\"\"]", app);
        Assert.Contains("// display(x) in a comment stays", app);
        Assert.Contains("var s = \"display(x)\";", app);
        Assert.Contains("AppReport.Display(s);", app);
        Assert.Contains("AppReport.Display(new Row(s.Length));", app);  // the bare last expression the kernel displays
        Assert.Contains("\nConsole.WriteLine(t);\n", app);             // a statement with its semicolon displays nothing
        Assert.True(app.IndexOf("record Row(int A);", StringComparison.Ordinal) > app.IndexOf("AppReport.Finish();", StringComparison.Ordinal), app);
    }

    [Fact]
    public void AKernelDirectiveWithoutAnAppEquivalentIsAnErrorNamingTheCell()
    {
        var notebook = WriteNotebook(Markdown("# T"), Code("#!time\nvar x = 1;"));
        var e = Assert.Throws<InvalidDataException>(() => AppExporter.Export(NotebookFile.Load(notebook), TestPaths.RepoRoot));
        Assert.Contains("cell 2", e.Message);
        Assert.Contains("#!time", e.Message);
        var broken = WriteNotebook(Code("var x = ;"));
        var parse = Assert.Throws<InvalidDataException>(() => AppExporter.Export(NotebookFile.Load(broken), TestPaths.RepoRoot));
        Assert.Contains("cell 1", parse.Message);
    }

    [Fact]
    public void NuGetReferencesBecomePackageDirectivesAndRequiredDataIsChecked()
    {
        var notebook = WriteNotebook(
            Code("string Votes = \"../shared/data/votes.csv\";", "parameters"),
            Code("#r \"nuget: Humanizer.Core, 2.14.1\"\nConsole.WriteLine(Votes);"));
        var nb = RunnerHarness.ReadNotebook(notebook);
        nb["metadata"] = new JsonObject { ["moralgap"] = new JsonObject { ["requires"] = new JsonArray("Votes") } };
        File.WriteAllText(notebook, nb.ToJsonString());
        var app = AppExporter.Export(NotebookFile.Load(notebook), TestPaths.RepoRoot);
        Assert.Contains("#:package Humanizer.Core@2.14.1\n", app);
        Assert.Contains("AppReport.Requires((\"Votes\", Votes));", app);
    }

    private static string CopyNotebooks()
    {
        var dir = Path.Combine(RunnerHarness.NewTempFolder("export"), "notebooks");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(NotebooksFolder, "*.ipynb")) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    private static JsonObject Code(string source, string? tag = null) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = null,
        ["metadata"] = tag is null ? new JsonObject() : new JsonObject { ["tags"] = new JsonArray(tag) },
        ["outputs"] = new JsonArray(),
        ["source"] = NotebookFile.SplitLines(source),
    };

    private static JsonObject Markdown(string source) => new()
    {
        ["cell_type"] = "markdown",
        ["metadata"] = new JsonObject(),
        ["source"] = NotebookFile.SplitLines(source),
    };

    private static string WriteNotebook(params JsonObject[] cells)
    {
        var dir = Path.Combine(RunnerHarness.NewTempFolder("export-cells"), "notebooks");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "99-test.ipynb");
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(cells.Select(c => (JsonNode)c).ToArray()),
            ["metadata"] = new JsonObject(),
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        File.WriteAllText(path, nb.ToJsonString());
        return path;
    }
}
