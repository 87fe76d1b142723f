using System.Text.Json.Nodes;
using MoralGap.Runner.Notebooks;
using MoralGap.Notebooks;

namespace MoralGap.Tests.Runner;

/// <summary><see cref="NotebookRequirements"/>: which paths a notebook's <c>metadata.moralgap.requires</c> names, and which are absent.</summary>
public sealed class NotebookRequirementsTests
{
    private static readonly KeyValuePair<string, string>[] NoOverrides = [];

    /// <summary>A repository-like folder holding <c>data/votes.csv</c>, <c>data/a.jsonl</c> and the folder <c>data/logs</c>.</summary>
    private static string NewRoot()
    {
        var root = RunnerHarness.NewTempFolder("requires-root");
        Directory.CreateDirectory(Path.Combine(root, "data", "logs"));
        File.WriteAllText(Path.Combine(root, "data", "votes.csv"), "id,verdict\n");
        File.WriteAllText(Path.Combine(root, "data", "a.jsonl"), "{}\n");
        return root;
    }

    /// <summary>Writes a notebook whose parameters cell is <paramref name="parameters"/> and whose notebook metadata has <c>moralgap</c> = <paramref name="moralgap"/>.</summary>
    private static NotebookFile Notebook(string parameters, JsonNode? moralgap, bool tagged = true)
    {
        var metadata = new JsonObject { ["kernelspec"] = new JsonObject { ["name"] = ".net-csharp" } };
        if (moralgap is not null) metadata["moralgap"] = moralgap;
        var cellMetadata = new JsonObject();
        if (tagged) cellMetadata["tags"] = new JsonArray("parameters");
        var nb = new JsonObject
        {
            ["cells"] = new JsonArray(new JsonObject
            {
                ["cell_type"] = "code", ["metadata"] = cellMetadata, ["execution_count"] = null, ["outputs"] = new JsonArray(),
                ["source"] = NotebookFile.SplitLines(parameters),
            }),
            ["metadata"] = metadata,
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        var path = Path.Combine(RunnerHarness.NewTempFolder("requires-nb"), "10-real-models.ipynb");
        File.WriteAllText(path, nb.ToJsonString());
        return NotebookFile.Load(path);
    }

    private static JsonObject Requires(params string[] names) => new() { ["requires"] = new JsonArray(names.Select(n => (JsonNode)n).ToArray()) };

    [Fact]
    public void ANotebookWithoutTheEntryRequiresNothing()
    {
        Assert.Empty(NotebookRequirements.Resolve(Notebook("string Votes = \"nowhere.csv\";", null), NoOverrides));
        Assert.Empty(NotebookRequirements.Resolve(Notebook("string Votes = \"nowhere.csv\";", new JsonObject { ["other"] = 1 }), NoOverrides));
        Assert.Empty(NotebookRequirements.Resolve(Notebook("string Votes = \"nowhere.csv\";", Requires()), NoOverrides));
    }

    [Fact]
    public void TheDefaultOfTheParametersCellIsUsedRelativeToTheRepositoryRoot()
    {
        var root = NewRoot();
        var nb = Notebook("""
            // Parameters
            string Votes = "data/votes.csv";   // the human votes
            string Judgments = "../shared/data/judge-geometry/judgments_gpt4o.jsonl";
            int Samples = 32;
            """, Requires("Votes", "Judgments"));

        var required = NotebookRequirements.Resolve(nb, NoOverrides);

        Assert.Equal(
            [new RequiredDataPath("Votes", null, "data/votes.csv"), new RequiredDataPath("Judgments", null, "../shared/data/judge-geometry/judgments_gpt4o.jsonl")],
            required);
        Assert.Equal(Path.Combine(root, "data", "votes.csv"), required[0].FullPath(root));
        var missing = Assert.Single(NotebookRequirements.Missing(required, root));
        Assert.Equal("Judgments", missing.Parameter);
        Assert.Equal(
            "skip 10-real-models.ipynb: needs ../shared/data/judge-geometry/judgments_gpt4o.jsonl (parameter Judgments), which is absent",
            NotebookRequirements.SkipLine("10-real-models.ipynb", [missing]));
    }

    [Fact]
    public void ARelativePathIsResolvedAgainstTheRootNotTheCurrentDirectory()
    {
        var root = NewRoot();
        var required = NotebookRequirements.Resolve(Notebook("string Votes = \"data/votes.csv\";", Requires("Votes")), NoOverrides);
        Assert.Empty(NotebookRequirements.Missing(required, root));
        Assert.Single(NotebookRequirements.Missing(required, NewRoot() + "-elsewhere"));
    }

    [Fact]
    public void AnAbsolutePathIsTakenAsItIsAndAFolderCounts()
    {
        var root = NewRoot();
        var outside = Path.Combine(RunnerHarness.NewTempFolder("requires-outside"), "votes.csv");
        File.WriteAllText(outside, "x");
        var nb = Notebook("string Votes = \"x\";\nstring Logs = \"data/logs\";", Requires("Votes", "Logs"));

        Assert.Empty(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, [new("Votes", outside)]), root));
        var absent = Path.Combine(Path.GetDirectoryName(outside)!, "absent.csv");
        var missing = Assert.Single(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, [new("Votes", absent)]), root));
        Assert.Equal(absent, missing.Path);
        Assert.Equal(absent, missing.FullPath(root));
    }

    [Fact]
    public void AnOverrideWinsOverTheDefaultAndTheLastOverrideOfANameWins()
    {
        var root = NewRoot();
        var nb = Notebook("string Votes = \"data/absent.csv\";", Requires("Votes"));
        Assert.Single(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, NoOverrides), root));

        Assert.Empty(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, [new("Votes", "data/votes.csv")]), root));
        Assert.Empty(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, [new("Votes", "data/absent.csv"), new("Other", "1"), new("Votes", "data/votes.csv")]), root));
        var missing = Assert.Single(NotebookRequirements.Missing(NotebookRequirements.Resolve(nb, [new("Votes", "data/votes.csv"), new("Votes", "data/gone.csv")]), root));
        Assert.Equal("data/gone.csv", missing.Path);
        // An empty override names no path: nothing is required.
        Assert.Empty(NotebookRequirements.Resolve(nb, [new("Votes", "")]));
    }

    [Fact]
    public void ACommaSeparatedListOfNameEqualsPathItemsIsSplitAndEachIsChecked()
    {
        var root = NewRoot();
        var nb = Notebook("string Judgments = \"gpt-4o=data/a.jsonl, llama = data/b.jsonl,data/logs,,\";", Requires("Judgments"));

        var required = NotebookRequirements.Resolve(nb, NoOverrides);

        Assert.Equal(
            [new RequiredDataPath("Judgments", "gpt-4o", "data/a.jsonl"), new RequiredDataPath("Judgments", "llama", "data/b.jsonl"), new RequiredDataPath("Judgments", null, "data/logs")],
            required);
        var missing = NotebookRequirements.Missing(required, root);
        Assert.Equal("data/b.jsonl", Assert.Single(missing).Path);
        Assert.Equal("skip nb.ipynb: needs data/b.jsonl (parameter Judgments, model llama), which is absent", NotebookRequirements.SkipLine("nb.ipynb", missing));

        var two = NotebookRequirements.Missing(NotebookRequirements.SplitPaths("Judgments", "x=gone1.jsonl,gone2.jsonl"), root);
        Assert.Equal("skip nb.ipynb: needs gone1.jsonl (parameter Judgments, model x), gone2.jsonl (parameter Judgments), which are absent",
            NotebookRequirements.SkipLine("nb.ipynb", two));
    }

    [Fact]
    public void AVerbatimDefaultIsRead()
    {
        var nb = Notebook("""string Votes = @"data\votes ""v2"".csv";""", Requires("Votes"));
        Assert.Equal("data\\votes \"v2\".csv", Assert.Single(NotebookRequirements.Resolve(nb, NoOverrides)).Path);
        var list = Notebook("""var Judgments = @"a=data/a.jsonl,b=data/logs";""", Requires("Judgments"));
        Assert.Equal(["data/a.jsonl", "data/logs"], NotebookRequirements.Resolve(list, NoOverrides).Select(r => r.Path));
        Assert.Empty(NotebookRequirements.Missing(NotebookRequirements.Resolve(list, NoOverrides), NewRoot()));
    }

    [Theory]
    [InlineData("string Votes = Path.Combine(Root, \"votes.csv\");")]
    [InlineData("string Votes = $\"{Root}/votes.csv\";")]
    [InlineData("string Votes = \"data/\" + \"votes.csv\";")]
    [InlineData("string? Votes = null;")]
    [InlineData("string Votes = Environment.GetEnvironmentVariable(\"VOTES\") ?? \"absent.csv\";")]
    [InlineData("var Votes = Paths.Votes;")]
    public void ADefaultThatIsNotAPlainStringLiteralCountsAsSatisfied(string declaration)
    {
        var nb = Notebook(declaration, Requires("Votes"));
        Assert.Empty(NotebookRequirements.Resolve(nb, NoOverrides));
    }

    [Fact]
    public void AVarParameterWithANonLiteralDefaultTakesExpressionsSoItsOverrideIsNotGuessedEither()
    {
        var nb = Notebook("var Votes = Paths.Votes;", Requires("Votes"));
        Assert.Empty(NotebookRequirements.Resolve(nb, [new("Votes", "Paths.Other")]));
        // A string parameter with a non-literal default: the override is text, so it is checked.
        var typed = Notebook("string Votes = Paths.Votes;", Requires("Votes"));
        Assert.Equal("absent.csv", Assert.Single(NotebookRequirements.Resolve(typed, [new("Votes", "absent.csv")])).Path);
    }

    [Theory]
    [InlineData("\"plain/path.csv\"", "plain/path.csv")]
    [InlineData("  \"a\\\\b\\\"c\\td\\u0041\\x42\\U0001F600\"  ", "a\\b\"c\tdAB\U0001F600")]
    [InlineData("@\"C:\\data\\x.csv\"", "C:\\data\\x.csv")]
    [InlineData("@\"say \"\"hi\"\"\"", "say \"hi\"")]
    [InlineData("\"\"\"raw \"quoted\" \\n\"\"\"", "raw \"quoted\" \\n")]
    [InlineData("\"\"", "")]
    public void StringLiteralsAreRead(string expression, string expected)
    {
        Assert.True(NotebookRequirements.TryParseStringLiteral(expression, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("$\"x{y}\"")]
    [InlineData("$@\"x\"")]
    [InlineData("@$\"x\"")]
    [InlineData("\"a\" + \"b\"")]
    [InlineData("\"a\"u8")]
    [InlineData("\"unterminated")]
    [InlineData("\"bad \\q escape\"")]
    [InlineData("null")]
    [InlineData("Path.Combine(\"a\", \"b\")")]
    [InlineData("\"\"\"\"\"\"")]
    public void OtherExpressionsAreNotStringLiterals(string expression) =>
        Assert.False(NotebookRequirements.TryParseStringLiteral(expression, out _));

    [Fact]
    public void AWrongDeclarationIsAClearError()
    {
        string Error(string parameters, JsonNode moralgap, bool tagged = true) =>
            Assert.Throws<InvalidDataException>(() => NotebookRequirements.Resolve(Notebook(parameters, moralgap, tagged), NoOverrides)).Message;

        Assert.Contains("10-real-models.ipynb: metadata \"moralgap.requires\" names 'Votse', which the parameters cell does not declare. Declared: string Votes = \"x\"",
            Error("string Votes = \"x\";", Requires("Votse")));
        Assert.Contains("'Samples', which is int; it must be a string parameter", Error("int Samples = 3;", Requires("Samples")));
        Assert.Contains("names Votes, but the notebook has no parameters cell", Error("string Votes = \"x\";", Requires("Votes"), tagged: false));
        Assert.Contains("\"moralgap.requires\" must be a list of parameter names", Error("string Votes = \"x\";", new JsonObject { ["requires"] = "Votes" }));
        Assert.Contains("must hold parameter names (non-empty strings), got 3", Error("string Votes = \"x\";", new JsonObject { ["requires"] = new JsonArray(3) }));
        Assert.Contains("metadata \"moralgap\" must be an object", Error("string Votes = \"x\";", new JsonArray("Votes")));
    }
}
