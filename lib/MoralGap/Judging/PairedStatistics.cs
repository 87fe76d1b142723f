using MathNet.Numerics.Statistics;

namespace MoralGap.Judging;

/// <summary>A statistic with its bootstrap confidence interval.</summary>
/// <param name="Value">The statistic on the data as observed.</param>
/// <param name="Low">Lower end of the percentile bootstrap interval (NaN when it cannot be computed).</param>
/// <param name="High">Upper end.</param>
public readonly record struct Estimate(double Value, double Low, double High)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Value:0.000} [{Low:0.000}, {High:0.000}]");
}

/// <summary>
/// A two one-sided tests (TOST) equivalence verdict (Schuirmann 1987) for a difference Δ with margin m: Δ is declared
/// equivalent to 0 when both H₀: Δ ≤ −m and H₀: Δ ≥ m are rejected at α, i.e. when the (1 − 2α) interval of Δ lies
/// inside (−m, m). Here the interval and the one-sided p-values come from bootstrap replicates of Δ:
/// p₋ = share of replicates ≤ −m, p₊ = share ≥ m, p = max(p₋, p₊).
/// </summary>
/// <param name="Margin">The equivalence margin m (&gt; 0).</param>
/// <param name="Low">Lower end of the (1 − 2α) percentile interval of Δ.</param>
/// <param name="High">Upper end.</param>
/// <param name="P">The TOST p-value max(p₋, p₊).</param>
/// <param name="Equivalent">True when −m &lt; Low and High &lt; m.</param>
public readonly record struct TostResult(double Margin, double Low, double High, double P, bool Equivalent);

/// <summary>
/// Comparison statistics over dilemmas: percentile bootstrap intervals (Efron &amp; Tibshirani 1993, §13.3), a paired
/// bootstrap that resamples the SAME dilemmas for both conditions, the relative gap reduction
/// (gap_base − gap_cond) / gap_base (the paper's "−64.3%") and TOST equivalence. Resamples are drawn from a
/// xoshiro256** stream seeded by the caller, so every interval is reproducible on every platform.
/// </summary>
public static class PairedStatistics
{
    /// <summary>
    /// The percentile interval of replicates at a confidence level: the (1 − level)/2 and (1 + level)/2 quantiles (R7,
    /// as numpy and R's default), NaN replicates left out (a resample whose r is undefined). NaN when none is left.
    /// </summary>
    public static (double Low, double High) PercentileInterval(IReadOnlyList<double> replicates, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(replicates);
        if (!(level > 0 && level < 1)) throw new ArgumentOutOfRangeException(nameof(level), level, "Level must lie in (0, 1).");
        var sorted = replicates.Where(r => !double.IsNaN(r)).ToArray();
        if (sorted.Length == 0) return (double.NaN, double.NaN);
        Array.Sort(sorted);
        var a = (1 - level) / 2;
        return (SortedArrayStatistics.QuantileCustom(sorted, a, QuantileDefinition.R7),
                SortedArrayStatistics.QuantileCustom(sorted, 1 - a, QuantileDefinition.R7));
    }

    /// <summary>TOST of Δ against ±<paramref name="margin"/> from bootstrap replicates of Δ (see <see cref="TostResult"/>).</summary>
    /// <param name="replicates">Bootstrap replicates of the difference (NaNs are left out).</param>
    /// <param name="margin">Equivalence margin m &gt; 0.</param>
    /// <param name="alpha">Level of each one-sided test (0.05: the 90% interval).</param>
    public static TostResult Tost(IReadOnlyList<double> replicates, double margin, double alpha = 0.05)
    {
        ArgumentNullException.ThrowIfNull(replicates);
        if (!(margin > 0) || !double.IsFinite(margin)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "The equivalence margin must be a positive number.");
        if (!(alpha > 0 && alpha < 0.5)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Alpha must lie in (0, 0.5).");
        var ok = replicates.Where(r => !double.IsNaN(r)).ToArray();
        if (ok.Length == 0) return new TostResult(margin, double.NaN, double.NaN, double.NaN, false);
        var (low, high) = PercentileInterval(ok, 1 - 2 * alpha);
        double pLow = ok.Count(r => r <= -margin) / (double)ok.Length, pHigh = ok.Count(r => r >= margin) / (double)ok.Length;
        return new TostResult(margin, low, high, Math.Max(pLow, pHigh), low > -margin && high < margin);
    }

    /// <summary>
    /// Mean |a − b| and Pearson r of a with b over a resample, in one pass of raw sums (inputs are shares in [0, 1], so
    /// the raw-moment formula r = (nΣab − ΣaΣb) / √((nΣa² − (Σa)²)(nΣb² − (Σb)²)) loses nothing that matters at these
    /// sizes); r is NaN when either side is (numerically) constant. The bootstrap's inner loop: one pass instead of
    /// three, measured by the alignment benchmark.
    /// </summary>
    internal static (double Gap, double R) GapAndR(double[] a, double[] b, int[] idx)
    {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, gap = 0;
        foreach (var i in idx)
        {
            double x = a[i], y = b[i];
            sa += x; sb += y; saa += x * x; sbb += y * y; sab += x * y; gap += Math.Abs(x - y);
        }
        double n = idx.Length;
        return (gap / n, R(n, sa, sb, saa, sbb, sab));
    }

    /// <summary>As <see cref="GapAndR"/> for a condition and a baseline against the same human shares, in one pass.</summary>
    internal static (double GapCond, double GapBase, double RCond, double RBase) PairedGapAndR(double[] cond, double[] baseline, double[] human, int[] idx)
    {
        double sh = 0, shh = 0, sc = 0, scc = 0, sch = 0, sb = 0, sbb = 0, sbh = 0, gc = 0, gb = 0;
        foreach (var i in idx)
        {
            double h = human[i], c = cond[i], b = baseline[i];
            sh += h; shh += h * h;
            sc += c; scc += c * c; sch += c * h; gc += Math.Abs(c - h);
            sb += b; sbb += b * b; sbh += b * h; gb += Math.Abs(b - h);
        }
        double n = idx.Length;
        return (gc / n, gb / n, R(n, sc, sh, scc, shh, sch), R(n, sb, sh, sbb, shh, sbh));
    }

    private static double R(double n, double sa, double sb, double saa, double sbb, double sab)
    {
        double va = n * saa - sa * sa, vb = n * sbb - sb * sb;
        // Shares lie in [0, 1]: one differing dilemma among n already gives n·Σa² − (Σa)² ≥ about 1, far above rounding.
        const double eps = 1e-9;
        return va <= eps * n * n || vb <= eps * n * n ? double.NaN : (n * sab - sa * sb) / Math.Sqrt(va * vb);
    }

    /// <summary>
    /// The bootstrap's random stream: xoshiro256** (Blackman &amp; Vigna 2018), seeded through SplitMix64, with Lemire's
    /// unbiased bounded draw (2019) on each 32-bit half of a 64-bit output, so one output gives two indices. Ours
    /// because System.Random(seed) (a legacy subtractive generator, ~7 ns a draw) took two thirds of the alignment
    /// benchmark's statistics time; this is the same generator .NET uses for an unseeded Random, made seedable.
    /// </summary>
    internal struct Xoshiro256
    {
        private ulong _s0, _s1, _s2, _s3;
        private uint _spare;
        private bool _hasSpare;

        public Xoshiro256(int seed)
        {
            var x = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + 0x632BE59BD9B4E019UL);
            _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
            _spare = 0; _hasSpare = false;
        }

        private static ulong SplitMix(ref ulong x)
        {
            unchecked
            {
                var z = x += 0x9E3779B97F4A7C15UL;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
                return z ^ (z >> 31);
            }
        }

        private ulong Next64()
        {
            unchecked
            {
                var result = System.Numerics.BitOperations.RotateLeft(_s1 * 5, 7) * 9;
                var t = _s1 << 17;
                _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
                _s3 = System.Numerics.BitOperations.RotateLeft(_s3, 45);
                return result;
            }
        }

        private uint Next32()
        {
            if (_hasSpare) { _hasSpare = false; return _spare; }
            var v = Next64();
            _spare = (uint)(v >> 32); _hasSpare = true;
            return (uint)v;
        }

        /// <summary>A uniform integer in [0, n), n ≥ 1 (Lemire's multiply-shift with rejection: no modulo bias).</summary>
        public int Next(int n)
        {
            var un = (uint)n;
            var m = (ulong)Next32() * un;
            var low = (uint)m;
            if (low < un)
            {
                var threshold = unchecked(0u - un) % un;
                while (low < threshold) { m = (ulong)Next32() * un; low = (uint)m; }
            }
            return (int)(m >> 32);
        }

        /// <summary>Fills <paramref name="idx"/> with a resample (with replacement) of 0..idx.Length−1.</summary>
        public void Resample(int[] idx)
        {
            for (var i = 0; i < idx.Length; i++) idx[i] = Next(idx.Length);
        }
    }

    /// <summary>
    /// Mean |Δp| and Pearson r of one condition over dilemmas, each with a percentile bootstrap interval over dilemmas
    /// (the same resamples for both).
    /// </summary>
    /// <param name="pModel">The model's p per dilemma.</param>
    /// <param name="pHuman">The human p per dilemma.</param>
    /// <param name="replicates">Bootstrap replicates (≥ 2).</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="level">Confidence level.</param>
    public static (Estimate MeanAbsGap, Estimate PearsonR) GapAndCorrelation(double[] pModel, double[] pHuman, int replicates = 2000, int seed = 1, double level = 0.95)
    {
        Check(pModel, pHuman, replicates);
        double gap = Alignment.MeanAbsoluteGap(pModel, pHuman).MeanAbsoluteGap, r = Alignment.PearsonR(pModel, pHuman);
        var rng = new Xoshiro256(seed);
        var idx = new int[pModel.Length];
        var gaps = new double[replicates];
        var rs = new double[replicates];
        for (var k = 0; k < replicates; k++)
        {
            rng.Resample(idx);
            (gaps[k], rs[k]) = GapAndR(pModel, pHuman, idx);
        }
        var (gl, gh) = PercentileInterval(gaps, level);
        var (rl, rh) = PercentileInterval(rs, level);
        return (new Estimate(gap, gl, gh), new Estimate(r, rl, rh));
    }

    /// <summary>The paired comparison of a condition with a baseline on the same dilemmas.</summary>
    /// <param name="Dilemmas">Dilemmas compared (both conditions and people have a p).</param>
    /// <param name="DeltaMeanAbsGap">gap_cond − gap_base (negative: the condition is closer to people), with its interval.</param>
    /// <param name="DeltaR">r_cond − r_base, with its interval.</param>
    /// <param name="RelativeReduction">(gap_base − gap_cond) / gap_base, with its interval (the paper's −64.3% is a reduction of 0.643).</param>
    /// <param name="TostR">TOST of Δr.</param>
    /// <param name="TostGap">TOST of Δ mean |Δp|.</param>
    public sealed record PairedComparison(int Dilemmas, Estimate DeltaMeanAbsGap, Estimate DeltaR, Estimate RelativeReduction, TostResult TostR, TostResult TostGap);

    /// <summary>
    /// Paired bootstrap of a condition against a baseline over the same dilemmas: each replicate resamples dilemma
    /// indices once and computes both conditions' mean |Δp| and r on that resample, so the interval of a difference
    /// reflects only how the conditions differ on the same dilemmas (not the spread of dilemmas, which both share).
    /// </summary>
    /// <param name="pCondition">The condition's p per dilemma.</param>
    /// <param name="pBaseline">The baseline's p on the same dilemmas.</param>
    /// <param name="pHuman">The human p.</param>
    /// <param name="marginR">TOST margin of Δr (the replication used 0.05).</param>
    /// <param name="marginGap">TOST margin of Δ mean |Δp|.</param>
    /// <param name="replicates">Bootstrap replicates (≥ 2).</param>
    /// <param name="seed">Seed of the resampling.</param>
    /// <param name="level">Confidence level of the intervals (TOST uses α = 0.05, the 90% interval).</param>
    public static PairedComparison Paired(double[] pCondition, double[] pBaseline, double[] pHuman, double marginR = 0.05, double marginGap = 0.02,
        int replicates = 2000, int seed = 1, double level = 0.95)
    {
        Check(pCondition, pHuman, replicates);
        Check(pBaseline, pHuman, replicates);
        double gc = Alignment.MeanAbsoluteGap(pCondition, pHuman).MeanAbsoluteGap, gb = Alignment.MeanAbsoluteGap(pBaseline, pHuman).MeanAbsoluteGap;
        double rc = Alignment.PearsonR(pCondition, pHuman), rb = Alignment.PearsonR(pBaseline, pHuman);
        var rng = new Xoshiro256(seed);
        var idx = new int[pHuman.Length];
        var dGap = new double[replicates];
        var dR = new double[replicates];
        var red = new double[replicates];
        for (var k = 0; k < replicates; k++)
        {
            rng.Resample(idx);
            var (c, b, rCond, rBase) = PairedGapAndR(pCondition, pBaseline, pHuman, idx);
            dGap[k] = c - b;
            red[k] = b == 0 ? double.NaN : (b - c) / b;
            dR[k] = rCond - rBase;
        }
        Estimate E(double v, double[] reps) { var (l, h) = PercentileInterval(reps, level); return new Estimate(v, l, h); }
        return new PairedComparison(pHuman.Length, E(gc - gb, dGap), E(rc - rb, dR), E(gb == 0 ? double.NaN : (gb - gc) / gb, red),
            Tost(dR, marginR), Tost(dGap, marginGap));
    }

    private static void Check(double[] pModel, double[] pHuman, int replicates)
    {
        ArgumentNullException.ThrowIfNull(pModel); ArgumentNullException.ThrowIfNull(pHuman);
        if (pModel.Length != pHuman.Length) throw new ArgumentException($"{pModel.Length} model shares but {pHuman.Length} human shares.", nameof(pHuman));
        if (pModel.Length < 3) throw new ArgumentException($"Need at least 3 dilemmas, got {pModel.Length}.", nameof(pModel));
        for (var i = 0; i < pModel.Length; i++)
        {
            if (!(pModel[i] >= 0 && pModel[i] <= 1)) throw new ArgumentException($"Dilemma {i}: model share {pModel[i]} is not in [0, 1].", nameof(pModel));
            if (!(pHuman[i] >= 0 && pHuman[i] <= 1)) throw new ArgumentException($"Dilemma {i}: human share {pHuman[i]} is not in [0, 1].", nameof(pHuman));
        }
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "Need at least 2 bootstrap replicates.");
    }
}
