using MoralGap.Rewrite;

namespace MoralGap.Tests.Rewrite;

/// <summary>The anchored / length / verdict-word checks on good and bad rewrites.</summary>
public class RewriteChecksTests
{
    private const string OriginalTitle = "AITA for not lending my car to my brother?";
    private const string OriginalText = "My brother asked to borrow my car for an interview. I said no because last time he returned it with an empty tank. He said \"I promise I'll fill it up\" but I needed it that morning.";

    private const string GoodTitle = "Not lending the main actor's car to a brother";
    private const string GoodText = "The main actor's brother asked to borrow the main actor's car for an interview. The main actor said no because last time he returned it with an empty tank. He said \"I promise I'll fill it up\" but the main actor needed it that morning.";

    [Fact]
    public void A_faithful_third_person_rewrite_passes_every_check()
    {
        var check = RewriteChecks.Check(OriginalTitle, OriginalText, GoodTitle, GoodText);
        Assert.True(check.Passed, string.Join("; ", check.Failures));
        Assert.True(check.Anchored);
        Assert.InRange(check.LengthRatio, 1.0, 1.6);
        Assert.Empty(check.Failures);
    }

    [Fact]
    public void A_rewrite_that_keeps_the_first_person_is_not_anchored()
    {
        var check = RewriteChecks.Check(OriginalTitle, OriginalText, GoodTitle, GoodText.Replace("The main actor said no", "I said no"));
        Assert.False(check.Anchored);
        Assert.False(check.Passed);
        Assert.Equal(["I"], check.FirstPerson);
        Assert.Contains(check.Failures, f => f.StartsWith("first-person narration left (I)"));
    }

    [Fact]
    public void A_rewrite_that_never_names_the_main_actor_is_not_anchored()
    {
        var check = RewriteChecks.Check(OriginalTitle, OriginalText, "Not lending a car", "A person's brother asked to borrow the person's car for an interview. The person said no because last time he returned it with an empty tank, and the person needed it.");
        Assert.False(check.NamesMainActor);
        Assert.Contains("does not name \"the main actor\"", check.Failures);
    }

    [Fact]
    public void Too_short_and_too_long_rewrites_fail_the_length_check()
    {
        var shortCheck = RewriteChecks.Check(OriginalTitle, OriginalText, "A car", "The main actor refused a car.");
        Assert.False(shortCheck.LengthInRange);
        Assert.True(shortCheck.LengthRatio < 0.5);
        var padded = GoodText + " " + string.Join(" ", Enumerable.Repeat("The main actor also had a long history of helping the family in many other ways.", 4));
        var longCheck = RewriteChecks.Check(OriginalTitle, OriginalText, GoodTitle, padded);
        Assert.False(longCheck.LengthInRange);
        Assert.True(longCheck.LengthRatio > 1.6);
        Assert.Contains(longCheck.Failures, f => f.StartsWith("length ratio"));
        Assert.True(RewriteChecks.Check(OriginalTitle, OriginalText, GoodTitle, padded, new RewriteCheckOptions(0.5, 3)).LengthInRange);
    }

    [Theory]
    [InlineData("The main actor asks: AITA?", "AITA")]
    [InlineData("In the end the main actor was NTA.", "NTA")]
    [InlineData("The main actor's behaviour is UNACCEPTABLE.", "UNACCEPTABLE")]
    [InlineData("Everyone thinks the main actor is an asshole.", "asshole")]
    [InlineData("WIBTA if the main actor left?", "WIBTA")]
    [InlineData("INFO: the main actor has a car.", "INFO")]
    public void Verdict_words_in_the_narration_fail(string text, string word)
    {
        var check = RewriteChecks.Check(OriginalTitle, text, "A title", text);
        Assert.Contains(word, check.VerdictWords);
        Assert.False(check.Passed);
    }

    [Theory]
    [InlineData("The brother shouted \"you're an asshole\" at the main actor.")]
    [InlineData("The main actor asked for more info about the trip.")]
    [InlineData("The main actor thought the offer was acceptable.")]
    public void Quoted_speech_and_ordinary_words_are_not_verdict_words(string text) =>
        Assert.Empty(RewriteChecks.VerdictWordsIn(text));
}
