namespace MoralGap.Values.Evaluation;

/// <summary>A multi-label value classifier: which categories of a taxonomy each text expresses.</summary>
public interface IValueClassifier
{
    /// <summary>A short name ("zero-shot", "supervised").</summary>
    string Name { get; }

    /// <summary>The categories, in the order of each prediction row.</summary>
    IReadOnlyList<string> Categories { get; }

    /// <summary>For each text, one flag per category (true = the text expresses it).</summary>
    bool[][] Predict(IReadOnlyList<string> texts, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default);
}
