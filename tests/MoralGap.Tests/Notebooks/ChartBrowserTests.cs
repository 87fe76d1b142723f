using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

/// <summary>
/// A saved interactive page must draw its chart in a browser with no network: headless Chromium (Debian's, installed by
/// .ci/run) loads the page from disk and Plotly must have rendered its SVG. Skips when Chromium is not installed.
/// </summary>
public class ChartBrowserTests
{
    [SkippableFact]
    public void SavedPageRendersThePlotOfflineInHeadlessChromium()
    {
        Skip.If(HeadlessChromium.Path is null, "Chromium is not installed (.ci/run installs Debian's chromium)");
        var dir = Directory.CreateTempSubdirectory("mg-browser").FullName;
        try
        {
            var spec = new ChartSpec("Offline page", "x", "y",
                [new ChartSeries("points", [1, 2, 3], [3, 1, 2], Hover: ["a", "b", "c"])]);
            var page = spec.Interactive().SaveHtml(dir, "offline");
            Assert.Contains("class=\"main-svg\"", HeadlessChromium.DumpDom(page));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [SkippableFact]
    public void TheImageProbeCountsOnlyImagesTheBrowserShows()
    {
        Skip.If(HeadlessChromium.Path is null, "Chromium is not installed (.ci/run installs Debian's chromium)");
        var dir = Directory.CreateTempSubdirectory("mg-browser").FullName;
        try
        {
            var png = Convert.ToBase64String(Figures.ToPng(new ScottPlot.Plot(), 80, 60));
            var page = Path.Combine(dir, "index.html");
            File.WriteAllText(page, $"<!DOCTYPE html><html><body><img src=\"data:image/png;base64,{png}\"><img src=\"missing.png\"></body></html>");
            Assert.Equal((1, 2), HeadlessChromium.ImagesShown(page));
            Assert.Single(Directory.GetFiles(dir)); // the probe copy is removed
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
