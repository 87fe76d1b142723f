using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Tests.Llm;

namespace MoralGap.Tests.Judging;

/// <summary>Dilemmas with a planted verdict the fake server answers with, and fake-server answer styles.</summary>
internal static class JudgingTestData
{
    public static IReadOnlyList<Dilemma> Dilemmas(int count) => Enumerable.Range(0, count)
        .Select(i => new Dilemma($"d{i:00}", $"Story {i}", $"The main actor did thing number {i}. Planted: {(i % 3 == 0 ? "U" : "A")}.", "test"))
        .ToArray();

    public static Verdict Planted(Dilemma d) => d.Text.Contains("Planted: U", StringComparison.Ordinal) ? Verdict.Unacceptable : Verdict.Acceptable;

    public static Verdict PlantedInPrompt(string prompt) => prompt.Contains("Planted: U", StringComparison.Ordinal) ? Verdict.Unacceptable : Verdict.Acceptable;

    /// <summary>A well-formed answer in one of several styles real models use (chosen by the request number).</summary>
    public static FakeReply.Answer Answer(FakeRequest request)
    {
        var word = PromptConventions.Word(PlantedInPrompt(request.UserText));
        return (request.Number % 4) switch
        {
            0 => new($"Evaluation: {word}\nRationale: It shows respect for the family."),
            1 => new($"**Evaluation:** {word.ToLowerInvariant()}\n**Rationale:** Honesty matters here."),
            2 => new($"Rationale: The actor was fair to everyone.\nEvaluation: {word}"),
            _ => new($"Sure, here is my judgment.\n\n## Evaluation: {word}\n## Rationale: Loyalty and care.\n\nLet me know if you need more."),
        };
    }

    public static JudgmentCollectionOptions FastOptions(ResponseCache? cache, int samples) => new()
    {
        Samples = samples,
        Concurrency = 6,
        Cache = cache,
        Retry = new LlmRetryOptions(MaxRetries: 8, BaseDelay: TimeSpan.FromMilliseconds(1), MaxDelay: TimeSpan.FromMilliseconds(20), AttemptTimeout: TimeSpan.FromMilliseconds(400)),
    };

    public static string TempFolder(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "moralgap-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }
}
