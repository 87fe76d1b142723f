using MoralGap.Values.Evaluation;

namespace MoralGap.Tests.Values.Evaluation;

public class MultiLabelMetricsTests
{
    // Four items, three categories (A, B, C). Truth and predictions chosen so every case occurs:
    //   A: truth 1 1 0 0, predicted 1 0 1 0 → TP 1, FP 1, FN 1 → P 1/2, R 1/2, F1 1/2
    //   B: truth 1 0 0 0, predicted 1 1 1 1 → TP 1, FP 3, FN 0 → P 1/4, R 1,  F1 2·(1/4)/(5/4) = 2/5
    //   C: truth 0 1 1 1, predicted 0 0 0 0 → TP 0 → P 0 (nothing predicted), R 0, F1 0
    //   macro-F1 = (1/2 + 2/5 + 0) / 3 = 0.3
    // All ones: prevalence A 2/4, B 1/4, C 3/4 → F1 = 2p/(1+p) = 2/3, 2/5, 6/7; macro = (2/3 + 2/5 + 6/7)/3.
    private static readonly string[] Names = ["A", "B", "C"];
    private static readonly bool[][] Truth = [[true, true, false], [true, false, true], [false, false, true], [false, false, true]];
    private static readonly bool[][] Predicted = [[true, true, false], [false, true, false], [true, true, false], [false, true, false]];

    [Fact]
    public void MatchesAHandComputedCase()
    {
        var r = MultiLabelMetrics.Score(Names, Truth, Predicted);
        Assert.Equal(0.5, r.Categories[0].Precision, 12);
        Assert.Equal(0.5, r.Categories[0].Recall, 12);
        Assert.Equal(0.5, r.Categories[0].F1, 12);
        Assert.Equal(0.25, r.Categories[1].Precision, 12);
        Assert.Equal(1.0, r.Categories[1].Recall, 12);
        Assert.Equal(0.4, r.Categories[1].F1, 12);
        Assert.Equal((0.0, 0.0, 0.0), (r.Categories[2].Precision, r.Categories[2].Recall, r.Categories[2].F1));
        Assert.Equal([2, 1, 3], r.Categories.Select(c => c.Support));
        Assert.Equal(0.3, r.MacroF1, 12);
    }

    [Fact]
    public void AllOnesBaselineMatchesAHandComputedCase()
    {
        var r = MultiLabelMetrics.AllOnes(Names, Truth);
        Assert.Equal([0.5, 0.25, 0.75], r.Categories.Select(c => c.Precision));
        Assert.All(r.Categories, c => Assert.Equal(1.0, c.Recall));
        Assert.Equal((2.0 / 3 + 2.0 / 5 + 6.0 / 7) / 3, r.MacroF1, 12);
    }

    [Fact]
    public void BestThresholdMaximisesF1()
    {
        double[] scores = [0.9, 0.8, 0.7, 0.4, 0.3, 0.1];
        bool[] truth = [true, false, true, true, false, false];
        // Cut after 4 items (t between 0.4 and 0.3): TP 3, FP 1, FN 0 → F1 6/7, the best of all cuts.
        var (t, f1) = MultiLabelMetrics.BestThreshold(scores, truth);
        Assert.Equal(0.35, t, 12);
        Assert.Equal(6.0 / 7, f1, 12);
        Assert.Equal(f1, MultiLabelMetrics.F1(truth, scores.Select(s => s >= t).ToArray()), 12);
    }

    [Fact]
    public void MismatchedShapesAreErrors()
    {
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.Score(Names, Truth, Predicted.Take(3).ToArray()));
        Assert.Throws<ArgumentException>(() => MultiLabelMetrics.Score(Names, Truth, [.. Predicted.Take(3), [true]]));
    }
}
