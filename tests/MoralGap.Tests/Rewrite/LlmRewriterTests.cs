using MoralGap.Data;
using MoralGap.Rewrite;

namespace MoralGap.Tests.Rewrite;

/// <summary>The LLM rewriter's prompt and how its answers are read.</summary>
public class LlmRewriterTests
{
    [Theory]
    [InlineData("Title: Not lending a car\nText: The main actor said no.\nThe brother took a bus.")]
    [InlineData("```\nTitle: Not lending a car\nText: The main actor said no.\nThe brother took a bus.\n```")]
    [InlineData("**Title:** Not lending a car\n\n**Text:** The main actor said no.\nThe brother took a bus.")]
    public void Answers_in_the_title_text_form_are_read(string raw)
    {
        var answer = LlmRewriter.Parse(raw);
        Assert.True(answer.Parsed);
        Assert.Equal("Not lending a car", answer.Title);
        Assert.Equal("The main actor said no.\nThe brother took a bus.", answer.Text);
        Assert.Equal(raw, answer.Raw);
    }

    [Theory]
    [InlineData("Sure! Here is the rewrite: the main actor said no.")]
    [InlineData("Title: Only a title")]
    [InlineData("Title: A title\nText:   ")]
    public void Other_answers_are_not_read(string raw)
    {
        var answer = LlmRewriter.Parse(raw);
        Assert.False(answer.Parsed);
        Assert.Equal("", answer.Text);
    }

    [Fact]
    public void The_prompt_carries_the_post_and_the_rules_and_the_retry_note_names_the_failures()
    {
        var prompt = LlmRewriter.BuildPrompt(new Dilemma("x", "AITA for leaving early?", "I left the party at nine.", "test"));
        Assert.Contains("\"the main actor\"", prompt);
        Assert.EndsWith("<post>\nTitle: AITA for leaving early?\nText: I left the party at nine.\n</post>", prompt);
        Assert.Contains("Add nothing", prompt);
        Assert.Equal("That rewrite failed these checks: verdict words (NTA); length ratio 2.10 outside 0.5–1.6. Rewrite the post again, fixing them, in the same form (Title: … / Text: …).",
            LlmRewriter.RetryNote(["verdict words (NTA)", "length ratio 2.10 outside 0.5–1.6"]));
    }

    [Fact]
    public void Temperatures_outside_zero_to_two_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlmRewriter(new MoralGap.Llm.SimulatedJudge(_ => 0.5), -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LlmRewriter(new MoralGap.Llm.SimulatedJudge(_ => 0.5), 2.5));
        Assert.Equal(0.2f, new LlmRewriter(new MoralGap.Llm.SimulatedJudge(_ => 0.5)).Options.Temperature);
    }
}
