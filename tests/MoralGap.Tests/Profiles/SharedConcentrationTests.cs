using MoralGap.Data;
using MoralGap.Profiles;
using Xunit.Abstractions;

namespace MoralGap.Tests.Profiles;

public class SharedConcentrationTests(ITestOutputHelper output)
{
    [Fact]
    public void The_counts_log_likelihood_is_the_Polya_probability()
    {
        // One mention of value 0 under α = (1, 1): probability α₀/α... = 1/2, so ln P = −ln 2.
        Assert.Equal(-Math.Log(2), DirichletFit.CountsLogLikelihood([[1, 0]], [1.0, 1.0]), 12);
        // Two mentions of value 0 under α = (1, 2): (1/3)·(2/4) = 1/6.
        Assert.Equal(Math.Log(1.0 / 6), DirichletFit.CountsLogLikelihood([[2, 0]], [1.0, 2.0]), 12);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_planted_concentration_is_recovered_within_10_percent_from_data_drawn_like_the_sample(int seed)
    {
        // The first value each rationale names is one draw from its dilemma's profile θ_d ~ Dirichlet(α_topic): per
        // dilemma, Multinomial(32, θ_d) — a Dirichlet-multinomial, fitted with one α₀ shared by the 8 topics.
        var sample = SampleGenerator.Generate(seed);
        var ids = sample.Dataset.Dilemmas.Select(d => d.Id).ToArray();
        var counts = Priors.CountMatrix(ids, sample.Truth.Judgments.Select(j => (j.DilemmaId, j.Values[0])));
        var topics = sample.Truth.Topics.Select(t => t.Name).ToArray();
        var topicOf = sample.Dataset.Dilemmas.Select(d => d.Topic).ToArray();
        var groups = topics.Select(t => Enumerable.Range(0, ids.Length).Where(d => topicOf[d] == t).Select(d => counts[d]).ToArray()).ToArray();
        var fit = DirichletFit.SharedPrecision(groups, jackknife: true);
        var planted = fit.Groups.Select((g, i) => fit.Columns[i].Sum(c => sample.Truth.Topics[g].Alpha[c])).Average();
        output.WriteLine($"seed {seed}: {fit}; planted α₀ over the same values {planted:0.00}; error {(fit.Jackknife - planted) / planted:P1}");
        Assert.False(fit.IsUnbounded);
        Assert.Equal(120, fit.Rows);
        Assert.InRange((fit.Jackknife - planted) / planted, -0.10, 0.10);
    }

    [Fact]
    public void Sets_of_distinct_values_each_from_its_own_theta_carry_no_information_on_the_precision()
    {
        // One θ per person, 1–3 distinct values drawn from it: P(v1, …, vm) = Π α_vi / (α₀ − Σ earlier α) is unchanged
        // when α is scaled, so the likelihood cannot prefer any α₀ and the fit runs to the bound.
        var alpha = Enumerable.Range(0, 8).Select(i => 0.5 + i * 0.4).ToArray();
        var thetas = DirichletFit.Sample(alpha, 2000, seed: 4);
        var random = new Random(5);
        var rows = thetas.Select(theta =>
        {
            var row = new int[alpha.Length];
            var w = (double[])theta.Clone();
            for (var k = 1 + random.Next(3); k > 0; k--)
            {
                var u = random.NextDouble() * w.Sum();
                var v = 0;
                while (v < w.Length - 1 && (u -= w[v]) >= 0) v++;
                row[v] = 1; w[v] = 0;
            }
            return row;
        }).ToArray();
        var fit = DirichletFit.SharedPrecision([rows]);
        output.WriteLine(fit.ToString());
        Assert.True(fit.IsUnbounded, $"expected no finite α₀, got {fit}");
    }
}
