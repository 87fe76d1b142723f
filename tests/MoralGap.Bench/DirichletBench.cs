using System.Diagnostics;
using MoralGap.Profiles;

namespace MoralGap.Bench;

internal static class DirichletBench
{
    public static int Run()
    {
        // Paper scale: 1,618 dilemmas × 59 values; each dilemma ~32 rationales × 1–3 value mentions.
        var w = Enumerable.Range(1, 59).Select(r => 1 / Math.Pow(r, 0.9)).ToArray();
        double s = w.Sum();
        var alpha = w.Select(v => 12 * v / s).ToArray();
        var rng = new Random(7);
        var totals = Enumerable.Range(0, 1618).Select(_ => Enumerable.Range(0, 32).Sum(_ => rng.Next(1, 4))).ToArray();
        var counts = DirichletFit.SampleCounts(alpha, totals, seed: 11);
        DirichletFit.FromCounts(counts); // warm-up (JIT)
        var times = new List<double>();
        DirichletFitResult fit = null!;
        for (int r = 0; r < 5; r++) { var sw = Stopwatch.StartNew(); fit = DirichletFit.FromCounts(counts); times.Add(sw.Elapsed.TotalMilliseconds); }
        double err = fit.Alpha.Zip(alpha, (a, b) => Math.Abs(a - b)).Sum() / alpha.Sum();
        Console.WriteLine($"Dirichlet-multinomial fit, 1,618 × 59 counts ({totals.Sum()} mentions): best {times.Min():0.00} ms, median {times.Order().ElementAt(2):0.00} ms");
        Console.WriteLine($"  {fit}");
        Console.WriteLine($"  planted α₀ = 12.000, fitted α₀ = {fit.Precision:0.000}; relative L1 error Σ|α̂−α|/Σα = {err:P2}");

        // From proportions: θ drawn directly. Small α_k give tiny θ_k (1e-30 and below) whose logs carry the information,
        // so smoothing (which lifts them) is used only if an exact zero occurs; a second prior with all α_k ≥ 0.5 for contrast.
        foreach (var (name, a) in new[] { ("paper-scale α (α₀ = 12)", alpha), ("α_k = 0.5 + 24·mean_k (α₀ ≈ 54)", alpha.Select(v => 0.5 + 2 * v).ToArray()) })
        {
            var rows = DirichletFit.Sample(a, 1618, seed: 3);
            int zeros = rows.Sum(r => r.Count(v => v == 0));
            double smoothing = zeros > 0 ? 1e-10 : 0;
            DirichletFit.FromProportions(rows, smoothing);
            var sw2 = Stopwatch.StartNew();
            var fitP = DirichletFit.FromProportions(rows, smoothing);
            double errP = fitP.Alpha.Zip(a, (x, y) => Math.Abs(x - y)).Sum() / a.Sum();
            Console.WriteLine($"From 1,618 × 59 proportions, {name}: {sw2.Elapsed.TotalMilliseconds:0.00} ms, {zeros} exact zeros (smoothing {smoothing}), {(fitP.Converged ? "converged" : "NOT converged")} in {fitP.Iterations} iterations, relative L1 error {errP:P2}");
        }
        return 0;
    }
}
