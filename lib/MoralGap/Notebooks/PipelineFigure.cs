using ScottPlot;

namespace MoralGap.Notebooks;

/// <summary>
/// The paper's Figure 1 redrawn as a pipeline: dilemmas with human judgments and LLM judgments → verdict
/// distributions and the gap vs consensus (Finding 1) → values extracted from rationales, clustered into a
/// taxonomy (Finding 2) → topic Dirichlet priors → Dynamic Moral Profiling back into the prompt (Finding 3), drawn as
/// the chapters do it: values are extracted from human and model rationales; diversity is counted over the lexicon's
/// values or, with <c>Taxonomy = clusters</c>, over the clustered taxonomy; the priors come from the human values; and
/// chapter 10 measures Findings 1 and 3 on released real judgments and votes, chapter 11 Finding 2 on real rationales. Each box names the chapter that covers it.
/// </summary>
public static class PipelineFigure
{
    private sealed record Box(string Text, double X, double Y, string Chapter, Color Fill);

    /// <summary>Draws the pipeline; display the result or call <see cref="Figure.ToPng"/>.</summary>
    public static Figure Draw()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans"); // present on Linux; ScottPlot falls back to the system sans font elsewhere
        var data = Color.FromHex("#dbeafe");
        var model = Color.FromHex("#fde68a");
        var metric = Color.FromHex("#dcfce7");
        var remedy = Color.FromHex("#fce7f3");
        var real = Color.FromHex("#e5e7eb");
        Box[] boxes =
        [
            new("AITA dilemmas\n+ 32 human verdicts\nand rationales", 0, 2, "01", data),
            new("LLM judgments\n32 samples per\ndilemma × model", 0, 0, "02", model),
            new("Verdict distributions\np = share UNACCEPTABLE\nconsensus = max(p, 1−p)", 3, 1, "03", metric),
            new("Finding 1: the gap\n|p_model − p_human|\nby consensus bin", 6, 1, "03", metric),
            new("Value expressions\nextracted from\nrationales", 3, 3.2, "04", data),
            new("Taxonomy: MiniLM +\nagglomerative\nclustering", 6, 4.5, "05", data),
            new("Finding 2: diversity\ntop-10 share,\nnormalised entropy", 9, 3.2, "06", metric),
            new("Topic Dirichlet\npriors G_topic\nfrom human values", 9, 1, "07", remedy),
            new("Dynamic Moral Profiling\nθ ~ Dir(α·G_topic)\ntop-k values in prompt", 9, -1.2, "08–09", remedy),
            new("Real models on real votes:\nrecorded GPT-4o and\nLlama judgments", 5.2, -2.1, "10", real),
            new("Real people vs a model:\ncomment and GPT-4o\nanswer per post", 9, 5.2, "11", real),
        ];
        const double w = 2.3, h = 1.25;
        foreach (var b in boxes)
        {
            var r = plot.Add.Rectangle(b.X - w / 2, b.X + w / 2, b.Y - h / 2, b.Y + h / 2);
            r.FillStyle.Color = b.Fill;
            r.LineStyle.Color = Colors.DimGray;
            r.LineStyle.Width = 1.5f;
            var t = plot.Add.Text(b.Text, b.X, b.Y + 0.05);
            t.LabelFontSize = 12;
            t.LabelAlignment = Alignment.MiddleCenter;
            var c = plot.Add.Text("ch. " + b.Chapter, b.X + w / 2 - 0.05, b.Y - h / 2 + 0.05);
            c.LabelFontSize = 10;
            c.LabelFontColor = Colors.DimGray;
            c.LabelAlignment = Alignment.LowerRight;
        }

        // label: placed at fraction `at` along the arrow, nudged by (dx, dy), anchored by `align`.
        void Arrow(int from, int to, string? label = null, double at = 0.5, double dx = 0, double dy = 0.12, Alignment align = Alignment.LowerCenter)
        {
            var a = boxes[from];
            var b = boxes[to];
            var (x1, y1) = Edge(a, b.X, b.Y);
            var (x2, y2) = Edge(b, a.X, a.Y);
            var arrow = plot.Add.Arrow(new Coordinates(x1, y1), new Coordinates(x2, y2));
            arrow.ArrowFillColor = Colors.DimGray;
            arrow.ArrowLineColor = Colors.DimGray;
            arrow.ArrowWidth = 2;
            arrow.ArrowheadWidth = 12;
            arrow.ArrowheadLength = 14;
            if (label is not null)
            {
                var t = plot.Add.Text(label, x1 + at * (x2 - x1) + dx, y1 + at * (y2 - y1) + dy);
                t.LabelFontSize = 10;
                t.LabelAlignment = align;
            }
        }

        static (double, double) Edge(Box b, double tx, double ty)
        {
            var dx = tx - b.X;
            var dy = ty - b.Y;
            var sx = dx == 0 ? double.PositiveInfinity : (w / 2) / Math.Abs(dx);
            var sy = dy == 0 ? double.PositiveInfinity : (h / 2) / Math.Abs(dy);
            var s = Math.Min(sx, sy);
            return (b.X + dx * s, b.Y + dy * s);
        }

        Arrow(0, 2);
        Arrow(1, 2);
        Arrow(2, 3);
        Arrow(0, 4, "human rationales", dx: -0.25);
        Arrow(1, 4, "model rationales", at: 0.3, dx: -0.1, dy: 0, align: Alignment.MiddleRight);
        Arrow(4, 5);
        Arrow(4, 6, "lexicon values");
        Arrow(5, 6, "Taxonomy = clusters", at: 0.3, dx: 0, dy: 0.06, align: Alignment.LowerLeft);
        Arrow(4, 7, "human values");
        Arrow(7, 8);
        Arrow(8, 1, "profile in the prompt");
        Arrow(9, 3, "Findings 1, 3", dx: 0.12, dy: 0, align: Alignment.MiddleLeft);
        Arrow(10, 6, "Finding 2", dx: 0.12, dy: 0, align: Alignment.MiddleLeft);

        plot.Axes.Frameless();
        plot.HideGrid();
        plot.Axes.SetLimits(-1.4, 10.4, -3.0, 6.0);
        plot.Title("The Pluralistic Moral Gap — pipeline (paper's Figure 1, redrawn)");
        return new Figure(plot, 1000, 680);
    }
}
