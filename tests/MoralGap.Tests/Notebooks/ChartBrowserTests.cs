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
}
