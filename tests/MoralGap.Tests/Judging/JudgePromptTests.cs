using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Tests.Judging;

public class JudgePromptTests
{
    private static readonly Dilemma D = new("x1", "Skipping the wedding", "The main actor skipped her sister's wedding to attend a job interview.", "test");

    [Fact]
    public void The_prompt_casts_an_impartial_evaluator_and_fixes_the_two_line_answer()
    {
        var messages = JudgePrompt.Messages(D);
        Assert.Equal(ChatRole.System, messages[0].Role);
        Assert.Contains("impartial moral evaluator", messages[0].Text);
        var user = messages[1].Text;
        Assert.Contains("Evaluation: ACCEPTABLE or UNACCEPTABLE", user);
        Assert.Contains("Rationale:", user);
        var split = PromptConventions.SplitDilemma(user);
        Assert.NotNull(split);
        Assert.Equal("Skipping the wedding\n\n" + D.Text, split.Value.Dilemma);
        Assert.DoesNotContain("moral profile", user);
    }

    [Fact]
    public void A_profile_is_written_as_value_weight_lines_the_simulator_reads_back()
    {
        var user = JudgePrompt.UserText(D, [new("Loyalty", 0.40), new("Tradition", 0.30), new("Convenience", 0.30)]);
        Assert.Contains("- Loyalty: 0.40\n- Tradition: 0.30\n- Convenience: 0.30", user);
        var profile = SimulatedJudge.ProfileWeights(PromptConventions.SplitDilemma(user)!.Value.Outside)!;
        Assert.Equal(0.4, profile[PaperValues.IndexOf("Loyalty")], 9);
        Assert.Equal(0.3, profile[PaperValues.IndexOf("Tradition")], 9);
        Assert.Equal(0.3, profile[PaperValues.IndexOf("Convenience")], 9);
    }

    [Fact]
    public void Weights_outside_zero_one_are_rejected_with_the_value_named()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => JudgePrompt.UserText(D, [new("Loyalty", 1.5)]));
        Assert.Contains("Loyalty", e.Message);
    }
}
