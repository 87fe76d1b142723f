using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;
using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

public class ChartTests
{
    private static ChartSpec Scatter() => new(
        "Human vs model", "p_human", "p_model",
        [
            new ChartSeries("dilemmas", [0.1, 0.5, 0.9], [0.2, 0.4, 1.0], Hover: ["Borrowed the car", "Skipped the wedding", "Read the diary"]),
            new ChartSeries("agreement", [0, 1], [0, 1], SeriesKind.DashedLine),
        ],
        XRange: (0, 1), YRange: (0, 1));

    [Fact]
    public void OneDefinitionGivesAPngAndAPlotlyFigureWithTheHoverTexts()
    {
        var spec = Scatter();
        var png = spec.ToFigure().ToPng();
        Assert.Equal(0x89, png[0]);
        var figure = JsonNode.Parse(spec.ToPlotlyJson())!;
        var data = figure["data"]!.AsArray();
        Assert.Equal(2, data.Count);
        Assert.Equal("Skipped the wedding", data[0]!["text"]![1]!.GetValue<string>());
        Assert.Equal("p_model", figure["layout"]!["yaxis"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void InteractiveHtmlIsStableAcrossRunsAndSmall()
    {
        var a = Scatter().Interactive().ToHtml();
        var b = Scatter().Interactive().ToHtml();
        Assert.Equal(a, b);
        Assert.True(a.Length < 20_000, $"a three-point chart should not be {a.Length} characters of HTML");
        Assert.DoesNotContain("plotly-2.28.0.min.js\"></script>", a); // the notebook fragment loads plotly.js on demand
    }

    [Fact]
    public void SavedPageOpensOfflineWithPlotlyJsBesideIt()
    {
        var dir = Directory.CreateTempSubdirectory("mg-charts").FullName;
        try
        {
            var page = Scatter().Interactive().SaveHtml(dir, "scatter");
            var html = File.ReadAllText(page);
            Assert.Contains("<script src=\"plotly-2.28.0.min.js\"></script>", html);
            var js = new FileInfo(Path.Combine(dir, "plotly-2.28.0.min.js"));
            Assert.True(js.Length > 1_000_000, "plotly.js copied from the Plotly.NET package");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void BarsWithIntervalsRenderBothWays()
    {
        var spec = new ChartSpec("Gap by condition", "condition", "mean |Δp|",
            [new ChartSeries("model A", [0, 1, 2], [0.2, 0.1, 0.15], SeriesKind.Bars, Low: [0.15, 0.05, 0.1], High: [0.25, 0.15, 0.2])],
            Categories: ["vanilla", "DMP", "direct"]);
        Assert.Equal(0x89, spec.ToFigure().ToPng()[0]);
        var json = spec.ToPlotlyJson();
        Assert.Contains("\"DMP\"", json);
        Assert.Contains("95% CI [0.05, 0.15]", json);
    }

    [Fact]
    public void FSharpCoreRequestsOfAnyVersionGetTheLoadedFSharpCore()
    {
        _ = Scatter().ToPlotlyJson(); // makes sure FSharp.Core is loaded
        var asked = new AssemblyName("FSharp.Core, Version=99.0.0.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a");
        var answer = NotebookSetup.ResolveFSharpCore(AssemblyLoadContext.Default, asked);
        Assert.NotNull(answer);
        Assert.Equal("FSharp.Core", answer!.GetName().Name);
        Assert.Null(NotebookSetup.ResolveFSharpCore(AssemblyLoadContext.Default, new AssemblyName("Not.FSharp")));
    }
}
