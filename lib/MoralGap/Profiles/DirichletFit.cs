using System.Globalization;
using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace MoralGap.Profiles;

/// <summary>A maximum-likelihood Dirichlet fit.</summary>
/// <param name="Alpha">Fitted concentration parameters α_k &gt; 0.</param>
/// <param name="Iterations">Iterations used.</param>
/// <param name="Converged">Whether the relative change of every α_k fell below the tolerance within the iteration limit.</param>
/// <param name="LogLikelihood">Log-likelihood at <paramref name="Alpha"/> (for counts: without the multinomial coefficients, which do not depend on α).</param>
/// <param name="Rows">Number of rows fitted.</param>
public sealed record DirichletFitResult(double[] Alpha, int Iterations, bool Converged, double LogLikelihood, int Rows)
{
    /// <summary>Precision α₀ = Σ_k α_k.</summary>
    public double Precision => Alpha.Sum();

    /// <summary>Mean E[θ_k] = α_k / α₀.</summary>
    public double[] Mean { get { double s = Precision; return Alpha.Select(a => a / s).ToArray(); } }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Dirichlet fit over {Rows} rows: K = {Alpha.Length}, α₀ = {Precision:0.###}, {(Converged ? "converged" : "NOT converged")} in {Iterations} iterations, log-likelihood {LogLikelihood:0.###}");
}

/// <summary>
/// Maximum-likelihood fitting of a Dirichlet distribution (Minka 2000, "Estimating a Dirichlet distribution",
/// https://tminka.github.io/papers/dirichlet/), plus seeded sampling.
/// </summary>
/// <remarks>
/// Ours because MathNet.Numerics 5.0.0 samples the Dirichlet and has DiGamma/DiGammaInv but no fitting and no
/// TriGamma (MathNet.Numerics 5.0 has DiGamma and DiGammaInv only). Both fits take Newton steps with Minka's diagonal-plus-rank-one Hessian (O(K) a step) and
/// fall back to Minka's fixed-point step whenever Newton would leave α &gt; 0 or lower the likelihood, so every step
/// increases the likelihood.
/// </remarks>
public static partial class DirichletFit
{
    /// <summary>
    /// Fits α to rows on the simplex (Minka 2000, §1): maximises
    /// N [ln Γ(α₀) − Σ_k ln Γ(α_k) + Σ_k (α_k − 1) mean_i ln p_ik].
    /// </summary>
    /// <param name="proportions">N ≥ 2 rows of K ≥ 2 non-negative values summing to 1 (±1e-6).</param>
    /// <param name="smoothing">ε for zeros: every row becomes (p + ε) / (1 + Kε) before taking logs. With the default
    /// 0 a zero entry is an error (ln 0); any ε &gt; 0 biases small α_k upwards, so prefer <see cref="FromCounts"/> when
    /// the rows are shares of counts.</param>
    /// <param name="maxIterations">Iteration limit.</param>
    /// <param name="tolerance">Stop when max_k |Δα_k| / α_k &lt; tolerance.</param>
    /// <exception cref="ArgumentException">Fewer than 2 rows, ragged rows, NaN/∞/negative entries, a row not summing
    /// to 1 (e.g. all zeros), a value that is 0 in every row, or a zero entry with smoothing 0.</exception>
    public static DirichletFitResult FromProportions(double[][] proportions, double smoothing = 0, int maxIterations = 1000, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(proportions);
        CheckControls(maxIterations, tolerance);
        if (!(smoothing >= 0) || double.IsInfinity(smoothing)) throw new ArgumentOutOfRangeException(nameof(smoothing), smoothing, "Smoothing must be finite and ≥ 0.");
        int n = proportions.Length;
        if (n < 2) throw new ArgumentException($"Need at least 2 rows to fit a Dirichlet, got {n}.", nameof(proportions));
        int k = CheckRagged(proportions.Select(r => r?.Length ?? -1).ToArray(), nameof(proportions));
        var seen = new bool[k];
        var meanLog = new double[k];
        var mean = new double[k];
        var meanSq = new double[k];
        for (int i = 0; i < n; i++)
        {
            var row = proportions[i];
            double sum = 0;
            for (int j = 0; j < k; j++)
            {
                double v = row[j];
                if (!double.IsFinite(v) || v < 0) throw new ArgumentException($"Row {i}, value {j} is {v}; proportions must be finite and ≥ 0.", nameof(proportions));
                sum += v;
                if (v > 0) seen[j] = true;
            }
            if (Math.Abs(sum - 1) > 1e-6) throw new ArgumentException($"Row {i} sums to {sum}, not 1: rows must lie on the simplex{(sum == 0 ? " (it is all zeros)" : "")}.", nameof(proportions));
        }
        CheckSeen(seen, nameof(proportions));
        for (int i = 0; i < n; i++)
        {
            var row = proportions[i];
            for (int j = 0; j < k; j++)
            {
                double v = (row[j] + smoothing) / (1 + k * smoothing);
                if (v == 0) throw new ArgumentException($"Row {i}, value {j} is 0 and ln 0 = −∞: pass smoothing > 0 (e.g. 1e-4), or fit the counts with FromCounts.", nameof(proportions));
                meanLog[j] += Math.Log(v) / n;
                mean[j] += v / n;
                meanSq[j] += v * v / n;
            }
        }

        // Start: moment matching, precision s = mean over k of ln(m_k(1−m_k)/var_k − 1), as Minka suggests.
        double logS = 0; int used = 0;
        for (int j = 0; j < k; j++)
        {
            double var = meanSq[j] - mean[j] * mean[j];
            double s = var > 0 ? mean[j] * (1 - mean[j]) / var - 1 : double.NaN;
            if (s > 0 && double.IsFinite(s)) { logS += Math.Log(s); used++; }
        }
        double s0 = used > 0 ? Math.Exp(logS / used) : k;
        var alpha = mean.Select(m => Math.Max(m * s0, 1e-6)).ToArray();

        double Ll(double[] a)
        {
            double a0 = a.Sum(), ll = SpecialFunctions.GammaLn(a0);
            for (int j = 0; j < k; j++) ll += -SpecialFunctions.GammaLn(a[j]) + (a[j] - 1) * meanLog[j];
            return n * ll;
        }
        var g = new double[k]; var q = new double[k];
        return Iterate(alpha, n, maxIterations, tolerance, Ll,
            newton: a =>
            {
                double a0 = a.Sum(), psi0 = SpecialFunctions.DiGamma(a0), z = n * TriGamma(a0);
                for (int j = 0; j < k; j++) { g[j] = n * (psi0 - SpecialFunctions.DiGamma(a[j]) + meanLog[j]); q[j] = -n * TriGamma(a[j]); }
                return NewtonStep(a, g, q, z);
            },
            fixedPoint: a =>
            {
                double psi0 = SpecialFunctions.DiGamma(a.Sum());
                return meanLog.Select(l => SpecialFunctions.DiGammaInv(psi0 + l)).ToArray();
            });
    }

    /// <summary>
    /// Fits α of a Dirichlet-multinomial (Pólya) distribution to count rows: row i has counts n_ik ~ Mult(n_i, θ_i),
    /// θ_i ~ Dir(α) (Minka 2000, §2). Maximises Σ_i [ln Γ(α₀) − ln Γ(n_i + α₀) + Σ_k (ln Γ(n_ik + α_k) − ln Γ(α_k))],
    /// using ψ(n + a) − ψ(a) = Σ_{j&lt;n} 1/(a + j), so a step costs O(K · max count), not O(N K).
    /// Minka's fixed point: α_k ← α_k Σ_i [ψ(n_ik + α_k) − ψ(α_k)] / Σ_i [ψ(n_i + α₀) − ψ(α₀)].
    /// </summary>
    /// <param name="counts">N ≥ 2 rows of K ≥ 2 non-negative counts (e.g. value mentions per dilemma); zeros are fine.</param>
    /// <param name="maxIterations">Iteration limit.</param>
    /// <param name="tolerance">Stop when max_k |Δα_k| / α_k &lt; tolerance.</param>
    /// <exception cref="ArgumentException">Fewer than 2 rows, ragged rows, negative counts, an all-zero row, a value
    /// never counted in any row, or no row with 2 or more counts (then the precision α₀ is not identifiable).</exception>
    public static DirichletFitResult FromCounts(int[][] counts, int maxIterations = 1000, double tolerance = 1e-10)
    {
        ArgumentNullException.ThrowIfNull(counts);
        CheckControls(maxIterations, tolerance);
        int n = counts.Length;
        if (n < 2) throw new ArgumentException($"Need at least 2 rows to fit a Dirichlet, got {n}.", nameof(counts));
        int k = CheckRagged(counts.Select(r => r?.Length ?? -1).ToArray(), nameof(counts));
        var seen = new bool[k];
        var totals = new int[n];
        var colMax = new int[k];
        long grand = 0;
        for (int i = 0; i < n; i++)
        {
            long t = 0;
            for (int j = 0; j < k; j++)
            {
                int c = counts[i][j];
                if (c < 0) throw new ArgumentException($"Row {i}, value {j} has a negative count ({c}).", nameof(counts));
                if (c > 0) seen[j] = true;
                colMax[j] = Math.Max(colMax[j], c);
                t += c;
            }
            if (t == 0) throw new ArgumentException($"Row {i} has no counts at all.", nameof(counts));
            if (t > int.MaxValue / 2) throw new ArgumentException($"Row {i} has too many counts ({t}).", nameof(counts));
            totals[i] = (int)t;
            grand += t;
        }
        CheckSeen(seen, nameof(counts));
        if (totals.All(t => t < 2)) throw new ArgumentException("Every row has a single count: the precision α₀ cannot be estimated (need rows with 2 or more counts).", nameof(counts));

        // Survival counts: S[k][j] = #{i : n_ik > j}, T[j] = #{i : n_i > j}.
        var surv = new double[k][];
        for (int j = 0; j < k; j++) surv[j] = new double[colMax[j]];
        var tot = new double[totals.Max()];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < k; j++) for (int c = 0; c < counts[i][j]; c++) surv[j][c]++;
            for (int c = 0; c < totals[i]; c++) tot[c]++;
        }

        // Start: method of moments on the row shares, using Var(n_ik/n) = m(1−m)(n + α₀)/(n(1 + α₀)).
        var m = new double[k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) m[j] += (double)counts[i][j] / grand;
        double nBar = (double)grand / n, vSum = 0, bSum = 0;
        for (int j = 0; j < k; j++)
        {
            double v = 0;
            for (int i = 0; i < n; i++) { double d = (double)counts[i][j] / totals[i] - m[j]; v += d * d / n; }
            vSum += v; bSum += m[j] * (1 - m[j]);
        }
        double r = vSum / bSum;
        double s0 = r * nBar > 1 && r < 1 ? nBar * (1 - r) / (r * nBar - 1) : 100.0 * k;
        s0 = Math.Clamp(s0, 1e-2, 1e6);
        var alpha = m.Select(x => Math.Max(x * s0, 1e-6)).ToArray();

        double Ll(double[] a)
        {
            double ll = 0, a0 = a.Sum();
            for (int j = 0; j < k; j++) { var s = surv[j]; for (int c = 0; c < s.Length; c++) ll += s[c] * Math.Log(a[j] + c); }
            for (int c = 0; c < tot.Length; c++) ll -= tot[c] * Math.Log(a0 + c);
            return ll;
        }
        (double B, double dB) Denominator(double a0)
        {
            double b = 0, db = 0;
            for (int c = 0; c < tot.Length; c++) { double inv = 1 / (a0 + c); b += tot[c] * inv; db -= tot[c] * inv * inv; }
            return (b, db);
        }
        double Numerator(int j, double aj, out double dA)
        {
            double a = 0; dA = 0;
            var s = surv[j];
            for (int c = 0; c < s.Length; c++) { double inv = 1 / (aj + c); a += s[c] * inv; dA -= s[c] * inv * inv; }
            return a;
        }
        var g = new double[k]; var q = new double[k];
        return Iterate(alpha, n, maxIterations, tolerance, Ll,
            newton: a =>
            {
                var (b, db) = Denominator(a.Sum());
                for (int j = 0; j < k; j++) { g[j] = Numerator(j, a[j], out var dA) - b; q[j] = dA; }
                return NewtonStep(a, g, q, -db);
            },
            fixedPoint: a =>
            {
                var (b, _) = Denominator(a.Sum());
                return a.Select((aj, j) => aj * Numerator(j, aj, out _) / b).ToArray();
            });
    }

    /// <summary>
    /// Newton step for a Hessian diag(q) + z 11ᵀ (Minka 2000, eq. for the Dirichlet Hessian):
    /// b = Σ g_k/q_k / (1/z + Σ 1/q_k), α_new = α − (g − b)/q. Null when it would leave α &gt; 0.
    /// </summary>
    private static double[]? NewtonStep(double[] a, double[] g, double[] q, double z)
    {
        double sgq = 0, siq = 0;
        for (int j = 0; j < a.Length; j++) { if (!(q[j] < 0)) return null; sgq += g[j] / q[j]; siq += 1 / q[j]; }
        double b = sgq / (1 / z + siq);
        var next = new double[a.Length];
        for (int j = 0; j < a.Length; j++)
        {
            next[j] = a[j] - (g[j] - b) / q[j];
            if (!(next[j] > 0) || !double.IsFinite(next[j])) return null;
        }
        return next;
    }

    private static DirichletFitResult Iterate(double[] alpha, int rows, int maxIterations, double tolerance, Func<double[], double> ll,
        Func<double[], double[]?> newton, Func<double[], double[]> fixedPoint)
    {
        double current = ll(alpha);
        for (int it = 1; it <= maxIterations; it++)
        {
            var next = newton(alpha);
            double nextLl = next is null ? double.NaN : ll(next);
            if (next is null || !(nextLl >= current - 1e-12 * Math.Abs(current)))
            {
                next = fixedPoint(alpha);
                nextLl = ll(next);
            }
            double change = 0;
            for (int j = 0; j < alpha.Length; j++) change = Math.Max(change, Math.Abs(next[j] - alpha[j]) / alpha[j]);
            alpha = next;
            current = nextLl;
            if (change < tolerance) return new DirichletFitResult(alpha, it, true, current, rows);
        }
        return new DirichletFitResult(alpha, maxIterations, false, current, rows);
    }

    /// <summary>
    /// Trigamma function ψ′(x) = d²/dx² ln Γ(x) (MathNet 5.0.0 has none). Recurrence ψ′(x) = ψ′(x+1) + 1/x² up to
    /// x ≥ 20, then the asymptotic series 1/x + 1/(2x²) + Σ B₂ₖ/x^(2k+1) (Abramowitz &amp; Stegun 6.4.12); reflection
    /// ψ′(1−x) + ψ′(x) = π²/sin²(πx) for x &lt; 0. About 1e-15 relative accuracy; +∞ at the poles 0, −1, −2, ….
    /// </summary>
    public static double TriGamma(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsPositiveInfinity(x)) return 0;
        if (x <= 0)
        {
            if (x == Math.Floor(x)) return double.PositiveInfinity;
            double s = Math.Sin(Math.PI * x);
            return -TriGamma(1 - x) + Math.PI * Math.PI / (s * s);
        }
        int shift = x < 20 ? (int)Math.Ceiling(20 - x) : 0;
        double y = x + shift, inv = 1 / y, inv2 = inv * inv;
        double result = inv + inv2 / 2 + inv * inv2 * (1.0 / 6 + inv2 * (-1.0 / 30 + inv2 * (1.0 / 42 + inv2 * (-1.0 / 30 + inv2 * (5.0 / 66 + inv2 * (-691.0 / 2730 + inv2 * 7.0 / 6))))));
        for (int j = shift - 1; j >= 0; j--) { double t = x + j; result += 1 / (t * t); }
        return result;
    }

    /// <summary>One draw θ ~ Dir(α) with System.Random(seed) (MathNet Dirichlet.Sample).</summary>
    public static double[] Sample(double[] alpha, int seed) => Sample(alpha, 1, seed)[0];

    /// <summary><paramref name="count"/> independent draws θ ~ Dir(α) from one System.Random(seed).</summary>
    public static double[][] Sample(double[] alpha, int count, int seed)
    {
        CheckAlpha(alpha);
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Count must be ≥ 0.");
        var rng = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Dirichlet.Sample(rng, alpha)).ToArray();
    }

    /// <summary>
    /// Dirichlet-multinomial draws for planted-truth checks: for each row, θ ~ Dir(α), then
    /// <paramref name="totals"/>[i] counts ~ Mult(totals[i], θ), from one System.Random(seed).
    /// </summary>
    public static int[][] SampleCounts(double[] alpha, int[] totals, int seed)
    {
        CheckAlpha(alpha);
        ArgumentNullException.ThrowIfNull(totals);
        var rng = new Random(seed);
        return totals.Select((t, i) =>
        {
            if (t < 0) throw new ArgumentException($"Total {i} is negative ({t}).", nameof(totals));
            var theta = Dirichlet.Sample(rng, alpha);
            var row = new int[alpha.Length];
            // Multinomial by inverse CDF per draw (θ may hold exact zeros, which MathNet's Multinomial rejects).
            var cdf = new double[theta.Length];
            double acc = 0;
            for (int j = 0; j < theta.Length; j++) { acc += theta[j]; cdf[j] = acc; }
            for (int s = 0; s < t; s++)
            {
                double u = rng.NextDouble() * acc;
                int j = Array.BinarySearch(cdf, u);
                j = j < 0 ? ~j : j + 1;
                row[Math.Min(j, theta.Length - 1)]++;
            }
            return row;
        }).ToArray();
    }

    private static void CheckAlpha(double[] alpha)
    {
        ArgumentNullException.ThrowIfNull(alpha);
        if (alpha.Length < 2) throw new ArgumentException($"A Dirichlet needs at least 2 components, got {alpha.Length}.", nameof(alpha));
        for (int j = 0; j < alpha.Length; j++)
            if (!(alpha[j] > 0) || double.IsInfinity(alpha[j])) throw new ArgumentException($"α[{j}] = {alpha[j]}; every α must be finite and > 0.", nameof(alpha));
    }

    private static void CheckControls(int maxIterations, double tolerance)
    {
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "Need at least one iteration.");
        if (!(tolerance > 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "Tolerance must be > 0.");
    }

    private static int CheckRagged(int[] lengths, string name)
    {
        for (int i = 0; i < lengths.Length; i++)
            if (lengths[i] < 0) throw new ArgumentException($"Row {i} is null.", name);
        int k = lengths[0];
        if (k < 2) throw new ArgumentException($"Rows need at least 2 values, row 0 has {k}.", name);
        for (int i = 1; i < lengths.Length; i++)
            if (lengths[i] != k) throw new ArgumentException($"Row {i} has {lengths[i]} values, row 0 has {k}.", name);
        return k;
    }

    private static void CheckSeen(bool[] seen, string name)
    {
        int never = Array.IndexOf(seen, false);
        if (never >= 0)
            throw new ArgumentException($"Value {never} is zero in every row ({seen.Count(s => !s)} such values): its α has no finite maximum-likelihood estimate; drop it or add pseudo-counts.", name);
    }
}
