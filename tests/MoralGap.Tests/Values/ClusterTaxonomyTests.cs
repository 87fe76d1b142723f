using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class ClusterTaxonomyTests
{
    private static readonly string[] Privacy =
        ["reading her private diary", "going through his phone without asking", "snooping in my drawers", "opening someone else's mail", "spying on their messages"];
    private static readonly string[] Safety =
        ["driving drunk with the kids in the car", "leaving a toddler alone near the pool", "a loaded gun left on the table", "letting him drive after drinking", "the child could have drowned"];

    [Fact]
    public void ExpressionsFallIntoTheirClustersAndNewOnesJoinTheNearest()
    {
        var taxonomy = ClusterTaxonomy.Build([.. Privacy, .. Safety], clusterCount: 2);
        Assert.Equal(2, taxonomy.Names.Count);
        Assert.Equal(2, taxonomy.Names.Distinct().Count());
        var found = taxonomy.Relabel([
            [new ValueExpression("he read my texts behind my back", null, "Integrity", 0.5)],
            [new ValueExpression("the baby was left alone in the bath", null, null, null), new ValueExpression("searching her bag", null, null, null)],
        ]);
        var privacyName = found[0][0].Value!;
        Assert.Equal(privacyName, found[1][1].Value);
        Assert.NotEqual(privacyName, found[1][0].Value);
        Assert.Equal("he read my texts behind my back", found[0][0].Text);
        // The planted values map the same way: by their names' embeddings.
        var map = taxonomy.MapValues(["Privacy", "Safety"]);
        Assert.Equal(privacyName, map["Privacy"]);
        Assert.Equal(found[1][0].Value, map["Safety"]);
    }

    [Fact]
    public void ClustersNearestToOneValueAreNumberedSoEachStaysItsOwnValue()
    {
        var taxonomy = ClusterTaxonomy.Build([.. Privacy, .. Safety], clusterCount: 10);
        Assert.Equal(10, taxonomy.Names.Count);
        Assert.Equal(10, taxonomy.Names.Distinct().Count());
        Assert.Contains(taxonomy.Names, n => n.EndsWith(" #2", StringComparison.Ordinal));
        Assert.All(taxonomy.Names, n => Assert.Contains(n.Split(" #")[0], MoralGap.Data.PaperValues.Names));
    }

    [Theory]
    [InlineData("Integrity #2", "Integrity")]
    [InlineData("Integrity #12", "Integrity")]
    [InlineData("Respect for Time", "Respect for Time")]
    [InlineData("Care #x", "Care #x")]
    public void AClusterCountsAsThePaperValueItIsNamedAfter(string cluster, string value) =>
        Assert.Equal(value, ClusterTaxonomy.PaperValueOf(cluster));

    [Fact]
    public void AtMostMaxClusteredExpressionsAreClusteredWithASeed()
    {
        var many = Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? Privacy : Safety)[i % 5] + $" ({i})").ToArray();
        var a = ClusterTaxonomy.Build(many, 3, maxClustered: 12, seed: 4);
        var b = ClusterTaxonomy.Build(many, 3, maxClustered: 12, seed: 4);
        Assert.Equal(12, a.Clustered);
        Assert.Equal(a.Names, b.Names);
        Assert.Throws<ArgumentException>(() => ClusterTaxonomy.Build(["one"], 2));
    }
}
