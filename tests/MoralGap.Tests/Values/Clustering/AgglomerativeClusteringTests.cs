using System.Text.Json;
using MoralGap.Values.Clustering;

namespace MoralGap.Tests.Values.Clustering;

public class AgglomerativeClusteringTests
{
    private static double[][] RandomPoints(int n, int d, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, d).Select(_ => rng.NextDouble() * 2 - 1).ToArray()).ToArray();
    }

    private static void AssertSameMerges(IReadOnlyList<Merge> expected, IReadOnlyList<Merge> actual, double tol, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int k = 0; k < expected.Count; k++)
        {
            var e = expected[k]; var a = actual[k];
            Assert.True(e.Cluster1 == a.Cluster1 && e.Cluster2 == a.Cluster2 && e.Count == a.Count
                        && Math.Abs(e.Distance - a.Distance) <= tol * Math.Max(1, Math.Abs(e.Distance)),
                $"{what}: merge {k} expected {e}, got {a}");
        }
    }

    public static TheoryData<LinkageMethod, DistanceMetric> AllLinkages => new()
    {
        { LinkageMethod.Average, DistanceMetric.Cosine }, { LinkageMethod.Complete, DistanceMetric.Cosine },
        { LinkageMethod.Single, DistanceMetric.Cosine }, { LinkageMethod.Weighted, DistanceMetric.Cosine },
        { LinkageMethod.Average, DistanceMetric.Euclidean }, { LinkageMethod.Complete, DistanceMetric.Euclidean },
        { LinkageMethod.Single, DistanceMetric.Euclidean }, { LinkageMethod.Weighted, DistanceMetric.Euclidean },
        { LinkageMethod.Ward, DistanceMetric.Euclidean },
    };

    [Theory]
    [MemberData(nameof(AllLinkages))]
    public void Matches_naive_cubic_reference_on_random_data(LinkageMethod method, DistanceMetric metric)
    {
        var x = RandomPoints(200, 8, seed: 7 + (int)method);
        var expected = NaiveLinkage.Run(x, method, metric);
        var actual = AgglomerativeClustering.Linkage(x, method, metric);
        AssertSameMerges(expected, actual.Merges, 1e-9, $"{method}/{metric}");
    }

    [Fact]
    public void Float_and_double_rows_give_the_same_tree()
    {
        var x = RandomPoints(50, 16, 3).Select(r => r.Select(v => (float)v).ToArray()).ToArray();
        var xd = x.Select(r => r.Select(v => (double)v).ToArray()).ToArray();
        AssertSameMerges(AgglomerativeClustering.Linkage(xd).Merges, AgglomerativeClustering.Linkage(x).Merges, 0, "float vs double");
    }

    [Fact]
    public void Condensed_distances_match_direct_formulas()
    {
        var x = RandomPoints(37, 13, 11); // d not a multiple of 4, n not a multiple of the tile
        var cos = PairwiseDistances.Condensed(x, DistanceMetric.Cosine);
        var euc = PairwiseDistances.Condensed(x, DistanceMetric.Euclidean);
        for (int i = 0; i < x.Length; i++)
            for (int j = i + 1; j < x.Length; j++)
            {
                double dot = 0, nu = 0, nv = 0, sq = 0;
                for (int k = 0; k < 13; k++) { dot += x[i][k] * x[j][k]; nu += x[i][k] * x[i][k]; nv += x[j][k] * x[j][k]; sq += (x[i][k] - x[j][k]) * (x[i][k] - x[j][k]); }
                long t = PairwiseDistances.CondensedIndex(x.Length, i, j);
                Assert.Equal(1 - dot / (Math.Sqrt(nu) * Math.Sqrt(nv)), cos[t], 1e-12);
                Assert.Equal(Math.Sqrt(sq), euc[t], 1e-12);
            }
    }

    [Fact]
    public void Bad_input_is_rejected_with_a_reason()
    {
        var x = RandomPoints(5, 3, 1);
        Assert.Contains("Ward", Assert.Throws<ArgumentException>(() => AgglomerativeClustering.Linkage(x, LinkageMethod.Ward, DistanceMetric.Cosine)).Message);
        x[2][1] = double.NaN;
        Assert.Contains("Row 2", Assert.Throws<ArgumentException>(() => AgglomerativeClustering.Linkage(x)).Message);
        x[2] = [0, 0, 0];
        Assert.Contains("zero vector", Assert.Throws<ArgumentException>(() => AgglomerativeClustering.Linkage(x)).Message);
        Assert.Throws<ArgumentException>(() => AgglomerativeClustering.FromCondensed(new double[4]));
        Assert.Throws<ArgumentException>(() => AgglomerativeClustering.FromCondensed([1, -1, 2]));
    }

    [Fact]
    public void Cuts_give_requested_cluster_counts_with_deterministic_labels()
    {
        var x = RandomPoints(120, 4, 5);
        var z = AgglomerativeClustering.Linkage(x, LinkageMethod.Average, DistanceMetric.Euclidean);
        for (int k = 1; k <= 10; k++)
        {
            var labels = z.CutByClusterCount(k);
            Assert.Equal(k, labels.Distinct().Count());
            Assert.Equal(Enumerable.Range(0, k), labels.Distinct().Order());
            Assert.Equal(0, labels[0]);
            Assert.Equal(labels, z.CutByClusterCount(k));
        }
        Assert.Equal(x.Length, z.CutByDistance(-1).Distinct().Count());
        Assert.Single(z.CutByDistance(double.MaxValue).Distinct());
    }
}

/// <summary>Against scipy 1.10.1's <c>linkage</c> and <c>fcluster</c> (Fixtures/linkage-scipy.json, made by make_linkage_fixture.py).</summary>
public class LinkageScipyTests
{
    private static readonly JsonDocument Fixture = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(TestPaths.RepoRoot, "tests", "MoralGap.Tests", "Values", "Fixtures", "linkage-scipy.json")));

    public static TheoryData<int> CaseIndices
    {
        get
        {
            var data = new TheoryData<int>();
            for (int i = 0; i < Fixture.RootElement.GetProperty("cases").GetArrayLength(); i++) data.Add(i);
            return data;
        }
    }

    private static int[] FirstAppearance(int[] labels)
    {
        var map = new Dictionary<int, int>();
        return labels.Select(l => map.TryGetValue(l, out var v) ? v : map[l] = map.Count).ToArray();
    }

    [Theory]
    [MemberData(nameof(CaseIndices))]
    public void Same_merges_and_flat_clusters_as_scipy(int index)
    {
        var c = Fixture.RootElement.GetProperty("cases")[index];
        string data = c.GetProperty("data").GetString()!, metric = c.GetProperty("metric").GetString()!, method = c.GetProperty("method").GetString()!;
        var x = Fixture.RootElement.GetProperty("data").GetProperty(data).EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        var z = AgglomerativeClustering.Linkage(x, Enum.Parse<LinkageMethod>(method, true), Enum.Parse<DistanceMetric>(metric, true));
        var expected = c.GetProperty("Z").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        string what = $"{data}/{metric}/{method}";
        Assert.Equal(expected.Length, z.Merges.Count);
        for (int k = 0; k < expected.Length; k++)
        {
            var m = z.Merges[k];
            Assert.True(m.Cluster1 == (int)expected[k][0] && m.Cluster2 == (int)expected[k][1] && m.Count == (int)expected[k][3]
                        && Math.Abs(m.Distance - expected[k][2]) <= 1e-12 * Math.Max(1, expected[k][2]),
                $"{what}: row {k} scipy [{string.Join(", ", expected[k])}], ours {m}");
        }
        foreach (var kv in c.GetProperty("maxclust").EnumerateObject())
        {
            var expectedLabels = FirstAppearance(kv.Value.EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.True(expectedLabels.SequenceEqual(z.CutByClusterCount(int.Parse(kv.Name))), $"{what}: maxclust {kv.Name}");
        }
        foreach (var cut in c.GetProperty("distance").EnumerateArray())
        {
            var expectedLabels = FirstAppearance(cut.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            Assert.True(expectedLabels.SequenceEqual(z.CutByDistance(cut.GetProperty("t").GetDouble())), $"{what}: distance cut {cut.GetProperty("t")}");
        }
    }
}
