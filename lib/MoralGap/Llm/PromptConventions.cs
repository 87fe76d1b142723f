using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using MoralGap.Data;

namespace MoralGap.Llm;

/// <summary>A value and its weight in a moral profile (Dynamic Moral Profiling puts e.g. Loyalty 0.40 into the prompt).</summary>
/// <param name="Value">A value name, normally one of <see cref="PaperValues.Names"/>.</param>
/// <param name="Weight">Its weight in [0, 1].</param>
public sealed record ValueWeight(string Value, double Weight)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Value} {Weight.ToString("0.00", CultureInfo.InvariantCulture)}";
}

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

    /// <summary>
    /// The moral profile written in a prompt: every value of <see cref="PaperValues.Names"/> that stands with a weight
    /// outside the dilemma block (the judgment prompt's lines <c>- Loyalty: 0.40</c>, and also <c>Tradition (0.30)</c>,
    /// <c>Convenience 30%</c>, <c>Care = .2</c>), in order of appearance, with the canonical value name and the weight as
    /// written (a percentage, or a number above 1, is read as per cent; weights outside [0, 1] are not read). Text inside
    /// the dilemma delimiters is ignored, so a story cannot fake a profile; a text without a dilemma block is read whole.
    /// Longer names are matched first, so "Marital Respect 0.5" is not also "Respect". Empty when no value has a weight.
    /// <para>This is the project's one profile reader: the simulated judge reads the profile with it, and tests read back
    /// what <c>MoralGap.Judging.JudgePrompt.FormatProfile</c> wrote.</para>
    /// </summary>
    public static IReadOnlyList<ValueWeight> ParseProfile(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var buffer = new StringBuilder(SplitDilemma(prompt)?.Outside ?? prompt);
        var found = new List<(int Position, ValueWeight Weight)>();
        foreach (var (name, pattern) in ProfilePatterns)
        {
            foreach (Match m in pattern.Matches(buffer.ToString()))
            {
                if (!double.TryParse(m.Groups["w"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var w)) continue;
                if (m.Groups["pct"].Success || w > 1) w /= 100.0;
                if (w is < 0 or > 1) continue;
                found.Add((m.Index, new ValueWeight(name, w)));
                for (var i = m.Index; i < m.Index + m.Length; i++) buffer[i] = ' '; // longer names first: "Marital Respect" is not also "Respect"
            }
        }
        return found.OrderBy(f => f.Position).Select(f => f.Weight).ToList();
    }

    private static readonly (string Name, Regex Pattern)[] ProfilePatterns = PaperValues.Names
        .OrderByDescending(n => n.Length)
        .Select(n => (n, new Regex(@"(?<![A-Za-z])" + Regex.Escape(n) + @"\s*(?::|=|\(|-|–)?\s*(?<w>\d*\.\d+|\d+)\s*(?<pct>%)?\)?",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)))
        .ToArray();
}
