using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

/// <summary>The DMP prompts are the one judgment prompt (<see cref="JudgePrompt"/>), plus the profile for DMP.</summary>
public class DmpPromptTests
{
    private static readonly Dilemma D = new("x1", "Skipping the wedding", "The main actor skipped her sister's wedding to attend a job interview.", "test");
    private static readonly IReadOnlyList<ValueWeight> Thirds = [new("Loyalty", 1 / 3.0), new("Tradition", 1 / 3.0), new("Convenience", 1 / 3.0)];

    [Fact]
    public void Vanilla_is_the_judgment_prompt_as_the_simulated_judge_reads_it()
    {
        Assert.Equal(JudgePrompt.Text(D), DmpPrompt.Vanilla(D));
        Assert.Equal(string.Join("\n\n", JudgePrompt.Messages(D).Select(m => m.Text)), DmpPrompt.Vanilla(D));
        Assert.StartsWith(JudgePrompt.System, DmpPrompt.Vanilla(D));
        Assert.DoesNotContain(JudgePrompt.ProfileHeader, DmpPrompt.Vanilla(D));
    }

    [Fact]
    public void Dmp_prompt_is_the_vanilla_prompt_plus_the_profile_block_and_nothing_else()
    {
        var dmp = DmpPrompt.WithProfile(D, Thirds);
        // weights rounded for display so the shown ones sum to 1.00 (0.34 + 0.33 + 0.33)
        var block = JudgePrompt.ProfileHeader + "\n- Loyalty: 0.34\n- Tradition: 0.33\n- Convenience: 0.33\n\n";
        Assert.Contains(block, dmp);
        Assert.Equal(DmpPrompt.Vanilla(D), dmp.Replace(block, ""));
        Assert.Equal(JudgePrompt.Text(D, MoralProfiles.RoundForDisplay(Thirds)), dmp);
        Assert.Equal(MoralProfiles.RoundForDisplay(Thirds), PromptConventions.ParseProfile(dmp));
        Assert.Empty(PromptConventions.ParseProfile(DmpPrompt.Vanilla(D)));
        Assert.Throws<ArgumentException>(() => DmpPrompt.WithProfile(D, []));
    }

    [Fact]
    public void Every_prompt_ends_with_the_same_dilemma_block()
    {
        var block = PromptConventions.DilemmaBlock(D);
        Assert.Equal("<dilemma>\nSkipping the wedding\n\n" + D.Text + "\n</dilemma>", block);
        Assert.EndsWith(block, DmpPrompt.Vanilla(D));
        Assert.EndsWith(block, DmpPrompt.WithProfile(D, Thirds));
        Assert.EndsWith(block, DmpPrompt.DirectElicitation(D));
        Assert.DoesNotContain("\r", DmpPrompt.DirectElicitation(D));
    }

    [Fact]
    public async Task The_answer_parser_reads_the_simulated_answers_to_both_prompts_and_the_judge_sees_the_profile_only_in_DMP()
    {
        var judge = new SimulatedJudge(_ => 0.4, new SimulatedJudgeOptions(Seed: 2));
        foreach (var prompt in new[] { DmpPrompt.Vanilla(D), DmpPrompt.WithProfile(D, Thirds) })
            for (var i = 0; i < 20; i++)
            {
                var answer = judge.Answer(prompt, i);
                var parsed = AnswerParser.Parse(answer);
                Assert.Equal(OutcomeKind.Ok, parsed.Kind);
                Assert.Equal(parsed.Verdict, ResponseParsing.ParseVerdict(answer));
                Assert.False(string.IsNullOrWhiteSpace(parsed.Rationale));
            }
        Assert.Null(SimulatedJudge.ProfileWeights(PromptConventions.SplitDilemma(DmpPrompt.Vanilla(D))!.Value.Outside));
        var seen = SimulatedJudge.ProfileWeights(PromptConventions.SplitDilemma(DmpPrompt.WithProfile(D, Thirds))!.Value.Outside)!;
        Assert.Equal(0.34, seen[PaperValues.IndexOf("Loyalty")], 9);
        // Sent as messages (the judgment collector) or as one string (the DMP runner): the same simulated answer.
        var asMessages = await judge.GetResponseAsync(JudgePrompt.Messages(D), new ChatOptions { Seed = 5 });
        var asString = await judge.GetResponseAsync(DmpPrompt.Vanilla(D), new ChatOptions { Seed = 5 });
        Assert.Equal(asMessages.Text, asString.Text);
    }
}
