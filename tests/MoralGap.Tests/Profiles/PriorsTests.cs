using MoralGap.Data;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class PriorsTests
{
    private static readonly int V = PaperValues.Count;

    private static int[][] Counts()
    {
        // 3 dilemmas: two "family" dilemmas mention Family/Loyalty, one "money" dilemma mentions Justice.
        var names = new List<IEnumerable<string>>
        {
            new[] { "Family", "Family", "Loyalty" },
            new[] { "family", "Loyalty ", "Loyalty" },   // case and whitespace tolerated
            new[] { "Justice", "Justice", "Justice", "Family" },
        };
        return Priors.CountMatrix(names);
    }

    [Fact]
    public void CountMatrix_CountsMentionsPerPaperValue()
    {
        var c = Counts();
        Assert.Equal(3, c.Length);
        Assert.All(c, r => Assert.Equal(V, r.Length));
        Assert.Equal(2, c[0][PaperValues.IndexOf("Family")]);
        Assert.Equal(2, c[1][PaperValues.IndexOf("Loyalty")]);
        Assert.Equal(3, c[2][PaperValues.IndexOf("Justice")]);
        Assert.Equal(10, c.Sum(r => r.Sum()));
    }

    [Fact]
    public void CountMatrix_UnknownValue_NamesDilemmaAndValue()
    {
        var ex = Assert.Throws<ArgumentException>(() => Priors.CountMatrix([new[] { "Care" }, new[] { "Kindness" }]));
        Assert.Contains("Dilemma 1", ex.Message);
        Assert.Contains("Kindness", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Priors.CountMatrix(["a"], [("b", "Care")]));
        Assert.Contains("'b'", ex2.Message);
    }

    [Fact]
    public void Global_IsAdditivelySmoothedFrequency()
    {
        var g = Priors.Global(Counts(), smoothing: 0.5);
        var total = 10 + 0.5 * V;
        Assert.Equal((4 + 0.5) / total, g.Mean[PaperValues.IndexOf("Family")], 12);
        Assert.Equal((3 + 0.5) / total, g.Mean[PaperValues.IndexOf("Loyalty")], 12);
        Assert.Equal(0.5 / total, g.Mean[PaperValues.IndexOf("Care")], 12);
        Assert.Equal(1.0, g.Mean.Sum(), 12);
        Assert.Equal(10, g.Mentions);
        Assert.Equal("Family", g.Top(1)[0].Value);
        var raw = Priors.Global(Counts(), smoothing: 0);
        Assert.Equal(0.4, raw.Mean[PaperValues.IndexOf("Family")], 12);
    }

    [Fact]
    public void ByTopic_UsesTopicFrequencies_AndShrinkageMovesTowardGlobal()
    {
        var c = Counts();
        string[] topics = ["family", "family", "money"];
        var g0 = Priors.Global(c, 1);
        var t0 = Priors.ByTopic(c, topics, smoothing: 1, shrinkage: 0);
        var t1 = Priors.ByTopic(c, topics, smoothing: 1, shrinkage: 1);
        var tHalf = Priors.ByTopic(c, topics, smoothing: 1, shrinkage: 0.5);
        var fam = PaperValues.IndexOf("Family");
        Assert.Equal(2, t0["family"].Dilemmas);
        Assert.Equal((3 + 1.0) / (6 + V), t0["family"].Mean[fam], 12);
        Assert.Equal("Justice", t0["money"].Top(1)[0].Value);
        Assert.Equal(g0.Mean, t1["money"].Mean);
        Assert.Equal(0.5 * t0["family"].Mean[fam] + 0.5 * g0.Mean[fam], tHalf["family"].Mean[fam], 12);
        Assert.All(tHalf.Values, p => Assert.Equal(1.0, p.Mean.Sum(), 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => Priors.ByTopic(c, topics, shrinkage: 1.5));
    }

    [Fact]
    public void DegenerateInput_GivesClearErrors()
    {
        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => Priors.Global([])).Message);
        int[][] zero = [new int[V], new int[V]];
        Assert.Contains("undefined", Assert.Throws<ArgumentException>(() => Priors.Global(zero, smoothing: 0)).Message);
        Assert.Equal(1.0 / V, Priors.Global(zero, smoothing: 1).Mean[0], 12);
        int[][] oneZero = [Counts()[0], new int[V]];
        Assert.Contains("[1] is all zero", Assert.Throws<ArgumentException>(() => Priors.Proportions(oneZero)).Message);
        Assert.Equal([0], Priors.RowsWithMentions(oneZero));
        int[][] ragged = [new int[V], new int[3]];
        Assert.Contains("[1] has 3 columns", Assert.Throws<ArgumentException>(() => Priors.Global(ragged)).Message);
        Assert.Throws<ArgumentException>(() => Priors.ByTopic(Counts(), ["family"]));
    }

    [Fact]
    public void FitConcentration_RecoversAPlantedPrecisionPerTopic()
    {
        // Two topics with planted Dirichlet-multinomial counts: α₀ = 59·0.5 = 29.5 and 59·0.1 = 5.9 (30 mentions a dilemma).
        var totals = Enumerable.Repeat(30, 300).ToArray();
        var a = DirichletFit.SampleCounts(Enumerable.Repeat(0.5, V).ToArray(), totals, seed: 1);
        var b = DirichletFit.SampleCounts(Enumerable.Repeat(0.1, V).ToArray(), totals, seed: 2);
        var fits = Priors.FitConcentration(a.Concat(b).ToArray(), [.. Enumerable.Repeat("a", 300), .. Enumerable.Repeat("b", 300)]);
        Assert.InRange(fits["a"].Precision, 29.5 * 0.8, 29.5 * 1.2);
        Assert.InRange(fits["b"].Precision, 5.9 * 0.8, 5.9 * 1.2);
        Assert.False(fits["a"].IsUnbounded);
        // One dilemma only: no fit, a reason instead of an exception.
        var single = Priors.FitConcentration([a[0]], ["x"]);
        Assert.NotNull(single["x"].Error);
        Assert.True(double.IsNaN(single["x"].Precision));
    }

    [Fact]
    public void Proportions_RowsSumToOne()
    {
        var p = Priors.Proportions(Counts());
        Assert.All(p, r => Assert.Equal(1.0, r.Sum(), 12));
        Assert.Equal(0.75, p[2][PaperValues.IndexOf("Justice")], 12);
    }

    [Fact]
    public void ScrambledPrior_IsAPermutationOfThePrior_DependingOnTheSeed()
    {
        var g = Priors.Global(Counts(), 1).Mean;
        var s = Priors.Scramble(g, seed: 3);
        var pi = Priors.Permutation(V, 3);
        Assert.Equal(Enumerable.Range(0, V), pi.Order());
        Assert.NotEqual(Enumerable.Range(0, V), pi);
        for (var v = 0; v < V; v++) Assert.Equal(g[v], s[pi[v]]);
        Assert.Equal(g.Order(), s.Order());
        Assert.NotEqual(g, s);
        Assert.Equal(s, Priors.Scramble(g, seed: 3));
        Assert.NotEqual(s, Priors.Scramble(g, seed: 4));
    }

    [Fact]
    public void Out_of_fold_priors_never_include_a_dilemmas_own_rationales()
    {
        // 20 dilemmas in 2 topics; dilemma d alone names value d (a marker) plus a shared value 58.
        const int n = 20;
        var counts = Enumerable.Range(0, n).Select(d => { var r = new int[PaperValues.Count]; r[d] = 3; r[58] = 1; return r; }).ToArray();
        var topics = Enumerable.Range(0, n).Select(d => d % 2 == 0 ? "even" : "odd").ToArray();
        var ids = Enumerable.Range(0, n).Select(d => $"d{d}").ToArray();
        var folded = Priors.OutOfFold(counts, topics, folds: 5, seed: 3, smoothing: 0);
        Assert.False(folded.InSample);
        var priorFor = folded.PriorFor(ids);
        for (var d = 0; d < n; d++)
        {
            Assert.DoesNotContain(d, folded.TrainingRows(d));
            Assert.Equal(0.0, folded.For(d)[d]);                                  // its own marker value: never seen
            Assert.Equal(0.0, folded.Global(folded.FoldOf[d]).Mean[d]);
            Assert.Equal(0.0, priorFor(new Dilemma(ids[d], "", "", "test", topics[d]))[d]);
            Assert.True(folded.For(d)[58] > 0);                                   // built from the others' rationales
        }
        // Every other dilemma outside d's fold contributes: the same-topic markers outside the fold are in G_topic.
        var d0 = folded.FoldOf[0];
        for (var e = 2; e < n; e += 2) Assert.Equal(folded.FoldOf[e] != d0, folded.For(0)[e] > 0);

        var inSample = Priors.OutOfFold(counts, topics, folds: 1, smoothing: 0);
        Assert.True(inSample.InSample);
        Assert.Contains("in-sample", inSample.ToString());
        for (var d = 0; d < n; d++) Assert.True(inSample.For(d)[d] > 0);       // Folds = 1: its own rationales are in
        Assert.Equal(Priors.ByTopic(counts, topics, 0)["even"].Mean, inSample.For(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Priors.OutOfFold(counts, topics, folds: 0));
    }
}
