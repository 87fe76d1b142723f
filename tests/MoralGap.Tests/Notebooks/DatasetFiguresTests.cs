using MoralGap.Notebooks;

namespace MoralGap.Tests.Notebooks;

public class DatasetFiguresTests
{
    [Fact]
    public void WholeNumbersGetWholeNumberBinsLabelledByTheirValues()
    {
        // Every dilemma with 32 judgments: one bar "32", not ten bins whose rounded edges all read 32–32.
        var same = DatasetFigures.Histogram("t", "judgments", Enumerable.Repeat(32.0, 120).ToArray());
        Assert.Equal(["32"], same.Categories);
        Assert.Equal([120.0], same.Series.Single().Y);

        // 25…45 words (21 values) in at most 10 bins: bins of 3 values, 7 of them, edges inclusive.
        var words = Enumerable.Range(25, 21).Select(v => (double)v).Append(45).ToArray();
        var spec = DatasetFigures.Histogram("t", "words", words);
        Assert.Equal(["25–27", "28–30", "31–33", "34–36", "37–39", "40–42", "43–45"], spec.Categories);
        Assert.Equal([3.0, 3, 3, 3, 3, 3, 4], spec.Series.Single().Y);
        Assert.Equal(words.Length, spec.Series.Single().Y.Sum());
    }

    [Fact]
    public void FractionsKeepEqualWidthBinsOverTheirRange()
    {
        var spec = DatasetFigures.Histogram("t", "share", [0.0, 0.25, 0.5, 0.75, 1.0], bins: 4);
        Assert.Equal(["0–0.25", "0.25–0.5", "0.5–0.75", "0.75–1"], spec.Categories);
        Assert.Equal([1.0, 1, 1, 2], spec.Series.Single().Y); // the maximum falls into the last bin
    }
}
