using System.Text.Json;
using MoralGap.Data;
using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class TaxonomyTests
{
    [Fact]
    public void PlantedValuesAreNamedAndMappedToThePapersTaxonomy()
    {
        string[] expressions =
        [
            "honesty", "telling the truth", "she lied", "honesty", "being truthful",
            "it was dangerous", "someone could get hurt", "safety first", "keeping people safe",
            "family comes first", "support your family", "family", "family",
        ];
        int[] labels = [7, 7, 7, 7, 7, 3, 3, 3, 3, 9, 9, 9, 9];
        var vectors = Embedder.Default.Embed(expressions);
        var taxonomy = ValueTaxonomy.Build(expressions, vectors, labels);

        Assert.Equal([5, 4, 4], taxonomy.Clusters.Select(c => c.Size));
        Assert.Equal([7, 3, 9], taxonomy.Clusters.Select(c => c.Label)); // largest first, ties by label
        var honesty = taxonomy.Clusters[0];
        Assert.Equal("honesty", honesty.MostFrequent);
        Assert.Equal(2, honesty.MostFrequentCount);
        Assert.Contains(honesty.Medoid, expressions[..5]);
        Assert.Equal("family", taxonomy.Clusters[2].MostFrequent);
        Assert.Equal("Safety", taxonomy.Clusters[1].NearestPaperValue);
        Assert.Equal("Family", taxonomy.Clusters[2].NearestPaperValue);
        Assert.Equal(taxonomy.Clusters.Select(c => c.NearestPaperValue).Distinct().Count(), taxonomy.Coverage);
        Assert.All(taxonomy.CoveredValues, v => Assert.Contains(v, PaperValues.Names));
        Assert.Equal(13, taxonomy.Clusters.Sum(c => c.Members.Count));
    }

    [Fact]
    public void TheMedoidMaximisesTheMeanCosineToTheOtherMembers()
    {
        var rng = new Random(5);
        var vectors = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 8).Select(_ => (float)(rng.NextDouble() - 0.3)).ToArray()).ToArray();
        var labels = Enumerable.Range(0, 40).Select(i => i % 3).ToArray();
        var names = Enumerable.Range(0, 40).Select(i => $"e{i}").ToArray();
        float[][] refs = [[1, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 1]];
        var t = ValueTaxonomy.Build(names, vectors, labels, ["A", "B"], refs);
        foreach (var c in t.Clusters)
        {
            double Mean(int i) => c.Members.Where(j => j != i).Average(j => Embedder.Cosine(vectors[i], vectors[j]));
            var best = c.Members.MaxBy(Mean);
            Assert.Equal($"e{best}", c.Medoid);
            Assert.Equal(Mean(best), c.MedoidMeanCosine, 5);
            var centroid = new float[8];
            foreach (var j in c.Members) for (var k = 0; k < 8; k++) centroid[k] += Embedder.Normalize(vectors[j])[k];
            var expected = Embedder.Cosine(centroid, refs[0]) >= Embedder.Cosine(centroid, refs[1]) ? "A" : "B";
            Assert.Equal(expected, c.NearestPaperValue);
        }
    }

    [Fact]
    public void ExportsTsvAndJson()
    {
        string[] expressions = ["a\tb", "c", "d"];
        float[][] vectors = [[1, 0], [0.9f, 0.1f], [0, 1]];
        var t = ValueTaxonomy.Build(expressions, vectors, [0, 0, 1], ["X", "Y", "Z"], [[1, 0], [0, 1], [-1, 0]]);
        var tsv = t.ToTsv().TrimEnd('\n').Split('\n');
        Assert.Equal(3, tsv.Length);
        Assert.All(tsv, line => Assert.Equal(8, line.Split('\t').Length));
        Assert.StartsWith("0\t2\t", tsv[1]);
        Assert.EndsWith("\tX\t0.9985", tsv[1]); // (1, 0) + (0.9, 0.1)/‖·‖ against (1, 0)

        using var json = JsonDocument.Parse(t.ToJson());
        Assert.Equal(2, json.RootElement.GetProperty("coverage").GetInt32());
        Assert.Equal(["X", "Y"], json.RootElement.GetProperty("coveredValues").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([2], json.RootElement.GetProperty("taxonomy")[1].GetProperty("members").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains("2 clusters of 3 expressions; covers 2 of 3", t.ToString());

        var path = Path.Combine(ValuesFixtures.TempFolder(), "t.tsv");
        t.SaveTsv(path);
        Assert.Equal(t.ToTsv(), File.ReadAllText(path));
    }

    [Fact]
    public void MismatchedInputsAreRejected()
    {
        float[][] v = [[1, 0], [0, 1]];
        Assert.Throws<ArgumentException>(() => ValueTaxonomy.Build(["a", "b"], v, [0], ["X"], [[1, 0]]));
        Assert.Contains("Embedding 1", Assert.Throws<ArgumentException>(() => ValueTaxonomy.Build(["a", "b"], [[1, 0], [0, 0]], [0, 1], ["X"], [[1, 0]])).Message);
        Assert.Throws<ArgumentException>(() => ValueTaxonomy.Build(["a", "b"], v, [0, 1], ["X"], [[1, 0, 0]]));
    }
}

public class ClusterAgreementTests
{
    // scikit-learn's documented examples of adjusted_rand_score.
    [Theory]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 2 }, new[] { 0, 0, 1, 1 }, 0.5714285714285714)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 0.5714285714285714)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, -0.5)]
    public void AdjustedRandIndexMatchesKnownValues(int[] a, int[] b, double expected) =>
        Assert.Equal(expected, ClusterAgreement.AdjustedRandIndex(a, b), 12);

    [Fact]
    public void AdjustedRandIndexIsSymmetricNearZeroForIndependentLabelsAndChecksLengths()
    {
        var rng = new Random(11);
        var a = Enumerable.Range(0, 2000).Select(_ => rng.Next(10)).ToArray();
        var b = Enumerable.Range(0, 2000).Select(_ => rng.Next(10)).ToArray();
        Assert.InRange(ClusterAgreement.AdjustedRandIndex(a, b), -0.02, 0.02);
        Assert.Equal(ClusterAgreement.AdjustedRandIndex(a, b), ClusterAgreement.AdjustedRandIndex(b, a), 12);
        Assert.Equal(1.0, ClusterAgreement.AdjustedRandIndex(a, a.Select(x => 100 - x).ToArray()), 12);
        Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([0, 1], [0]));
    }

    [Fact]
    public void TheContingencyTableGivesTheSameIndexAsTheLabels()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 300).Select(_ => rng.Next(4)).ToArray();
        var b = a.Select(x => rng.NextDouble() < 0.7 ? x : rng.Next(6)).ToArray();
        var table = Enumerable.Range(0, 5).Select(i => Enumerable.Range(0, 6).Select(j => a.Zip(b).Count(p => p.First == i && p.Second == j)).ToArray()).ToArray();
        Assert.InRange(ClusterAgreement.AdjustedRandIndex(a, b), 0.3, 0.9);
        Assert.Equal(ClusterAgreement.AdjustedRandIndex(a, b), ClusterAgreement.AdjustedRandIndex(table), 12);   // row 4 is all zero
        Assert.Equal(ClusterAgreement.AdjustedRandIndex(a, b), MoralGap.Profiles.TopicAgreement.AdjustedRandIndex(table), 12);
        Assert.Equal(0.5714285714285714, ClusterAgreement.AdjustedRandIndex([[2, 0], [0, 1], [0, 1]]), 12);   // sklearn: [0,0,1,2] vs [0,0,1,1]
        Assert.Throws<ArgumentException>(() => ClusterAgreement.AdjustedRandIndex([[1, 2], [3]]));
    }
}

public class ProjectionTests
{
    [Fact]
    public void PcaRecoversAPlantedPlane()
    {
        // Points on a plane spanned by two orthonormal directions of R^6, spread 3:1, plus a tiny third direction.
        var rng = new Random(3);
        var u = new[] { 1.0, 1, 0, 0, 0, 0 }.Select(x => x / Math.Sqrt(2)).ToArray();
        var w = new[] { 0.0, 0, 1, 0, 0, 0 };
        var z = new[] { 0.0, 0, 0, 0, 0, 1 };
        var coords = Enumerable.Range(0, 300).Select(_ => (a: 3 * Normal(rng), b: Normal(rng), c: 0.01 * Normal(rng))).ToArray();
        // Decorrelate b from a in the sample, so the sample's principal axes are exactly u and w (whatever the draws);
        // otherwise sampling covariance tilts them by a few hundredths of a radian, seed-dependently.
        var (am, bm) = (coords.Average(p => p.a), coords.Average(p => p.b));
        var slope = coords.Sum(p => (p.a - am) * (p.b - bm)) / coords.Sum(p => (p.a - am) * (p.a - am));
        coords = coords.Select(p => (p.a, b: p.b - slope * (p.a - am), p.c)).ToArray();
        var vectors = coords.Select(p => Enumerable.Range(0, 6).Select(k => (float)(5 + p.a * u[k] + p.b * w[k] + p.c * z[k])).ToArray()).ToArray();

        var pca = Projection.Pca(vectors);
        Assert.Equal(2, pca.ExplainedVarianceRatio.Length);
        Assert.InRange(pca.ExplainedVarianceRatio[0], 0.85, 0.95); // 9 / (9 + 1 + 1e-4)
        Assert.InRange(pca.ExplainedVarianceRatio[0] + pca.ExplainedVarianceRatio[1], 0.9999, 1.0000001);
        var ma = coords.Average(p => p.a);
        var mb = coords.Average(p => p.b);
        // Up to sign, the first score is the centred a, the second the centred b.
        var s0 = Math.Sign(pca.Coordinates[0][0] * (coords[0].a - ma));
        var s1 = Math.Sign(pca.Coordinates[0][1] * (coords[0].b - mb));
        for (var i = 0; i < coords.Length; i++)
        {
            Assert.InRange(s0 * pca.Coordinates[i][0] - (coords[i].a - ma), -0.15, 0.15);
            Assert.InRange(s1 * pca.Coordinates[i][1] - (coords[i].b - mb), -0.15, 0.15);
        }
        // Sign convention: the largest-magnitude score of each component is positive.
        for (var c = 0; c < 2; c++)
            Assert.True(pca.Coordinates.MaxBy(p => Math.Abs(p[c]))![c] > 0);
    }

    [Fact]
    public void PcaChecksItsInput()
    {
        Assert.Throws<ArgumentException>(() => Projection.Pca([[1f, 2f]]));
        Assert.Throws<ArgumentException>(() => Projection.Pca([[1f, 2f], [1f]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Pca([[1f, 2f], [3f, 4f]], components: 3));
    }

    private static double Normal(Random rng) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
}
