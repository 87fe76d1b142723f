namespace MoralGap.Data;

/// <summary>
/// The value taxonomy of the paper: the names in Table 5 of "The Pluralistic Moral Gap" (Russo et al., arXiv 2507.17216).
/// The caption says 60 values; the table lists these 59. The embedded sample, the offline value extractor and the
/// Dynamic Moral Profiling priors all index values by their position in <see cref="Names"/>.
/// </summary>
public static class PaperValues
{
    /// <summary>The 59 value names, in the table's (alphabetical) order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Aesthetics",
        "Animal Welfare",
        "Appreciation",
        "Artistic Integrity",
        "Autonomy",
        "Belonging",
        "Care",
        "Child Welfare",
        "Comfort",
        "Communication",
        "Compassion",
        "Community",
        "Conformity",
        "Consideration",
        "Convenience",
        "Creativity",
        "Cultural Respect",
        "Curiosity",
        "Discipline",
        "Efficiency",
        "Emotional Intelligence",
        "Enjoyment",
        "Ethics",
        "Family",
        "Forgiveness",
        "Freedom",
        "Friendship",
        "Happiness",
        "Harmony",
        "Inclusivity",
        "Individualism",
        "Integrity",
        "Justice",
        "Knowledge",
        "Loyalty",
        "Marital Respect",
        "Nonviolence",
        "Nurturing",
        "Parental Responsibility",
        "Pragmatism",
        "Privacy",
        "Property",
        "Punctuality",
        "Resilience",
        "Respect",
        "Respect for Time",
        "Responsibility",
        "Safety",
        "Self-Actualization",
        "Self-Reliance",
        "Sensitivity",
        "Solidarity",
        "Stability",
        "Sustainability",
        "Thoughtfulness",
        "Tradition",
        "Tranquility",
        "Welfare",
        "Well-being",
    ];

    /// <summary>Number of values in the paper's taxonomy (59).</summary>
    public static int Count => Names.Count;

    /// <summary>The position of <paramref name="name"/> in <see cref="Names"/> (case-insensitive), or -1.</summary>
    public static int IndexOf(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (var i = 0; i < Names.Count; i++)
            if (string.Equals(Names[i], name.Trim(), StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }
}
