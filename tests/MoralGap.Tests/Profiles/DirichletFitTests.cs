using MathNet.Numerics;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class DirichletFitTests
{
    [Theory]
    // scipy.special.polygamma(1, x), scipy 1.10.1
    [InlineData(1e-3, 1000001.6425331959)]
    [InlineData(0.1, 101.43329915079275)]
    [InlineData(0.5, 4.93480220054468)]
    [InlineData(1, 1.6449340668482266)]
    [InlineData(1.5, 0.9348022005446793)]
    [InlineData(2, 0.6449340668482266)]
    [InlineData(3.7, 0.31003785767003833)]
    [InlineData(6, 0.18132295573711532)]
    [InlineData(10, 0.10516633568168576)]
    [InlineData(25.5, 0.03999466964956292)]
    [InlineData(100, 0.010050166663333573)]
    [InlineData(1e4, 0.00010000500016666666)]
    [InlineData(-0.5, 8.934802200544679)]
    [InlineData(-2.3, 14.725912160961292)]
    public void TriGamma_known_values(double x, double expected)
    {
        Assert.True(Math.Abs(DirichletFit.TriGamma(x) - expected) <= 1e-13 * expected, $"ψ′({x}) = {DirichletFit.TriGamma(x):R}, expected {expected:R}");
    }

    [Fact]
    public void TriGamma_is_the_derivative_of_MathNet_DiGamma_and_has_poles()
    {
        foreach (var x in new[] { 0.3, 1.7, 8.0, 42.0 })
        {
            double h = 1e-5 * x;
            double numeric = (SpecialFunctions.DiGamma(x + h) - SpecialFunctions.DiGamma(x - h)) / (2 * h);
            Assert.Equal(numeric, DirichletFit.TriGamma(x), 1e-6 * numeric);
        }
        Assert.Equal(double.PositiveInfinity, DirichletFit.TriGamma(0));
        Assert.Equal(double.PositiveInfinity, DirichletFit.TriGamma(-3));
    }

    private static double RelativeL1(double[] estimate, double[] truth) => estimate.Zip(truth, (a, b) => Math.Abs(a - b)).Sum() / truth.Sum();

    /// <summary>59 values, Zipf-like mean, precision 12: a plausible human value prior.</summary>
    private static double[] PaperScaleAlpha() { var w = Enumerable.Range(1, 59).Select(r => 1 / Math.Pow(r, 0.9)).ToArray(); double s = w.Sum(); return w.Select(v => 12 * v / s).ToArray(); }

    [Fact]
    public void Counts_fit_recovers_planted_alpha_at_paper_scale()
    {
        var alpha = PaperScaleAlpha();
        // 1,618 dilemmas × ~32 rationales × 1–3 value mentions each.
        var rng = new Random(7);
        var totals = Enumerable.Range(0, 1618).Select(_ => Enumerable.Range(0, 32).Sum(_ => rng.Next(1, 4))).ToArray();
        var counts = DirichletFit.SampleCounts(alpha, totals, seed: 11);
        var fit = DirichletFit.FromCounts(counts);
        Assert.True(fit.Converged, fit.ToString());
        double err = RelativeL1(fit.Alpha, alpha);
        Assert.True(err < 0.10, $"relative L1 error {err:P2}; {fit}");
        Assert.InRange(fit.Precision, 12 * 0.9, 12 * 1.1);
    }

    [Fact]
    public void Proportions_fit_recovers_planted_alpha()
    {
        double[] alpha = [0.7, 1.5, 3.0, 0.9, 5.0, 2.2, 1.1, 0.8];
        var rows = DirichletFit.Sample(alpha, 3000, seed: 3);
        var fit = DirichletFit.FromProportions(rows);
        Assert.True(fit.Converged, fit.ToString());
        Assert.True(RelativeL1(fit.Alpha, alpha) < 0.05, $"{RelativeL1(fit.Alpha, alpha):P2}; {fit}");
        // The fit is a maximum of the log-likelihood (MathNet's Dirichlet density): nudging α lowers it.
        double LogLik(double[] a) { var dist = new MathNet.Numerics.Distributions.Dirichlet(a); return rows.Sum(r => dist.DensityLn(r)); }
        double best = LogLik(fit.Alpha);
        Assert.Equal(best, fit.LogLikelihood, 1e-8 * Math.Abs(best));
        foreach (var f in new[] { 0.98, 1.02 })
            Assert.True(LogLik(fit.Alpha.Select(a => a * f).ToArray()) < best);
    }

    [Fact]
    public void Smoothing_handles_zero_proportions()
    {
        var rows = DirichletFit.Sample([0.5, 1, 2], 500, seed: 1);
        rows[0] = [0, 0.4, 0.6];
        Assert.Contains("smoothing", Assert.Throws<ArgumentException>(() => DirichletFit.FromProportions(rows)).Message);
        var fit = DirichletFit.FromProportions(rows, smoothing: 1e-4);
        Assert.True(fit.Converged);
        Assert.All(fit.Alpha, a => Assert.True(a > 0));
    }

    [Fact]
    public void Degenerate_input_is_rejected_with_a_reason()
    {
        Assert.Contains("Value 1 is zero in every row", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[3, 0, 1], [2, 0, 5]])).Message);
        Assert.Contains("Value 2 is zero in every row", Assert.Throws<ArgumentException>(() => DirichletFit.FromProportions([[0.5, 0.5, 0], [0.2, 0.8, 0]])).Message);
        Assert.Contains("at least 2 rows", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[3, 1]])).Message);
        Assert.Contains("at least 2 rows", Assert.Throws<ArgumentException>(() => DirichletFit.FromProportions([[0.3, 0.7]])).Message);
        Assert.Contains("Row 1 has no counts", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[3, 1], [0, 0], [1, 1]])).Message);
        Assert.Contains("all zeros", Assert.Throws<ArgumentException>(() => DirichletFit.FromProportions([[0.3, 0.7], [0, 0]])).Message);
        Assert.Contains("Row 1, value 0 is NaN", Assert.Throws<ArgumentException>(() => DirichletFit.FromProportions([[0.3, 0.7], [double.NaN, 0.5]])).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[3, 1], [-1, 2]])).Message);
        Assert.Contains("single count", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[1, 0], [0, 1]])).Message);
        Assert.Contains("Row 1 has 3 values", Assert.Throws<ArgumentException>(() => DirichletFit.FromCounts([[3, 1], [1, 1, 1]])).Message);
    }

    [Fact]
    public void Iteration_limit_is_reported()
    {
        var counts = DirichletFit.SampleCounts([1, 2, 3, 4], Enumerable.Repeat(20, 200).ToArray(), seed: 2);
        var fit = DirichletFit.FromCounts(counts, maxIterations: 1);
        Assert.False(fit.Converged);
        Assert.Equal(1, fit.Iterations);
        Assert.Contains("NOT converged", fit.ToString());
    }

    [Fact]
    public void Sampling_is_seeded()
    {
        double[] alpha = [0.5, 2, 3];
        Assert.Equal(DirichletFit.Sample(alpha, 4), DirichletFit.Sample(alpha, 4));
        Assert.NotEqual(DirichletFit.Sample(alpha, 4), DirichletFit.Sample(alpha, 5));
        Assert.Equal(1.0, DirichletFit.Sample(alpha, 4).Sum(), 12);
        var c = DirichletFit.SampleCounts(alpha, [10, 0, 7], seed: 1);
        Assert.Equal([10, 0, 7], c.Select(r => r.Sum()));
        Assert.Throws<ArgumentException>(() => DirichletFit.Sample([1, 0], 1));
    }
}
