namespace MoralGap.Judging;

/// <summary>
/// The resampling loop of the nonparametric bootstrap (Efron &amp; Tibshirani 1993): n items (dilemmas, rationales)
/// drawn with replacement, the statistic computed on each resample. Alignment's gap by consensus and the value
/// diversity intervals both resample through it, and form their intervals with <see cref="PairedStatistics.PercentileInterval"/>.
/// (The paired alignment bootstrap keeps its own xoshiro stream for speed, see <see cref="PairedStatistics"/>.)
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// <paramref name="replicates"/> values of <paramref name="statistic"/>, each on the indices of one resample: n draws
    /// <c>random.Next(n)</c>, in order. A resample on which the statistic is undefined (it returns null, e.g. a resample
    /// of rationales without a single mention) is drawn again, up to 1,000 times in a row.
    /// </summary>
    /// <param name="n">Items to resample (≥ 1).</param>
    /// <param name="replicates">Replicates (≥ 2).</param>
    /// <param name="random">The seeded stream the indices are drawn from (the caller owns the seed).</param>
    /// <param name="statistic">The statistic of a resample, given its item indices (the array is reused between calls).</param>
    /// <exception cref="InvalidOperationException">1,000 resamples in a row had an undefined statistic.</exception>
    public static double[] Replicates(int n, int replicates, Random random, Func<int[], double?> statistic)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "Need at least 2 bootstrap replicates.");
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(statistic);
        var values = new double[replicates];
        var idx = new int[n];
        for (var b = 0; b < replicates; b++)
        {
            double? value = null;
            for (var attempt = 0; value is null; attempt++)
            {
                if (attempt == 1000) throw new InvalidOperationException($"1,000 resamples of {n} items in a row had no defined statistic.");
                for (var i = 0; i < n; i++) idx[i] = random.Next(n);
                value = statistic(idx);
            }
            values[b] = value.Value;
        }
        return values;
    }
}
