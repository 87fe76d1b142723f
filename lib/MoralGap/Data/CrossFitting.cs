namespace MoralGap.Data;

/// <summary>
/// Seeded K-fold splits for cross-fitting: whatever is estimated for an item is estimated from the other folds only, as
/// a method would face a new item (used by the simulated judge's p̂ and by the out-of-fold value priors).
/// </summary>
public static class CrossFitting
{
    /// <summary>
    /// The fold (0 … <paramref name="folds"/> − 1) of each of <paramref name="count"/> items: a Fisher–Yates shuffle with
    /// <see cref="Random"/>(<paramref name="seed"/>), then position mod <paramref name="folds"/>, so folds differ in size by
    /// at most one. One fold puts every item in fold 0 (no cross-fitting: in-sample).
    /// </summary>
    public static int[] Folds(int count, int folds, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 1);
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var fold = new int[count];
        for (var position = 0; position < count; position++) fold[order[position]] = position % folds;
        return fold;
    }
}
