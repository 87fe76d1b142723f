using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MoralGap.Tests.Notebooks;

/// <summary>Debian's chromium, headless (installed by .ci/run): loads a page from disk and returns its DOM after scripts ran.</summary>
public static partial class HeadlessChromium
{
    /// <summary>The browser's path (CHROMIUM, or Debian's), or null when it is not installed.</summary>
    public static string? Path =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>The DOM of <paramref name="page"/> after up to 10 s of virtual time, with no network; fails the test after 90 s.</summary>
    public static string DumpDom(string page)
    {
        var chromium = Path ?? throw new InvalidOperationException("Chromium is not installed");
        var profile = Directory.CreateTempSubdirectory("mg-chromium").FullName;
        try
        {
            var psi = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom", new Uri(page).AbsoluteUri })
                psi.ArgumentList.Add(a);
            using var process = Process.Start(psi)!;
            _ = process.StandardError.ReadToEndAsync();
            var dom = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(90_000)) { process.Kill(entireProcessTree: true); Assert.Fail("Chromium did not finish in 90 s"); }
            return dom.Result;
        }
        finally
        {
            try { Directory.Delete(profile, true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// How many of an HTML page's images the browser decoded and laid out (complete, with a natural width), of how many;
    /// null when Chromium is not installed. The page is copied beside itself with a small script that writes the count
    /// into the DOM once loaded; the original is not changed.
    /// </summary>
    public static (int Shown, int Total)? ImagesShown(string page)
    {
        if (Path is null) return null;
        var probe = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(page)!, "probe-" + System.IO.Path.GetFileName(page));
        const string script = "<script>window.addEventListener('load',function(){var i=Array.from(document.images);" +
                              "document.body.setAttribute('data-images-shown',i.filter(function(x){return x.complete&&x.naturalWidth>0&&x.getBoundingClientRect().width>0;}).length+'/'+i.length);});</script>";
        File.WriteAllText(probe, File.ReadAllText(page).Replace("</body>", script + "</body>"));
        try
        {
            var m = ShownAttribute().Match(DumpDom(probe));
            Assert.True(m.Success, $"{page}: the page did not finish loading in headless Chromium");
            return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
        }
        finally
        {
            File.Delete(probe);
        }
    }

    [GeneratedRegex(@"data-images-shown=""(\d+)/(\d+)""")]
    private static partial Regex ShownAttribute();
}
