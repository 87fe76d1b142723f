using System.Text.Json.Nodes;
using MoralGap.Runner.Kernel;
using MoralGap.Runner.Notebooks;

namespace MoralGap.Tests.Runner;

public sealed class CellOutputsTests
{
    private static KernelEvent Event(string type, params (string Mime, string Value)[] values) => new(type,
        new JsonObject { ["formattedValues"] = new JsonArray(values.Select(v => (JsonNode)new JsonObject { ["mimeType"] = v.Mime, ["value"] = v.Value }).ToArray()) },
        "mg1");

    [Fact]
    public void AFigureKeepsOnlyThePngAndPlainText()
    {
        var outputs = CellOutputs.Build([Event("DisplayedValueProduced", ("text/html", "<img src=\"data:image/png;base64,AAAA\"/>"), ("image/png", "iVBOR\nw0K"), ("text/plain", "Plot"))], 1, null);
        var data = (JsonObject)Assert.Single(outputs)["data"]!;
        Assert.Equal(["image/png", "text/plain"], data.Select(kv => kv.Key));
        Assert.Equal("iVBORw0K", data["image/png"]!.GetValue<string>());
    }

    [Fact]
    public void AHugeHtmlDumpIsReplacedByANote()
    {
        var html = "<table>" + string.Concat(Enumerable.Repeat("<tr><td>x</td></tr>", 20_000)) + "</table>";
        var outputs = CellOutputs.Build([Event("ReturnValueProduced", ("text/html", html))], 4, null);
        var data = (JsonObject)outputs[0]["data"]!;
        Assert.Null(data["text/html"]);
        Assert.Contains("text/html output of 371 KB left out", NotebookFile.JoinText(data["text/plain"]));
        Assert.Equal(4, outputs[0]["execution_count"]!.GetValue<int>());
    }

    [Fact]
    public void VolatileIdsAreNormalisedConsistentlyWithinACell()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid().ToString("N");
        var html = $"<div id=\"{b}\"></div><script>render('{b}', '{a}')</script> kernel://pid-4242/csharp {a}";
        var outputs = CellOutputs.Build([Event("DisplayedValueProduced", ("text/html", html)), Event("StandardOutputValueProduced", ("text/plain", $"{a}\n"))], 1, null);
        var text = NotebookFile.JoinText(outputs[0]["data"]!["text/html"]);
        Assert.Equal("<div id=\"00000000000000000000000000000001\"></div><script>render('00000000000000000000000000000001', '00000000-0000-0000-0000-000000000002')</script> kernel://pid-0/csharp 00000000-0000-0000-0000-000000000002", text);
        Assert.Equal("00000000-0000-0000-0000-000000000002\n", NotebookFile.JoinText(outputs[1]["text"]));
    }

    [Fact]
    public void TheLocalPackageVersionAndMachinePathsAreNormalised()
    {
        var root = Path.Combine(Path.GetTempPath(), "repo");
        var paths = CellOutputs.MachinePaths(root, Path.Combine(root, "notebooks"));
        var sep = Path.DirectorySeparatorChar;
        var text = CellOutputs.Normalize($"MoralGap, 0.1.0-local.20261128033639 from {root}{sep}artifacts{sep}feed", [], paths);
        Assert.Equal($"MoralGap, 0.1.0-local from ..{sep}artifacts{sep}feed", text);
    }

    [Fact]
    public void ConsecutiveWritesToOneStreamFormOneOutput()
    {
        var outputs = CellOutputs.Build(
        [
            Event("StandardOutputValueProduced", ("text/plain", "a\n")), Event("StandardOutputValueProduced", ("text/plain", "b")),
            Event("StandardErrorValueProduced", ("text/plain", "e\n")), Event("StandardOutputValueProduced", ("text/plain", "c\n")),
        ], 1, null);
        Assert.Equal(3, outputs.Count);
        Assert.Equal(["a\n", "b"], outputs[0]["text"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("stderr", outputs[1]["name"]!.GetValue<string>());
    }

    [Fact]
    public void FailuresBecomeErrorOutputs()
    {
        var runtime = CellOutputs.Error("System.IO.FileNotFoundException: no data.csv\n   at Submission#3.<<Initialize>>d__0.MoveNext()");
        Assert.Equal("System.IO.FileNotFoundException", runtime["ename"]!.GetValue<string>());
        Assert.Equal("no data.csv", runtime["evalue"]!.GetValue<string>());
        Assert.Equal(2, runtime["traceback"]!.AsArray().Count);
        var compile = CellOutputs.Error("(1,9): error CS0029: Cannot implicitly convert type 'string' to 'int'");
        Assert.Equal("CompilationError", compile["ename"]!.GetValue<string>());
    }
}
