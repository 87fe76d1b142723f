using ScottPlot;

namespace MoralGap.Notebooks;

/// <summary>
/// A ScottPlot figure with the pixel size it is rendered at. Notebooks display it as a PNG image (visible in VS Code,
/// Jupyter and on GitHub) once <see cref="NotebookSetup.Install"/> has registered the formatter.
/// </summary>
/// <param name="Plot">The ScottPlot plot.</param>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
public sealed record Figure(Plot Plot, int Width = Figures.DefaultWidth, int Height = Figures.DefaultHeight)
{
    /// <summary>The figure as PNG bytes.</summary>
    public byte[] ToPng() => Figures.ToPng(Plot, Width, Height);
}

/// <summary>Rendering of ScottPlot figures for notebooks.</summary>
public static class Figures
{
    /// <summary>Default width of a notebook figure in pixels.</summary>
    public const int DefaultWidth = 760;

    /// <summary>Default height of a notebook figure in pixels.</summary>
    public const int DefaultHeight = 440;

    /// <summary>Renders <paramref name="plot"/> to PNG bytes at the given size (ScottPlot renders without a browser).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is not positive.</exception>
    public static byte[] ToPng(Plot plot, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return plot.GetImageBytes(width, height, ImageFormat.Png);
    }
}
