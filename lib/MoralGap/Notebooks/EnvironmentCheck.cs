using System.Diagnostics;
using MoralGap.Llm;
using MoralGap.Values;

namespace MoralGap.Notebooks;

/// <summary>What chapter 00 reports about the machine: library, embedding model, LLM provider.</summary>
/// <param name="LibraryVersion">The loaded MoralGap package version.</param>
/// <param name="Runtime">The .NET runtime the kernel runs on.</param>
/// <param name="EmbeddingModel">The embedding model's name and dimension.</param>
/// <param name="EmbeddingSeconds">Time to load the model and embed the probe phrases.</param>
/// <param name="SimilarPair">cos(honesty, truthfulness): related phrases score high.</param>
/// <param name="UnrelatedPair">cos(honesty, financial stability): unrelated phrases score low.</param>
/// <param name="Provider">Which LLM will answer (never shows a key).</param>
/// <param name="UsesSimulator">True when no provider is configured and the simulated judge will answer.</param>
/// <param name="Problems">Configuration problems to fix (empty when none).</param>
public sealed record EnvironmentReport(
    string LibraryVersion,
    string Runtime,
    string EmbeddingModel,
    double EmbeddingSeconds,
    double SimilarPair,
    double UnrelatedPair,
    string Provider,
    bool UsesSimulator,
    IReadOnlyList<string> Problems)
{
    /// <summary>True when the embedding model separates related from unrelated phrases.</summary>
    public bool EmbeddingsLookRight => SimilarPair > UnrelatedPair + 0.2;

    /// <inheritdoc />
    public override string ToString() =>
        $"MoralGap {LibraryVersion} on {Runtime}\n" +
        $"Embedding model: {EmbeddingModel} loaded; " +
        $"cos(honesty, truthfulness) = {SimilarPair:0.00} > cos(honesty, financial stability) = {UnrelatedPair:0.00}: {(EmbeddingsLookRight ? "OK" : "UNEXPECTED")}\n" +
        $"LLM: {Provider}" + (Problems.Count == 0 ? "" : "\nConfiguration problems:\n  - " + string.Join("\n  - ", Problems));
}

/// <summary>The environment check of chapter 00.</summary>
public static class EnvironmentCheck
{
    /// <summary>Loads the embedding model, embeds three probe phrases, and reads the LLM configuration from the environment.</summary>
    public static EnvironmentReport Run()
    {
        var version = typeof(EnvironmentCheck).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "?";
        var clock = Stopwatch.StartNew();
        var v = Embedder.Default.Embed(["honesty", "truthfulness", "financial stability"]);
        var seconds = clock.Elapsed.TotalSeconds;
        var config = LlmConfiguration.FromEnvironment();
        return new EnvironmentReport(
            version,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            $"{Embedder.ModelName} ({Embedder.Dimension}-d)",
            seconds,
            Embedder.Cosine(v[0], v[1]),
            Embedder.Cosine(v[0], v[2]),
            config.Describe(),
            config.IsSimulated,
            config.Problems);
    }
}
