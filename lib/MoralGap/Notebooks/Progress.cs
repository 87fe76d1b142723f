using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace MoralGap.Notebooks;

/// <summary>
/// Progress of a long loop, shown as one line that updates in place in a notebook (a .NET Interactive displayed
/// value) and as occasional lines on standard error elsewhere (runner verbs, tests).
/// Usage: <c>using var bar = ProgressDisplay.Start("Embedding", texts.Length); … bar.Report(done);</c>
/// </summary>
public sealed class ProgressDisplay : IProgress<int>, IDisposable
{
    private readonly string _label;
    private readonly int _total;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _interval;
    private readonly object _gate = new();
    // A Microsoft.DotNet.Interactive DisplayedValue inside a kernel; typed object so that this class also loads where
    // that assembly is absent (a file-based app references lib/MoralGap without the kernel's assemblies).
    private readonly object? _displayed;
    private TimeSpan? _lastShown;
    private int _done;

    private ProgressDisplay(string label, int total, TimeSpan interval)
    {
        _label = label;
        _total = total;
        _interval = interval;
        if (InKernel) _displayed = DisplayInKernel(Text());
    }

    /// <summary>True when the .NET Interactive assembly is loaded (a notebook kernel); false in a file-based app or a verb.</summary>
    private static bool InKernel =>
        AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive");

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static object? DisplayInKernel(string text) =>
        KernelInvocationContext.Current is { } context ? KernelInvocationContextExtensions.Display(context, text, "text/plain") : null;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void UpdateInKernel(object displayed, string text) => ((DisplayedValue)displayed).Update(text);

    /// <summary>Starts a progress line for <paramref name="total"/> steps.</summary>
    /// <param name="label">What is being done.</param>
    /// <param name="total">Number of steps (≥ 0).</param>
    /// <param name="minInterval">Least time between two updates (default 0.5 s).</param>
    public static ProgressDisplay Start(string label, int total, TimeSpan? minInterval = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return new ProgressDisplay(label, total, minInterval ?? TimeSpan.FromSeconds(0.5));
    }

    /// <summary>Steps done so far.</summary>
    public int Done => _done;

    /// <summary>
    /// Reports that <paramref name="done"/> steps of the total are finished. Progress only moves forward: concurrent
    /// workers may report counts out of order, and a late, smaller count must not overwrite a larger one (the final
    /// line would otherwise show e.g. 3834/3840 with a clock instead of "done").
    /// </summary>
    public void Report(int done)
    {
        lock (_gate)
        {
            _done = Math.Max(_done, Math.Clamp(done, 0, _total));
            if (_done < _total && _lastShown is { } last && _clock.Elapsed - last < _interval) return;
            Show();
        }
    }

    /// <summary>Adds one finished step (thread-safe).</summary>
    public void Increment()
    {
        lock (_gate) Report(_done + 1);
    }

    /// <summary>
    /// The current line, e.g. <c>Embedding: 120/400 (30%) 2.1 s</c>; once finished, <c>Embedding: 400/400 (100%) done</c>
    /// (no clock, so a rerun of an unchanged notebook leaves the same text).
    /// </summary>
    public string Text()
    {
        var pct = _total == 0 ? 100 : 100.0 * _done / _total;
        return _done >= _total
            ? $"{_label}: {_done}/{_total} ({pct:0}%) done"
            : $"{_label}: {_done}/{_total} ({pct:0}%) {_clock.Elapsed.TotalSeconds:0.0} s";
    }

    private void Show()
    {
        _lastShown = _clock.Elapsed;
        if (_displayed is not null) UpdateInKernel(_displayed, Text());
        else Console.Error.WriteLine(Text());
    }

    /// <summary>Shows the final state.</summary>
    public void Dispose()
    {
        lock (_gate) Show();
    }
}

/// <summary>
/// An <see cref="IProgress{T}"/> that reports on the calling thread, at once (<see cref="Progress{T}"/> posts to the
/// thread pool, so its reports can arrive late or out of order).
/// </summary>
public sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc/>
    public void Report(T value) => report(value);
}
