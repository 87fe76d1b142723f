using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.Data.Analysis;

namespace MoralGap.Notebooks;

/// <summary>
/// What the notebooks need from the kernel, installed once by the setup cell: figures as PNG images, readable
/// DataFrame tables, banners. Safe to call more than once.
/// </summary>
public static class NotebookSetup
{
    private static int _installed;

    /// <summary>Registers the formatters (idempotent).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        InstallFSharpCoreResolver();
        RegisterFormatters();
    }

    /// <summary>
    /// Plotly.NET 6.0.0 asks for FSharp.Core 10.1, but the official kernel has FSharp.Core 10.0 loaded in the default
    /// load context, so the load fails with FileNotFoundException (measured in the official dotnet-interactive kernel). Answer any request for
    /// FSharp.Core with the one already loaded. Installed once, before any Plotly type is touched.
    /// </summary>
    internal static void InstallFSharpCoreResolver()
    {
        if (Interlocked.Exchange(ref _resolverInstalled, 1) == 1) return;
        AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
    }

    internal static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName name)
    {
        if (!string.Equals(name.Name, "FSharp.Core", StringComparison.Ordinal)) return null;
        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => string.Equals(a.GetName().Name, "FSharp.Core", StringComparison.Ordinal))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
    }

    private static int _resolverInstalled;

    // Kept out of Install so that JIT-compiling Install never touches Plotly (and so FSharp.Core) before the resolver.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterFormatters()
    {

        // Figures: PNG first, so outputs are images (GitHub and offline readers see them), never object dumps.
        Formatter.Register<ScottPlot.Plot>((plot, writer) => writer.Write(Convert.ToBase64String(Figures.ToPng(plot))), PngMime);
        Formatter.Register<Figure>((figure, writer) => writer.Write(Convert.ToBase64String(figure.ToPng())), PngMime);
        Formatter.SetPreferredMimeTypesFor(typeof(ScottPlot.Plot), PngMime);
        Formatter.SetPreferredMimeTypesFor(typeof(Figure), PngMime);

        // Tables: a short HTML table plus aligned text (the text is what diffs and terminals show).
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(Tables.ToHtml(frame)), HtmlFormatter.MimeType);
        Formatter.Register<DataFrame>((frame, writer) => writer.Write(Tables.ToText(frame)), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(DataFrame), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);

        Formatter.Register<Banner>((banner, writer) => writer.Write(banner.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Banner>((banner, writer) => writer.Write(banner.ToString()), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Banner), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);

        // Charts: a ChartSpec shows its PNG; its Interactive() view shows Plotly HTML (and is saved as a page under the runner).
        Formatter.Register<ChartSpec>((spec, writer) => writer.Write(Convert.ToBase64String(spec.ToFigure().ToPng())), PngMime);
        Formatter.SetPreferredMimeTypesFor(typeof(ChartSpec), PngMime);
        Formatter.Register<PlotlyView>((view, writer) =>
        {
            view.SaveToFiguresDirectory();
            writer.Write(view.ToHtml());
        }, HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyView), HtmlFormatter.MimeType);
        RegisterPlotlyNetFormatter();
        RegisterPlainTextReports();
    }

    /// <summary>
    /// Reports written for people (a filter report, an environment check, a fit summary) show their own ToString as
    /// plain text instead of .NET Interactive's property tree: every public MoralGap type that writes ToString by hand.
    /// </summary>
    private static void RegisterPlainTextReports()
    {
        var special = new HashSet<Type> { typeof(Figure), typeof(Banner), typeof(ChartSpec), typeof(PlotlyView) };
        foreach (var type in typeof(NotebookSetup).Assembly.GetExportedTypes())
        {
            if (special.Contains(type) || type.IsGenericTypeDefinition || type.IsAbstract && type.IsSealed) continue;
            var toString = type.GetMethod(nameof(ToString), BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly, Type.EmptyTypes);
            if (toString is null || toString.IsDefined(typeof(CompilerGeneratedAttribute), false)) continue;
            Formatter.Register(type, (value, writer) => writer.Write(value?.ToString()), PlainTextFormatter.MimeType);
            Formatter.SetPreferredMimeTypesFor(type, PlainTextFormatter.MimeType);
        }
    }

    /// <summary>A user's own Plotly.NET chart displays as the same small HTML (plotly.js loaded once from its CDN).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterPlotlyNetFormatter()
    {
        Formatter.Register<Plotly.NET.GenericChart>((chart, writer) => writer.Write(Plotly.NET.GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Plotly.NET.GenericChart), HtmlFormatter.MimeType);
    }

    private const string PngMime = "image/png";
}
