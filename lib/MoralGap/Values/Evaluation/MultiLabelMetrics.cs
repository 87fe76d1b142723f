namespace MoralGap.Values.Evaluation;

/// <summary>Precision, recall and F1 of one category.</summary>
/// <param name="Name">The category.</param>
/// <param name="Precision">P = TP / (TP + FP); 0 when nothing was predicted.</param>
/// <param name="Recall">R = TP / (TP + FN); 0 when the category never occurs.</param>
/// <param name="F1">F1 = 2PR / (P + R); 0 when P + R = 0.</param>
/// <param name="Support">Number of items truly in the category (TP + FN).</param>
/// <param name="Predicted">Number of items predicted in it (TP + FP).</param>
public sealed record CategoryScore(string Name, double Precision, double Recall, double F1, int Support, int Predicted);

/// <summary>Per-category scores and their macro average.</summary>
/// <param name="Categories">One score per category, in the categories' order.</param>
/// <param name="MacroF1">The unweighted mean of the categories' F1.</param>
public sealed record MultiLabelReport(IReadOnlyList<CategoryScore> Categories, double MacroF1);

/// <summary>
/// Multi-label classification metrics as in SemEval-2023 Task 4 (Kiesel et al. 2023): for each category c,
/// Pc = TPc / (TPc + FPc), Rc = TPc / (TPc + FNc), F1c = 2·Pc·Rc / (Pc + Rc) (each 0 when its denominator is 0),
/// and macro-F1 = (1/C) Σc F1c. The task's baseline "predict all ones" labels every item with every category, so
/// Pc is the category's prevalence, Rc = 1, and F1c = 2·prevalence / (1 + prevalence).
/// </summary>
public static class MultiLabelMetrics
{
    /// <summary>Scores <paramref name="predicted"/> against <paramref name="truth"/> (both items × categories).</summary>
    /// <exception cref="ArgumentException">Different numbers of items, or a row with another number of categories.</exception>
    public static MultiLabelReport Score(IReadOnlyList<string> categories, IReadOnlyList<bool[]> truth, IReadOnlyList<bool[]> predicted)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(predicted);
        if (truth.Count != predicted.Count) throw new ArgumentException($"{truth.Count} true rows but {predicted.Count} predicted rows.", nameof(predicted));
        var n = categories.Count;
        var tp = new int[n];
        var fp = new int[n];
        var fn = new int[n];
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i]?.Length != n) throw new ArgumentException($"True row {i} has {truth[i]?.Length} labels, not {n}.", nameof(truth));
            if (predicted[i]?.Length != n) throw new ArgumentException($"Predicted row {i} has {predicted[i]?.Length} labels, not {n}.", nameof(predicted));
            for (var c = 0; c < n; c++)
            {
                if (truth[i][c] && predicted[i][c]) tp[c]++;
                else if (predicted[i][c]) fp[c]++;
                else if (truth[i][c]) fn[c]++;
            }
        }
        var scores = new CategoryScore[n];
        for (var c = 0; c < n; c++)
        {
            double p = tp[c] + fp[c] == 0 ? 0 : (double)tp[c] / (tp[c] + fp[c]);
            double r = tp[c] + fn[c] == 0 ? 0 : (double)tp[c] / (tp[c] + fn[c]);
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            scores[c] = new CategoryScore(categories[c], p, r, f, tp[c] + fn[c], tp[c] + fp[c]);
        }
        return new MultiLabelReport(scores, n == 0 ? 0 : scores.Average(s => s.F1));
    }

    /// <summary>The predict-all-ones baseline on <paramref name="truth"/>: every item labelled with every category.</summary>
    public static MultiLabelReport AllOnes(IReadOnlyList<string> categories, IReadOnlyList<bool[]> truth)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(truth);
        var ones = truth.Select(_ => Enumerable.Repeat(true, categories.Count).ToArray()).ToArray();
        return Score(categories, truth, ones);
    }

    /// <summary>F1 of one category from its true labels and predictions (see the class remarks).</summary>
    public static double F1(ReadOnlySpan<bool> truth, ReadOnlySpan<bool> predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException($"{truth.Length} labels but {predicted.Length} predictions.", nameof(predicted));
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < truth.Length; i++)
        {
            if (truth[i] && predicted[i]) tp++;
            else if (predicted[i]) fp++;
            else if (truth[i]) fn++;
        }
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>
    /// The threshold t that maximises F1 of "score ≥ t" against <paramref name="truth"/>, searched over the midpoints
    /// between consecutive distinct scores (and below the lowest); ties go to the highest such t. O(n log n).
    /// </summary>
    public static (double Threshold, double F1) BestThreshold(ReadOnlySpan<double> scores, ReadOnlySpan<bool> truth)
    {
        if (scores.Length != truth.Length) throw new ArgumentException($"{scores.Length} scores but {truth.Length} labels.", nameof(truth));
        if (scores.Length == 0) return (0.5, 0);
        var order = new int[scores.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var s = scores.ToArray();
        Array.Sort(order, (a, b) => s[b].CompareTo(s[a])); // descending
        var positives = 0;
        foreach (var t in truth) if (t) positives++;
        double bestF1 = -1, bestT = s[order[0]] + 1e-9;
        int tp = 0, predicted = 0;
        for (var k = 0; k < order.Length; k++)
        {
            tp += truth[order[k]] ? 1 : 0;
            predicted++;
            if (k + 1 < order.Length && s[order[k + 1]] == s[order[k]]) continue; // same score: same decision
            double f1 = positives + predicted == 0 ? 0 : 2.0 * tp / (positives + predicted);
            var t = k + 1 < order.Length ? (s[order[k]] + s[order[k + 1]]) / 2 : s[order[k]] - 1e-6;
            if (f1 > bestF1) { bestF1 = f1; bestT = t; }
        }
        return (bestT, Math.Max(0, bestF1));
    }
}
