using System.Globalization;
using MoralGap.Values;
using MoralGap.Values.Clustering;
using ScottPlot;

namespace MoralGap.Notebooks;

/// <summary>A leaf of a truncated dendrogram: an observation or a whole cluster below the drawn merges.</summary>
/// <param name="Id">Cluster id in scipy's numbering (observations 0..n−1, merge i makes n + i).</param>
/// <param name="Size">Observations under it.</param>
/// <param name="Position">Position along the leaf axis (0, 1, 2, … in drawing order).</param>
/// <param name="Label">Its label: the most frequent observation label under it and the size, e.g. <c>respect (41)</c>.</param>
public sealed record DendrogramLeaf(int Id, int Size, double Position, string Label);

/// <summary>One drawn merge: a ⊐-shaped link joining two children at a height.</summary>
/// <param name="Position1">Leaf-axis position of the first child.</param>
/// <param name="Height1">Height of the first child (0 for a leaf).</param>
/// <param name="Position2">Leaf-axis position of the second child.</param>
/// <param name="Height2">Height of the second child.</param>
/// <param name="Height">The merge distance.</param>
public sealed record DendrogramLink(double Position1, double Height1, double Position2, double Height2, double Height);

/// <summary>
/// The layout of a dendrogram truncated to its last p merges' leaves, as scipy's
/// <c>dendrogram(Z, truncate_mode='lastp', p=p)</c>: only the top p − 1 merges are drawn, and every cluster formed before
/// them is one leaf labelled with its size.
/// </summary>
/// <param name="Leaves">The p leaves in drawing order.</param>
/// <param name="Links">The p − 1 drawn merges.</param>
public sealed record DendrogramLayout(IReadOnlyList<DendrogramLeaf> Leaves, IReadOnlyList<DendrogramLink> Links);

/// <summary>The figures of chapters 04–06: the taxonomy dendrogram, the 2-D value map and value diversity against the paper.</summary>
public static class ValueFigures
{
    /// <summary>
    /// Lays out the dendrogram of <paramref name="linkage"/> truncated to <paramref name="lastP"/> leaves (scipy's
    /// <c>truncate_mode='lastp'</c>; all n leaves when <paramref name="lastP"/> ≥ n). Leaves are ordered by a depth-first
    /// walk from the root, first child first, as scipy does.
    /// </summary>
    /// <param name="linkage">The linkage matrix.</param>
    /// <param name="lastP">Number of leaves to show (≥ 2).</param>
    /// <param name="observationLabels">A label per observation (e.g. the expression), or null to label leaves by size only.</param>
    public static DendrogramLayout Layout(LinkageMatrix linkage, int lastP = 30, IReadOnlyList<string>? observationLabels = null)
    {
        ArgumentNullException.ThrowIfNull(linkage);
        int n = linkage.ObservationCount;
        if (n < 2) throw new ArgumentException($"A dendrogram needs at least 2 observations; the linkage has {n}.", nameof(linkage));
        if (lastP < 2) throw new ArgumentOutOfRangeException(nameof(lastP), lastP, "Show at least 2 leaves.");
        if (observationLabels is not null && observationLabels.Count != n)
            throw new ArgumentException($"{observationLabels.Count} labels for {n} observations.", nameof(observationLabels));
        int p = Math.Min(lastP, n);
        int firstDrawn = n - p; // merges with index ≥ firstDrawn are drawn; any other cluster is a leaf
        var merges = linkage.Merges;
        int SizeOf(int id) => id < n ? 1 : merges[id - n].Count;
        bool IsDrawn(int id) => id >= n && id - n >= firstDrawn;

        var leaves = new List<DendrogramLeaf>();
        var links = new List<DendrogramLink>();
        // Iterative post-order walk (a recursive one could overflow on a chain-like tree of thousands of merges).
        var position = new Dictionary<int, (double X, double H)>();
        var stack = new Stack<(int Id, bool Expanded)>();
        stack.Push((2 * n - 2, false));
        while (stack.Count > 0)
        {
            var (id, expanded) = stack.Pop();
            if (!IsDrawn(id))
            {
                var x = leaves.Count;
                leaves.Add(new DendrogramLeaf(id, SizeOf(id), x, LeafLabel(id)));
                position[id] = (x, 0);
                continue;
            }
            var m = merges[id - n];
            if (!expanded)
            {
                stack.Push((id, true));
                stack.Push((m.Cluster2, false));
                stack.Push((m.Cluster1, false));
                continue;
            }
            var a = position[m.Cluster1];
            var b = position[m.Cluster2];
            links.Add(new DendrogramLink(a.X, a.H, b.X, b.H, m.Distance));
            position[id] = ((a.X + b.X) / 2, m.Distance);
        }
        return new DendrogramLayout(leaves, links);

        string LeafLabel(int id)
        {
            if (observationLabels is null) return id < n ? id.ToString(CultureInfo.InvariantCulture) : $"({SizeOf(id)})";
            var members = Members(id);
            var top = members.GroupBy(i => observationLabels[i], StringComparer.OrdinalIgnoreCase)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First().Key;
            if (top.Length > 64) top = top[..63] + "…";
            return $"{top} ({members.Count})";
        }

        List<int> Members(int id)
        {
            var result = new List<int>();
            var todo = new Stack<int>();
            todo.Push(id);
            while (todo.Count > 0)
            {
                var c = todo.Pop();
                if (c < n) { result.Add(c); continue; }
                todo.Push(merges[c - n].Cluster1);
                todo.Push(merges[c - n].Cluster2);
            }
            return result;
        }
    }

    /// <summary>
    /// The dendrogram of <paramref name="linkage"/> truncated to its top <paramref name="lastP"/> leaves (see
    /// <see cref="Layout"/>), drawn horizontally with ScottPlot: leaves on the left (labelled with their most frequent
    /// expression and size), merge distance along x. With <paramref name="clusterCount"/>, a dashed line marks the cut
    /// that leaves that many flat clusters.
    /// </summary>
    public static Figure Dendrogram(LinkageMatrix linkage, int lastP = 30, IReadOnlyList<string>? observationLabels = null,
        int? clusterCount = null, string? title = null)
    {
        var layout = Layout(linkage, lastP, observationLabels);
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        var color = new ScottPlot.Palettes.Category10().GetColor(0);
        foreach (var l in layout.Links)
        {
            var line = plot.Add.Scatter(new[] { l.Height1, l.Height, l.Height, l.Height2 }, new[] { l.Position1, l.Position1, l.Position2, l.Position2 }, color);
            line.MarkerSize = 0;
            line.LineWidth = 1.5f;
        }
        int n = linkage.ObservationCount;
        if (clusterCount is int k && k >= 2 && k < n)
        {
            // Any height between the merge that leaves k clusters and the next one cuts the tree into k clusters.
            double below = linkage.Merges[n - k - 1].Distance, above = linkage.Merges[n - k].Distance;
            var cut = plot.Add.VerticalLine((below + above) / 2, 1.5f, Colors.DarkRed, LinePattern.Dashed);
            cut.LegendText = $"cut into {k} clusters";
            plot.ShowLegend(Edge.Bottom);
        }
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            layout.Leaves.Select(leaf => new Tick(leaf.Position, leaf.Label)).ToArray());
        plot.Axes.Left.TickLabelStyle.FontSize = 11;
        plot.Axes.SetLimitsY(-0.7, layout.Leaves.Count - 0.3);
        plot.Axes.SetLimitsX(0, layout.Links.Max(l => l.Height) * 1.03);
        plot.Title(title ?? $"Dendrogram ({linkage.Method} linkage, top {layout.Leaves.Count} of {n} leaves)");
        plot.XLabel("merge distance");
        return new Figure(plot, 1100, Math.Max(440, 22 * layout.Leaves.Count + 120));
    }

    /// <summary>
    /// The expressions in 2-D (e.g. <see cref="Projection.Pca"/> coordinates), coloured by cluster: the
    /// <paramref name="colouredClusters"/> largest clusters get a colour and a legend entry named by
    /// <paramref name="clusterNames"/>, the rest are grey. Hover shows each expression and its cluster's name.
    /// </summary>
    /// <param name="coordinates">Coordinates[i] = (x, y, …) of expression i.</param>
    /// <param name="expressions">The expressions.</param>
    /// <param name="labels">Cluster label per expression.</param>
    /// <param name="clusterNames">Name per cluster label (e.g. the taxonomy's medoid).</param>
    /// <param name="colouredClusters">How many of the largest clusters get their own colour (≤ 10, the palette's size).</param>
    /// <param name="axisNames">Axis titles (default "PC 1", "PC 2").</param>
    /// <param name="title">Title (default says how many expressions are shown).</param>
    /// <param name="maxPoints">At most this many points (repeated expressions of a cluster are one point; beyond that a seeded sample).</param>
    /// <param name="seed">Seed of that sample.</param>
    public static ChartSpec ClusterMap(IReadOnlyList<double[]> coordinates, IReadOnlyList<string> expressions, IReadOnlyList<int> labels,
        IReadOnlyDictionary<int, string> clusterNames, int colouredClusters = 10, (string X, string Y)? axisNames = null, string? title = null,
        int maxPoints = 700, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(coordinates);
        ArgumentNullException.ThrowIfNull(expressions);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(clusterNames);
        if (coordinates.Count != expressions.Count || labels.Count != expressions.Count)
            throw new ArgumentException($"{coordinates.Count} points, {expressions.Count} expressions and {labels.Count} labels: lengths must agree.");
        if (coordinates.Any(c => c is null || c.Length < 2)) throw new ArgumentException("Every point needs at least 2 coordinates.", nameof(coordinates));
        colouredClusters = Math.Clamp(colouredClusters, 0, 10);
        // Repeated expressions (same text, same cluster) share one point, so the interactive view stays small; beyond
        // maxPoints a seeded sample is drawn. The title says how many are shown.
        var total = expressions.Count;
        var distinct = Enumerable.Range(0, total).GroupBy(i => (expressions[i].ToLowerInvariant(), labels[i])).Select(g => (First: g.First(), Count: g.Count())).ToArray();
        var repeats = distinct.ToDictionary(d => d.First, d => d.Count);
        var shown = ValueChapters.SampleIndices(distinct.Length, maxPoints, seed).Select(i => distinct[i].First).ToArray();
        var clusterSizes = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        string Name(int label) => clusterNames.TryGetValue(label, out var s) ? s : $"cluster {label}";
        var largest = clusterSizes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).Take(colouredClusters).Select(kv => kv.Key).ToList();
        var series = new List<ChartSeries>();
        ChartSeries Series(string name, IEnumerable<int> idx, string? color, float size)
        {
            var ids = idx.ToArray();
            return new ChartSeries(name, ids.Select(i => coordinates[i][0]).ToArray(), ids.Select(i => coordinates[i][1]).ToArray(), SeriesKind.Markers,
                Hover: ids.Select(i => $"{System.Net.WebUtility.HtmlEncode(expressions[i])}{(repeats[i] > 1 ? $" (×{repeats[i]})" : "")}<br>cluster: {System.Net.WebUtility.HtmlEncode(Name(labels[i]))}").ToArray(),
                Color: color, Size: size);
        }
        var rest = shown.Where(i => !largest.Contains(labels[i])).ToArray();
        if (rest.Length > 0) series.Add(Series($"other {clusterSizes.Count - largest.Count} clusters", rest, "#c8c8c8", 4));
        var palette = new ScottPlot.Palettes.Category10();
        for (var c = 0; c < largest.Count; c++)
        {
            var label = largest[c];
            var ids = shown.Where(i => labels[i] == label).ToArray();
            var name = Name(label);
            if (name.Length > 36) name = name[..35] + "…";
            series.Add(Series($"{name} ({clusterSizes[label]})", ids, palette.GetColor(c).ToHex()[..7], 6));
        }
        var (xName, yName) = axisNames ?? ("PC 1", "PC 2");
        var what = shown.Length == total ? $"{total} expressions" : $"{shown.Length} distinct points of {total} expressions";
        return new ChartSpec(title ?? $"Value expressions in 2-D, coloured by cluster ({what})", xName, yName, series, Width: 1000, Height: 560);
    }

    /// <summary>
    /// Finding 2 per source: top-10 share and normalised entropy as bars with their bootstrap CIs, with the paper's
    /// values as reference markers (humans 35.2% / 0.57 beside the human bars, LLMs 81.6% / 0.46 beside each model's).
    /// </summary>
    public static ChartSpec DiversityVsPaper(IReadOnlyList<SourceDiversity> sources, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("Give at least one source.", nameof(sources));
        string[] categories = ["top-10 share", "normalised entropy"];
        var series = new List<ChartSeries>();
        foreach (var s in sources)
        {
            double[] y = [s.TopKShare.Estimate, s.NormalizedEntropy.Estimate];
            series.Add(new ChartSeries(s.Source, [0, 1], y, SeriesKind.Bars,
                Hover: [string.Create(CultureInfo.InvariantCulture, $"{s.Source}: top-10 share {s.TopKShare}"),
                        string.Create(CultureInfo.InvariantCulture, $"{s.Source}: normalised entropy {s.NormalizedEntropy}")],
                Low: [s.TopKShare.Lower, s.NormalizedEntropy.Lower], High: [s.TopKShare.Upper, s.NormalizedEntropy.Upper]));
        }
        // Reference markers at the centre of each source's bar (same offsets as ChartSpec's side-by-side bars).
        double width = 0.8 / sources.Count;
        double Slot(int category, int slot) => category - 0.4 + width * (slot + 0.5);
        var human = Enumerable.Range(0, sources.Count).Where(i => IsHuman(sources[i])).ToArray();
        var models = Enumerable.Range(0, sources.Count).Where(i => !IsHuman(sources[i])).ToArray();
        if (human.Length > 0)
            series.Add(Reference("paper: humans (35.2%, 0.57)", human, ValueChapters.PaperHumanTop10, ValueChapters.PaperHumanEntropy, "#000000"));
        if (models.Length > 0)
            series.Add(Reference("paper: LLMs (81.6%, 0.46)", models, ValueChapters.PaperLlmTop10, ValueChapters.PaperLlmEntropy, "#d62728"));
        return new ChartSpec(title ?? "Value diversity per source (95% bootstrap CI) vs the paper", "", "share / normalised entropy", series,
            Categories: categories, YRange: (0, 1.05), Width: 860);

        ChartSeries Reference(string name, int[] slots, double top10, double entropy, string color)
        {
            var xs = slots.SelectMany(i => new[] { Slot(0, i), Slot(1, i) }).ToArray();
            var ys = slots.SelectMany(_ => new[] { top10, entropy }).ToArray();
            return new ChartSeries(name, xs, ys, SeriesKind.Markers,
                Hover: ys.Select(y => string.Create(CultureInfo.InvariantCulture, $"{name}: {y:0.###}")).ToArray(), Color: color, Size: 12);
        }
    }

    /// <summary>Cluster sizes, largest first, as bars (x = rank); hover names each cluster.</summary>
    public static ChartSpec ClusterSizes(IReadOnlyList<int> labels, IReadOnlyDictionary<int, string>? clusterNames = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var groups = labels.GroupBy(l => l).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToArray();
        var xs = Enumerable.Range(1, groups.Length).Select(i => (double)i).ToArray();
        return new ChartSpec(title ?? $"Cluster sizes ({groups.Length} clusters, {labels.Count} expressions)", "cluster rank", "expressions",
            [new ChartSeries("expressions", xs, groups.Select(g => (double)g.Count()).ToArray(), SeriesKind.Bars,
                Hover: groups.Select((g, i) => $"#{i + 1}: {(clusterNames is not null && clusterNames.TryGetValue(g.Key, out var s) ? s : $"cluster {g.Key}")} ({g.Count()})").ToArray())],
            XRange: (0, groups.Length + 1), Width: 900);
    }

    private static bool IsHuman(SourceDiversity s) => s.Source.Equals(Data.DilemmaDataset.Human, StringComparison.OrdinalIgnoreCase);

    /// <summary>Mentions per value for several sources side by side: the <paramref name="top"/> values most mentioned overall, as shares.</summary>
    public static ChartSpec ValueShares(IReadOnlyList<SourceDiversity> sources, IReadOnlyList<string> taxonomy, int top = 10, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(taxonomy);
        var order = Enumerable.Range(0, taxonomy.Count)
            .OrderByDescending(v => sources.Sum(s => s.Counts[v] / (double)Math.Max(1, s.Mentions))).Take(top).ToArray();
        var xs = Enumerable.Range(0, order.Length).Select(i => (double)i).ToArray();
        var series = sources.Select(s => new ChartSeries(s.Source, xs, order.Select(v => s.Counts[v] / (double)Math.Max(1, s.Mentions)).ToArray(), SeriesKind.Bars,
            Hover: order.Select(v => string.Create(CultureInfo.InvariantCulture, $"{s.Source} · {taxonomy[v]}: {s.Counts[v]} mentions ({s.Counts[v] / (double)Math.Max(1, s.Mentions):P1})")).ToArray())).ToArray();
        var names = order.Select(v => taxonomy[v].Length > 12 ? taxonomy[v][..11] + "." : taxonomy[v]).ToArray();
        return new ChartSpec(title ?? $"Share of value mentions, top {order.Length} values", "value", "share of mentions", series,
            Categories: names, Width: 1100);
    }
}
