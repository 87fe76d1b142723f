using System.Text.Json.Nodes;
using MoralGap.Notebooks;
using MoralGap.Values;
using MoralGap.Values.Clustering;

namespace MoralGap.Tests.Notebooks;

public class ValueFiguresTests
{
    // Three well separated groups on a line: {0, 1, 2}, {10, 11}, {30, 31.5}; then 200 points for the big picture.
    private static readonly double[][] Line = [[0], [1], [2], [10], [11], [30], [31.5]];
    private static readonly string[] LineLabels = ["a", "a", "b", "c", "c", "d", "e"];

    private static LinkageMatrix LineLinkage() => AgglomerativeClustering.Linkage(Line, LinkageMethod.Average, DistanceMetric.Euclidean);

    private static double[][] RandomPoints(int n, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new[] { rng.NextDouble(), rng.NextDouble(), rng.NextDouble() }).ToArray();
    }

    [Fact]
    public void TruncatedLayoutHasLastPLeavesThatAreTheFlatClustersOfThatCut()
    {
        var linkage = LineLinkage();
        var layout = ValueFigures.Layout(linkage, lastP: 3);
        Assert.Equal(3, layout.Leaves.Count);
        Assert.Equal(2, layout.Links.Count);
        var cutSizes = linkage.CutByClusterCount(3).GroupBy(l => l).Select(g => g.Count()).Order();
        Assert.Equal(cutSizes, layout.Leaves.Select(l => l.Size).Order());
        Assert.Equal(new double[] { 0, 1, 2 }, layout.Leaves.Select(l => l.Position));
        Assert.Equal(linkage.Merges[^1].Distance, layout.Links.Max(l => l.Height), 12);
    }

    [Fact]
    public void FullLayoutDrawsEveryMergeAndKeepsNeighboursTogether()
    {
        var linkage = LineLinkage();
        var layout = ValueFigures.Layout(linkage, lastP: 100, observationLabels: LineLabels);
        Assert.Equal(7, layout.Leaves.Count);
        Assert.Equal(6, layout.Links.Count);
        Assert.Equal(Enumerable.Range(0, 7), layout.Leaves.Select(l => l.Id).Order());
        // The two points at 30 and 31.5 merge with each other, so they are adjacent along the leaf axis.
        var p5 = layout.Leaves.Single(l => l.Id == 5).Position;
        var p6 = layout.Leaves.Single(l => l.Id == 6).Position;
        Assert.Equal(1, Math.Abs(p5 - p6));
        Assert.Equal("d (1)", layout.Leaves.Single(l => l.Id == 5).Label);
        // Every link's children lie at or below it.
        Assert.All(layout.Links, l => Assert.True(l.Height1 <= l.Height && l.Height2 <= l.Height));
    }

    [Fact]
    public void LeafOfAClusterIsNamedByItsMostFrequentLabel()
    {
        var layout = ValueFigures.Layout(LineLinkage(), lastP: 3, observationLabels: LineLabels);
        Assert.Contains(layout.Leaves, l => l.Label == "a (3)"); // {0, 1, 2} labelled a, a, b
        Assert.Contains(layout.Leaves, l => l.Label == "c (2)");
    }

    [Fact]
    public void DendrogramOfManyPointsRendersAPngWithThirtyLeaves()
    {
        var linkage = AgglomerativeClustering.Linkage(RandomPoints(200, 3), LinkageMethod.Average, DistanceMetric.Euclidean);
        Assert.Equal(30, ValueFigures.Layout(linkage, 30).Leaves.Count);
        Assert.Equal(200, ValueFigures.Layout(linkage, 30).Leaves.Sum(l => l.Size));
        var png = ValueFigures.Dendrogram(linkage, 30, clusterCount: 12).ToPng();
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void LayoutRejectsTooFewLeavesAndWrongLabelCounts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ValueFigures.Layout(LineLinkage(), lastP: 1));
        Assert.Throws<ArgumentException>(() => ValueFigures.Layout(LineLinkage(), 3, ["x"]));
    }

    private static SourceDiversity Source(string name, int seed, int values)
    {
        var rng = new Random(seed);
        var taxonomy = Enumerable.Range(0, 20).Select(i => $"v{i}").ToArray();
        var perRationale = Enumerable.Range(0, 80).Select(_ => (IReadOnlyList<ValueExpression>)
            [new ValueExpression("x", null, taxonomy[rng.Next(values)], 1.0)]).ToArray();
        return ValueChapters.Summarize(name, perRationale, taxonomy, replicates: 200, seed: 1);
    }

    [Fact]
    public void DiversityFigureHasCiBarsAndThePapersReferenceMarkersBesideTheMatchingBars()
    {
        var sources = new[] { Source("human", 1, 20), Source("simulated-judge", 2, 5) };
        var spec = ValueFigures.DiversityVsPaper(sources);
        var bars = spec.Series.Where(s => s.Kind == SeriesKind.Bars).ToArray();
        Assert.Equal(2, bars.Length);
        Assert.All(bars, b => { Assert.NotNull(b.Low); Assert.NotNull(b.High); });
        Assert.True(bars[0].Low![0] < bars[0].High![0]); // (a percentile interval of a biased statistic need not contain the estimate)
        var human = spec.Series.Single(s => s.Name.StartsWith("paper: humans"));
        var llm = spec.Series.Single(s => s.Name.StartsWith("paper: LLMs"));
        Assert.Equal(new[] { 0.352, 0.57 }, human.Y);
        Assert.Equal(new[] { 0.816, 0.46 }, llm.Y);
        // Two sources → bars at category ∓ 0.2: the human marker sits on the first bar, the LLM one on the second.
        Assert.Equal(new[] { -0.2, 0.8 }, human.X.Select(x => Math.Round(x, 9)));
        Assert.Equal(new[] { 0.2, 1.2 }, llm.X.Select(x => Math.Round(x, 9)));
        Assert.Equal(0x89, spec.ToFigure().ToPng()[0]);
        var json = JsonNode.Parse(spec.ToPlotlyJson())!;
        Assert.Equal(4, json["data"]!.AsArray().Count);
    }

    [Fact]
    public void NarrowSourceHasTheHigherTopTenShareAndLowerEntropy()
    {
        var broad = Source("human", 1, 20);
        var narrow = Source("model", 2, 5);
        Assert.Equal(1.0, narrow.TopKShare.Estimate);
        Assert.True(broad.TopKShare.Estimate < 0.9);
        Assert.True(narrow.NormalizedEntropy.Estimate < broad.NormalizedEntropy.Estimate);
        Assert.Equal(80, broad.Mentions);
        var rows = ValueChapters.DiversityTable([broad, narrow]);
        Assert.Equal("35.2 % / 0.57", rows[0].Paper);
        Assert.Equal("81.6 % / 0.46", rows[1].Paper);
        Assert.Equal("100.0 %", rows[1].Top10Share);
    }

    [Fact]
    public void RarefyBringsEverySourceToTheSmallestSourcesMentionsAndShowsItInTheOneLinerAndTable()
    {
        var taxonomy = Enumerable.Range(0, 20).Select(i => $"v{i}").ToArray();
        var rng = new Random(4);
        var small = ValueChapters.Summarize("model", Enumerable.Range(0, 30).Select(_ => (IReadOnlyList<ValueExpression>)
            [new ValueExpression("x", null, taxonomy[rng.Next(5)], 1.0)]).ToArray(), taxonomy, replicates: 200, seed: 1);
        var big = Source("human", 1, 20);
        Assert.Null(big.RarefiedEntropy);
        Assert.DoesNotContain("rarefied", big.ToString());
        var rarefied = ValueChapters.Rarefy([big, small], repeats: 100, seed: 3);
        Assert.Equal(rarefied, ValueChapters.Rarefy([big, small], repeats: 100, seed: 3));
        Assert.All(rarefied, s => Assert.Equal(30, s.RarefiedTopKShare!.Mentions));
        // The smallest source, at its own size, keeps its raw values exactly.
        Assert.Equal(small.TopKShare.Estimate, rarefied[1].RarefiedTopKShare!.Mean);
        Assert.Equal(small.NormalizedEntropy.Estimate, rarefied[1].RarefiedEntropy!.Mean);
        Assert.Equal(100, rarefied[0].RarefiedEntropy!.Repeats);
        Assert.Contains("rarefied to 30 mentions (100 subsamples): top-10 share", rarefied[0].ToString());
        var rows = ValueChapters.DiversityTable(rarefied);
        Assert.EndsWith("@30", rows[0].RarefiedEntropy);
        Assert.StartsWith("100.0 % [100.0 %, 100.0 %]", rows[1].RarefiedTop10);
        Assert.Equal("", ValueChapters.DiversityTable([big])[0].RarefiedTop10);
    }

    [Fact]
    public void ClusterMapColoursTheLargestClustersAndHoversExpressionAndClusterName()
    {
        var coords = Enumerable.Range(0, 30).Select(i => new double[] { i, i % 7 }).ToArray();
        var labels = Enumerable.Range(0, 30).Select(i => i < 15 ? 0 : i % 5 + 1).ToArray();
        var expressions = Enumerable.Range(0, 30).Select(i => $"expression {i}").ToArray();
        var names = labels.Distinct().ToDictionary(l => l, l => $"name{l}");
        var spec = ValueFigures.ClusterMap(coords, expressions, labels, names, colouredClusters: 3);
        Assert.Equal(4, spec.Series.Count); // "other" + 3 coloured
        Assert.StartsWith("other 3 clusters", spec.Series[0].Name);
        Assert.Equal("name0 (15)", spec.Series[1].Name);
        Assert.Equal(30, spec.Series.Sum(s => s.X.Length));
        Assert.Contains("expression 0<br>cluster: name0", spec.Series[1].Hover!);
        Assert.Equal(0x89, spec.ToFigure().ToPng()[0]);
    }

    [Fact]
    public void ClusterMapMergesRepeatedExpressionsAndCapsPoints()
    {
        var coords = Enumerable.Range(0, 40).Select(i => new double[] { i % 10, 0 }).ToArray();
        var expressions = Enumerable.Range(0, 40).Select(i => $"expression {i % 10}").ToArray();
        var labels = Enumerable.Range(0, 40).Select(i => i % 10 < 5 ? 0 : 1).ToArray();
        var names = new Dictionary<int, string> { [0] = "zero", [1] = "one" };
        var merged = ValueFigures.ClusterMap(coords, expressions, labels, names);
        Assert.Equal(10, merged.Series.Sum(s => s.X.Length));
        Assert.Contains("expression 3 (×4)<br>cluster: zero", merged.Series.SelectMany(s => s.Hover!));
        Assert.Equal("zero (20)", merged.Series.Single(s => s.Name.StartsWith("zero")).Name);
        var capped = ValueFigures.ClusterMap(coords, expressions, labels, names, maxPoints: 4);
        Assert.Equal(4, capped.Series.Sum(s => s.X.Length));
        Assert.Contains("4 distinct points of 40", capped.Title);
    }

    [Fact]
    public void ClusterSizesAreSortedLargestFirst()
    {
        var spec = ValueFigures.ClusterSizes([2, 2, 0, 1, 1, 1]);
        Assert.Equal(new double[] { 3, 2, 1 }, spec.Series[0].Y);
    }

    [Fact]
    public void RecoveryCountsMatchedPairs()
    {
        IReadOnlyCollection<string>[] reference = [["Respect", "Honesty"], ["Family"], []];
        IReadOnlyCollection<string>[] found = [["Respect"], ["Loyalty"], ["Family"]];
        var r = ValueChapters.Compare(reference, found);
        Assert.Equal((3, 3, 3, 1), (r.Rationales, r.Reference, r.Found, r.Matched));
        Assert.Equal(1 / 3.0, r.Precision, 12);
        Assert.Equal(1 / 3.0, r.Recall, 12);
    }

    [Fact]
    public void PlantedAgreementIsOneForTheSamePartitionUnderOtherNamesAndCountsUnknowns()
    {
        var agreement = ValueChapters.CompareWithPlanted([5, 5, 7, 7, 9], ["Respect", "Respect", "Family", "Family", null]);
        Assert.Equal(1.0, agreement.AdjustedRandIndex, 12);
        Assert.Equal(4, agreement.WithPlanted);
        Assert.Equal(5, agreement.Expressions);
        var shuffled = ValueChapters.CompareWithPlanted([1, 2, 1, 2], ["Respect", "Respect", "Family", "Family"]);
        Assert.True(shuffled.AdjustedRandIndex < 0.5);
    }
}
