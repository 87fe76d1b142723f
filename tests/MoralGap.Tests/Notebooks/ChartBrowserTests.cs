using System.Diagnostics;
using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

/// <summary>
/// A saved interactive page must draw its chart in a browser with no network: headless Chromium (Debian's, installed by
/// .ci/run) loads the page from disk and Plotly must have rendered its SVG. Skips when Chromium is not installed.
/// </summary>
public class ChartBrowserTests
{
    private static string? Chromium() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    [SkippableFact]
    public void SavedPageRendersThePlotOfflineInHeadlessChromium()
    {
        var chromium = Chromium();
        Skip.If(chromium is null, "Chromium is not installed (.ci/run installs Debian's chromium)");
        var dir = Directory.CreateTempSubdirectory("mg-browser").FullName;
        var profile = Directory.CreateTempSubdirectory("mg-chromium").FullName;
        try
        {
            var spec = new ChartSpec("Offline page", "x", "y",
                [new ChartSeries("points", [1, 2, 3], [3, 1, 2], Hover: ["a", "b", "c"])]);
            var page = spec.Interactive().SaveHtml(dir, "offline");
            var psi = new ProcessStartInfo(chromium!)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            _ = process.StandardError.ReadToEndAsync();
            var dom = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(90_000)) { process.Kill(entireProcessTree: true); Assert.Fail("Chromium did not finish in 90 s"); }
            Assert.Contains("class=\"main-svg\"", dom.Result);
        }
        finally
        {
            Directory.Delete(dir, true);
            try { Directory.Delete(profile, true); } catch (IOException) { }
        }
    }
}
