using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ScottPlot;

namespace MoralGap.Notebooks;

/// <summary>How a <see cref="ChartSeries"/> is drawn.</summary>
public enum SeriesKind
{
    /// <summary>Points (a scatter).</summary>
    Markers,
    /// <summary>A solid line through the points.</summary>
    Line,
    /// <summary>A dashed reference line (diagonal, noise floor).</summary>
    DashedLine,
    /// <summary>Vertical bars at category positions 0, 1, …; several bar series are drawn side by side.</summary>
    Bars,
}

/// <summary>
/// One series of a <see cref="ChartSpec"/>: points, a line or bars, with optional hover text (shown by the
/// interactive view) and optional error bars (drawn in the static image, stated in the hover text).
/// </summary>
public sealed record ChartSeries(
    string Name,
    double[] X,
    double[] Y,
    SeriesKind Kind = SeriesKind.Markers,
    string[]? Hover = null,
    double[]? Low = null,
    double[]? High = null,
    string? Color = null,
    float Size = 6);

/// <summary>
/// One chart definition that renders two ways: a static PNG (ScottPlot, for GitHub and offline readers) and an
/// interactive Plotly.NET view (hover shows each point's text). Both come from this one record, so they cannot drift.
/// </summary>
public sealed record ChartSpec(
    string Title,
    string XLabel,
    string YLabel,
    IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<string>? Categories = null,
    (double Min, double Max)? XRange = null,
    (double Min, double Max)? YRange = null,
    int Width = Figures.DefaultWidth,
    int Height = Figures.DefaultHeight)
{
    /// <summary>The static figure (displays as PNG).</summary>
    public Figure ToFigure() => new(ToScottPlot(), Width, Height);

    /// <summary>The interactive view (displays as HTML with plotly.js).</summary>
    public PlotlyView Interactive() => new(this);

    /// <summary>Draws the chart with ScottPlot.</summary>
    public Plot ToScottPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var palette = new ScottPlot.Palettes.Category10();
        var bars = Series.Where(s => s.Kind == SeriesKind.Bars).ToList();
        var index = 0;
        foreach (var s in Series)
        {
            var color = s.Color is null ? palette.GetColor(index) : ScottPlot.Color.FromHex(s.Color);
            index++;
            var xs = s.X;
            if (s.Kind == SeriesKind.Bars)
            {
                var slot = bars.IndexOf(s);
                var width = 0.8 / bars.Count;
                xs = s.X.Select(x => x - 0.4 + width * (slot + 0.5)).ToArray();
                var barPlot = plot.Add.Bars(xs, s.Y);
                foreach (var bar in barPlot.Bars)
                {
                    bar.Size = width * 0.95;
                    bar.FillColor = color;
                    bar.LineWidth = 0;
                }
                if (Series.Count > 1) barPlot.LegendText = s.Name;
            }
            else
            {
                var scatter = plot.Add.Scatter(xs, s.Y, color);
                if (Series.Count > 1) scatter.LegendText = s.Name;
                scatter.MarkerSize = s.Kind == SeriesKind.Markers ? s.Size : 0;
                scatter.LineWidth = s.Kind == SeriesKind.Markers ? 0 : 2;
                if (s.Kind == SeriesKind.DashedLine) scatter.LinePattern = LinePattern.Dashed;
            }
            if (s.Low is not null && s.High is not null)
            {
                var err = plot.Add.ErrorBar(xs, s.Y, s.High.Select((h, i) => Math.Max(0, h - s.Y[i])).ToArray());
                err.YErrorNegative = s.Y.Select((y, i) => Math.Max(0, y - s.Low[i])).ToArray();
                err.Color = s.Kind == SeriesKind.Bars ? Colors.Black : color;
            }
        }
        if (Categories is not null)
        {
            var ticks = Categories.Select((c, i) => new Tick(i, c)).ToArray();
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        }
        plot.Title(Title);
        plot.XLabel(XLabel);
        plot.YLabel(YLabel);
        // Outside the data area, on the right: a legend inside it covered the tallest bar of descending bar charts.
        if (Series.Count > 1) plot.ShowLegend(Edge.Right);
        if (XRange is { } xr) plot.Axes.SetLimitsX(xr.Min, xr.Max);
        if (YRange is { } yr) plot.Axes.SetLimitsY(yr.Min, yr.Max);
        return plot;
    }

    /// <summary>The Plotly figure JSON (<c>{"data": [...], "layout": {...}}</c>) built with Plotly.NET.</summary>
    public string ToPlotlyJson() => PlotlyRendering.FigureJson(this);
}

/// <summary>
/// The interactive view of a <see cref="ChartSpec"/>: HTML with a deterministic element id (so rerunning a notebook
/// changes no output) that loads plotly.js from its CDN when the page has no plotly.js yet. VS Code shows it when online;
/// GitHub does not run scripts, which is why every chart is also shown as a PNG. Under the runner, each view is also
/// saved as a standalone HTML file next to a local copy of plotly.js (see <see cref="FiguresDirectoryVariable"/>).
/// </summary>
public sealed class PlotlyView
{
    /// <summary>Environment variable naming a folder where every displayed view is also saved as a standalone HTML page.</summary>
    public const string FiguresDirectoryVariable = "MORALGAP_FIGURES_DIR";

    internal PlotlyView(ChartSpec spec)
    {
        Spec = spec;
        Json = spec.ToPlotlyJson();
        Id = "mg-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Json)))[..12].ToLowerInvariant();
    }

    /// <summary>The chart definition.</summary>
    public ChartSpec Spec { get; }

    /// <summary>The Plotly figure JSON.</summary>
    public string Json { get; }

    /// <summary>A deterministic element id derived from the figure JSON.</summary>
    public string Id { get; }

    /// <summary>HTML fragment for a notebook output.</summary>
    public string ToHtml() =>
        $"<div id=\"{Id}\" style=\"width:{Spec.Width}px;height:{Spec.Height}px\"></div>\n<script type=\"text/javascript\">\n" +
        "(function(){var fig=" + Json + ";\n" +
        $"function draw(){{Plotly.newPlot('{Id}',fig.data,fig.layout,{{responsive:true}});}}\n" +
        "if(window.Plotly){draw();}else{var s=document.createElement('script');s.src='" + PlotlyRendering.CdnUrl +
        "';s.onload=draw;document.head.appendChild(s);}})();\n</script>";

    /// <summary>
    /// Writes a standalone page <paramref name="name"/>.html into <paramref name="directory"/> that opens offline:
    /// it loads plotly.js from a copy written beside it (taken from the Plotly.NET package).
    /// </summary>
    /// <returns>The page's full path.</returns>
    public string SaveHtml(string directory, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Directory.CreateDirectory(directory);
        PlotlyRendering.WritePlotlyJs(directory);
        var page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + System.Net.WebUtility.HtmlEncode(Spec.Title) +
                   "</title><script src=\"" + PlotlyRendering.LocalFileName + "\"></script></head><body>\n" + ToHtml() + "\n</body></html>\n";
        var path = Path.Combine(directory, name + ".html");
        File.WriteAllText(path, page);
        return Path.GetFullPath(path);
    }

    /// <summary>Saves the page into <see cref="FiguresDirectoryVariable"/>'s folder when it is set; returns the path or null.</summary>
    internal string? SaveToFiguresDirectory()
    {
        var dir = Environment.GetEnvironmentVariable(FiguresDirectoryVariable);
        if (string.IsNullOrWhiteSpace(dir)) return null;
        var slug = new string(Spec.Title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
        if (slug.Length > 60) slug = slug[..60];
        return SaveHtml(dir, $"{slug}-{Id}");
    }

    /// <summary>The figure JSON, for plain-text displays.</summary>
    public override string ToString() => $"Interactive chart '{Spec.Title}' ({Spec.Series.Count} series)";
}

/// <summary>Plotly.NET rendering, kept apart so FSharp.Core loads only when a chart is built.</summary>
internal static class PlotlyRendering
{
    internal const string PlotlyJsResource = "Plotly.NET.plotly-2.28.0.min.js";
    internal const string LocalFileName = "plotly-2.28.0.min.js";
    internal const string CdnUrl = "https://cdn.plot.ly/plotly-2.28.0.min.js";

    internal static string FigureJson(ChartSpec spec)
    {
        var charts = new List<Plotly.NET.GenericChart>();
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var s in spec.Series)
        {
            var color = Plotly.NET.Color.fromHex(s.Color ?? palette.GetColor(index).ToHex()[..7]);
            index++;
            var hover = s.Hover ?? s.X.Select((x, i) => Hover(s, i)).ToArray();
            if (s.Low is not null && s.High is not null)
                hover = hover.Select((h, i) => h + string.Create(CultureInfo.InvariantCulture, $"<br>95% CI [{s.Low[i]:0.###}, {s.High[i]:0.###}]")).ToArray();
            Plotly.NET.GenericChart chart = s.Kind switch
            {
                SeriesKind.Bars => Plotly.NET.CSharp.Chart.Column<double, string, string>(
                    values: s.Y,
                    Keys: spec.Categories is null ? s.X.Select(x => x.ToString(CultureInfo.InvariantCulture)).ToArray() : s.X.Select(x => spec.Categories[(int)x]).ToArray(),
                    Name: s.Name, MultiText: hover, MarkerColor: color),
                _ => Plotly.NET.CSharp.Chart.Scatter<double, double, string>(
                    x: s.X, y: s.Y,
                    mode: s.Kind == SeriesKind.Markers ? Plotly.NET.StyleParam.Mode.Markers : Plotly.NET.StyleParam.Mode.Lines,
                    Name: s.Name, MultiText: hover, MarkerColor: color, LineColor: color,
                    LineDash: s.Kind == SeriesKind.DashedLine ? Plotly.NET.StyleParam.DrawingStyle.Dash : Plotly.NET.StyleParam.DrawingStyle.Solid),
            };
            charts.Add(chart);
        }
        var combined = Plotly.NET.CSharp.Chart.Combine(charts);
        var figure = JsonNode.Parse(Plotly.NET.GenericChart.toFigureJson(combined))!.AsObject();
        var layout = figure["layout"] as JsonObject ?? new JsonObject();
        layout["title"] = new JsonObject { ["text"] = spec.Title };
        layout["xaxis"] = Axis(layout["xaxis"], spec.XLabel, spec.XRange);
        layout["yaxis"] = Axis(layout["yaxis"], spec.YLabel, spec.YRange);
        layout["width"] = spec.Width;
        layout["height"] = spec.Height;
        layout["hovermode"] = "closest";
        figure["layout"] = layout;
        // Drop Plotly.NET's config/frames noise so the JSON (and so the element id) depends only on the chart.
        return new JsonObject { ["data"] = figure["data"]?.DeepClone(), ["layout"] = layout.DeepClone() }.ToJsonString();
    }

    private static string Hover(ChartSeries s, int i) =>
        string.Create(CultureInfo.InvariantCulture, $"{s.Name}<br>x = {s.X[i]:0.###}<br>y = {s.Y[i]:0.###}");

    private static JsonObject Axis(JsonNode? existing, string title, (double Min, double Max)? range)
    {
        var axis = existing as JsonObject ?? new JsonObject();
        axis = (JsonObject)axis.DeepClone();
        axis["title"] = new JsonObject { ["text"] = title };
        if (range is { } r) axis["range"] = new JsonArray(r.Min, r.Max);
        return axis;
    }

    /// <summary>Writes plotly.js (embedded in the Plotly.NET assembly) into <paramref name="directory"/> once.</summary>
    internal static void WritePlotlyJs(string directory)
    {
        var target = Path.Combine(directory, LocalFileName);
        if (File.Exists(target)) return;
        using var stream = typeof(Plotly.NET.GenericChart).Assembly.GetManifestResourceStream(PlotlyJsResource)
            ?? throw new InvalidOperationException($"plotly.js resource {PlotlyJsResource} not found in Plotly.NET");
        var temp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using (var file = File.Create(temp)) stream.CopyTo(file);
        File.Move(temp, target, overwrite: true);
    }
}
