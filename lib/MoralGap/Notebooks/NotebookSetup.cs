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

    /// <summary>True once <see cref="Install"/> has run in this process.</summary>
    public static bool IsInstalled => Volatile.Read(ref _installed) == 1;

    /// <summary>Registers the formatters (idempotent).</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;

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
    }

    private const string PngMime = "image/png";
}
