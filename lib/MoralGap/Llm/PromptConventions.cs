using MoralGap.Data;

namespace MoralGap.Llm;

/// <summary>
/// The textual conventions shared by the judgment prompt (MoralGap.Judging.JudgePrompt), the answer parser and the
/// <see cref="SimulatedJudge"/>: where the dilemma sits in a prompt, how a moral profile is written, and the two answer
/// labels. They live in the Llm stage so that the simulated judge (an <c>IChatClient</c>) can read prompts without
/// depending on the later Judging stage.
/// </summary>
public static class PromptConventions
{
    /// <summary>The line that opens the dilemma block in a judgment prompt.</summary>
    public const string DilemmaStart = "<dilemma>";

    /// <summary>The line that closes the dilemma block in a judgment prompt.</summary>
    public const string DilemmaEnd = "</dilemma>";

    /// <summary>The label of the first answer line: <c>Evaluation: ACCEPTABLE</c> or <c>Evaluation: UNACCEPTABLE</c>.</summary>
    public const string EvaluationLabel = "Evaluation";

    /// <summary>The label of the second answer line: <c>Rationale: …</c>.</summary>
    public const string RationaleLabel = "Rationale";

    /// <summary>The answer word for <see cref="Verdict.Acceptable"/>.</summary>
    public const string Acceptable = "ACCEPTABLE";

    /// <summary>The answer word for <see cref="Verdict.Unacceptable"/>.</summary>
    public const string Unacceptable = "UNACCEPTABLE";

    /// <summary>The text of a dilemma as it appears between the delimiters: the title, a blank line, the text.</summary>
    public static string DilemmaContent(Dilemma dilemma)
    {
        ArgumentNullException.ThrowIfNull(dilemma);
        return string.IsNullOrWhiteSpace(dilemma.Title) ? dilemma.Text.Trim() : dilemma.Title.Trim() + "\n\n" + dilemma.Text.Trim();
    }

    /// <summary>
    /// The dilemma block of a prompt: <see cref="DilemmaStart"/>, the <see cref="DilemmaContent"/>, <see cref="DilemmaEnd"/>,
    /// one per line. Every prompt that carries a dilemma (the judgment prompt, DMP, direct elicitation) ends with it.
    /// </summary>
    public static string DilemmaBlock(Dilemma dilemma) => DilemmaStart + "\n" + DilemmaContent(dilemma) + "\n" + DilemmaEnd;

    /// <summary>The answer word for a verdict.</summary>
    public static string Word(Verdict verdict) => verdict == Verdict.Unacceptable ? Unacceptable : Acceptable;

    /// <summary>
    /// The dilemma content between <see cref="DilemmaStart"/> and <see cref="DilemmaEnd"/> in <paramref name="prompt"/>,
    /// and the prompt text outside the block; <c>null</c> when the prompt has no dilemma block.
    /// </summary>
    public static (string Dilemma, string Outside)? SplitDilemma(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var start = prompt.IndexOf(DilemmaStart, StringComparison.OrdinalIgnoreCase);
        if (start < 0) return null;
        var end = prompt.IndexOf(DilemmaEnd, start + DilemmaStart.Length, StringComparison.OrdinalIgnoreCase);
        if (end < 0) return null;
        var inner = prompt[(start + DilemmaStart.Length)..end].Trim();
        var outside = prompt[..start] + "\n" + prompt[(end + DilemmaEnd.Length)..];
        return (inner, outside);
    }
}
