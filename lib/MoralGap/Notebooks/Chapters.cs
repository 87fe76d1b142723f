namespace MoralGap.Notebooks;

/// <summary>One chapter of the collection.</summary>
/// <param name="Number">Two-digit chapter number.</param>
/// <param name="Title">Title.</param>
/// <param name="Notebook">File name under notebooks/.</param>
/// <param name="Covers">The part of the paper it covers.</param>
/// <param name="Offline">What runs on a fresh machine without an LLM.</param>
public sealed record Chapter(string Number, string Title, string Notebook, string Covers, string Offline);

/// <summary>The table of chapters (the order is the paper's pipeline).</summary>
public static class Chapters
{
    /// <summary>Every chapter, in order.</summary>
    public static IReadOnlyList<Chapter> All { get; } =
    [
        new("00", "Start here", "00-start-here.ipynb", "Figure 1: the pipeline", "everything"),
        new("01", "Building the dilemma dataset", "01-building-the-dilemma-dataset.ipynb", "§3 the Moral Dilemma Dataset", "embedded sample or your AITA files"),
        new("02", "Collecting LLM judgments", "02-collecting-llm-judgments.ipynb", "§4 LLM judgments, 32 samples", "simulated judge"),
        new("03", "The gap vs consensus", "03-the-gap-vs-consensus.ipynb", "Finding 1", "simulated judge"),
        new("04", "Extracting values from rationales", "04-extracting-values.ipynb", "§5 value expressions", "embedding extractor over a lexicon"),
        new("05", "Clustering a value taxonomy", "05-clustering-a-value-taxonomy.ipynb", "§5 the 60-value taxonomy", "everything (MiniLM is real offline)"),
        new("06", "Value diversity, humans vs LLMs", "06-value-diversity.ipynb", "Finding 2", "simulated judge"),
        new("07", "Topic Dirichlet profiles", "07-topic-dirichlet-profiles.ipynb", "§6 G0, topic priors", "everything"),
        new("08", "Dynamic Moral Profiling and baselines", "08-dynamic-moral-profiling.ipynb", "Finding 3 and its critique", "simulated judge"),
        new("09", "Sensitivity to α and k", "09-sensitivity.ipynb", "beyond the paper", "simulated judge"),
    ];
}
