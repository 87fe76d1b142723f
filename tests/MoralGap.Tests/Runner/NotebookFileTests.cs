using System.Text.Json.Nodes;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Tests.Runner;

public sealed class NotebookFileTests
{
    [Fact]
    public void SavingAnUnchangedNotebookKeepsEveryField()
    {
        var source = RunnerHarness.Fixture("passing.ipynb");
        var copy = Path.Combine(RunnerHarness.NewTempFolder("roundtrip"), "copy.ipynb");
        NotebookFile.Load(source).Save(copy);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(File.ReadAllText(source)), JsonNode.Parse(File.ReadAllText(copy))));
        Assert.Equal(File.ReadAllText(source), File.ReadAllText(copy)); // same formatting as Jupyter: 1-space indent, final newline
    }

    [Fact]
    public void TheInjectedCellFollowsTheParametersCellAndReplacesAnEarlierOne()
    {
        var nb = NotebookFile.Load(RunnerHarness.Fixture("passing.ipynb"));
        Assert.Equal(2, nb.InjectParametersCell(1, "Count = 1;\n"));
        Assert.Equal(2, nb.InjectParametersCell(1, "Count = 2;\n"));
        Assert.Equal(8, nb.Cells.Count);
        Assert.Equal("Count = 2;", NotebookFile.Source(nb.Cells[2]!));
        Assert.Equal(["injected-parameters"], NotebookFile.Tags(nb.Cells[2]!));
    }

    [Fact]
    public void ANonNotebookIsAClearError()
    {
        var path = Path.Combine(RunnerHarness.NewTempFolder("bad"), "bad.ipynb");
        File.WriteAllText(path, "{\"cells\": [");
        var e = Assert.Throws<InvalidDataException>(() => NotebookFile.Load(path));
        Assert.Contains("bad.ipynb: not valid JSON", e.Message);
    }
}
