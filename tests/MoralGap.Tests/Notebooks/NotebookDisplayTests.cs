using Microsoft.Data.Analysis;
using Microsoft.DotNet.Interactive.Formatting;
using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

public class NotebookDisplayTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void PipelineFigureRendersAsAPngImage()
    {
        var png = PipelineFigure.Draw().ToPng();
        Assert.Equal(PngSignature, png.Take(8).ToArray());
        Assert.True(png.Length > 20_000, $"a 1000×520 pipeline picture with text should not be {png.Length} bytes");
        var path = Environment.GetEnvironmentVariable("MORALGAP_SAVE_FIGURES");
        if (!string.IsNullOrEmpty(path)) File.WriteAllBytes(Path.Combine(path, "pipeline.png"), png);
    }

    [Fact]
    public void FiguresAreFormattedAsBase64PngNotAsObjectDumps()
    {
        NotebookSetup.Install();
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(new double[] { 1, 2, 3 }, new double[] { 2, 4, 3 });
        var base64 = plot.ToDisplayString("image/png");
        Assert.Equal(PngSignature, Convert.FromBase64String(base64).Take(8).ToArray());
        Assert.Contains("image/png", Formatter.GetPreferredMimeTypesFor(typeof(ScottPlot.Plot)));
    }

    [Fact]
    public void DataFrameTableRoundsNumbersAndStatesTheRowCount()
    {
        var frame = Tables.FromRecords(Enumerable.Range(0, 30).Select(i => new { Id = $"d{i}", P = i / 7.0, N = i }));
        var text = Tables.ToText(frame);
        Assert.Contains("0.143", text);
        Assert.DoesNotContain("0.142857", text);
        Assert.Contains("30 rows × 3 columns; first 20 shown", text);
        var html = Tables.ToHtml(frame, maxRows: 5);
        Assert.Equal(5, html.Split("<tr>").Length - 2);
    }

    [Fact]
    public void SimulatedBannerSaysSoInEveryRendering()
    {
        NotebookSetup.Install();
        var banner = Banner.Simulated("Judgments in this table");
        Assert.Contains("SIMULATED", banner.ToDisplayString("text/plain"));
        Assert.Contains("SIMULATED", banner.ToDisplayString("text/html"));
        Assert.Contains("MORALGAP_MODELS", banner.ToString());
    }

    [Fact]
    public void ProgressOutsideAKernelCountsAndClamps()
    {
        using var progress = ProgressDisplay.Start("Embedding", 4, TimeSpan.Zero);
        progress.Increment();
        progress.Report(10);
        Assert.Equal(4, progress.Done);
        Assert.StartsWith("Embedding: 4/4 (100%)", progress.Text());
    }

    [Fact]
    public void ProgressReportedOutOfOrderByConcurrentWorkersEndsDone()
    {
        using var progress = ProgressDisplay.Start("Judging", 3840, TimeSpan.Zero);
        Parallel.For(0, 3840, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => progress.Report(i + 1));
        progress.Report(3834); // a worker's late, stale count
        Assert.Equal(3840, progress.Done);
        Assert.Equal("Judging: 3840/3840 (100%) done", progress.Text());
    }

    [Fact]
    public void ReportsWithAHandWrittenToStringShowAsPlainText()
    {
        NotebookSetup.Install();
        var report = new EnvironmentReport("1.0", ".NET", "all-MiniLM-L6-v2 (384-d)", 1.0, 0.55, 0.16, "simulated judge", true, []);
        Assert.Equal(report.ToString(), report.ToDisplayString("text/plain"));
        Assert.Equal("text/plain", Formatter.GetPreferredMimeTypesFor(typeof(EnvironmentReport)).First());
        Assert.Contains("cos(honesty, truthfulness) = 0.55", report.ToString());
    }
}
