using MoralGap.Data;

namespace MoralGap.Notebooks;

/// <summary>The figures of chapter 01: how a dataset's human verdicts and texts are distributed.</summary>
public static class DatasetFigures
{
    /// <summary>Dilemmas per human consensus bin, consensus = max(p, 1 − p) in bins from 0.5 to 1.0.</summary>
    public static ChartSpec ConsensusBins(DilemmaDataset dataset, double width = Data.ConsensusBins.DefaultWidth)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var hist = dataset.ConsensusHistogram(DilemmaDataset.Human, width);
        var labels = Data.ConsensusBins.Labels(width);
        var xs = Enumerable.Range(0, hist.Length).Select(i => (double)i).ToArray();
        return new ChartSpec($"Human consensus across bins ({dataset.Name}, {hist.Sum()} dilemmas)", "consensus = max(p, 1 − p)", "dilemmas",
            [new ChartSeries("dilemmas", xs, hist.Select(h => (double)h).ToArray(), SeriesKind.Bars,
                Hover: hist.Select((h, i) => $"{labels[i]}: {h} dilemmas").ToArray())],
            Categories: labels);
    }

    /// <summary>How many human judgments (with a binary verdict) each dilemma has, as a histogram.</summary>
    public static ChartSpec JudgmentsPerDilemma(DilemmaDataset dataset, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var counts = dataset.Distributions().Select(d => (double)d.N).ToArray();
        return Histogram($"Human judgments per dilemma ({dataset.Name})", "judgments with a verdict", counts, bins);
    }

    /// <summary>Dilemma text lengths in words, as a histogram.</summary>
    public static ChartSpec TextLengths(DilemmaDataset dataset, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var words = dataset.Dilemmas.Select(d => (double)d.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length).ToArray();
        return Histogram($"Dilemma length ({dataset.Name})", "words", words, bins);
    }

    /// <summary>
    /// A histogram of <paramref name="values"/> in at most <paramref name="bins"/> equal-width bins. Whole numbers (counts,
    /// word lengths) get whole-number bins, labelled by the values they hold (<c>32</c>, or <c>28–30</c> inclusive), so a
    /// dataset whose dilemmas all have 32 judgments shows one bar "32", not ten bins of fractions rounded alike.
    /// </summary>
    public static ChartSpec Histogram(string title, string xLabel, IReadOnlyList<double> values, int bins = 10)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bins);
        if (values.Count == 0) return new ChartSpec(title + " (no data)", xLabel, "count", []);
        double min = values.Min(), max = values.Max();
        double[] counts;
        string[] labels;
        if (values.All(v => v == Math.Floor(v) && Math.Abs(v) < int.MaxValue))
        {
            long lo = (long)min, distinct = (long)max - lo + 1;
            var step = (distinct + bins - 1) / bins;
            var n = (int)((distinct + step - 1) / step);
            counts = new double[n];
            foreach (var v in values) counts[(int)(((long)v - lo) / step)]++;
            labels = Enumerable.Range(0, n).Select(i => step == 1 ? $"{lo + i}" : $"{lo + i * step}–{lo + (i + 1) * step - 1}").ToArray();
        }
        else
        {
            if (max == min) max = min + 1;
            var width = (max - min) / bins;
            counts = new double[bins];
            foreach (var v in values) counts[Math.Min(bins - 1, (int)((v - min) / width))]++;
            labels = Enumerable.Range(0, bins).Select(i => $"{min + i * width:0.##}–{min + (i + 1) * width:0.##}").ToArray();
        }
        var positions = Enumerable.Range(0, counts.Length).Select(i => (double)i).ToArray();
        return new ChartSpec(title, xLabel, "count",
            [new ChartSeries("count", positions, counts, SeriesKind.Bars, Hover: labels.Select((l, i) => $"{l}: {counts[i]}").ToArray())],
            Categories: labels, Width: 900);
    }
}
