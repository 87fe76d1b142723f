using MoralGap.Rewrite;

namespace MoralGap.Tests.Rewrite;

/// <summary>The "no first-person narration outside quoted speech" check, on good and bad text.</summary>
public class NarrationTests
{
    [Theory]
    [InlineData("The main actor told the brother \"I need the car myself.\"")]
    [InlineData("The main actor said “we are leaving” and left.")]
    [InlineData("Their house is small; the main actor's sister lives in the US.")]
    [InlineData("The main actor fought in World War I re-enactments.")]
    [InlineData("The main actor mined the old mines.")]
    public void Third_person_narration_with_first_person_only_in_quotes_passes(string text) =>
        Assert.True(Narration.HasNoFirstPersonNarration(text), string.Join(", ", Narration.FirstPersonOutsideQuotes(text)));

    [Theory]
    [InlineData("The main actor said no. I think that was fair.", "I")]
    [InlineData("the brother asked me for the car", "me")]
    [InlineData("The main actor took my car.", "my")]
    [InlineData("We split the rent.", "We")]
    [InlineData("The main actor and us went out.", "us")]
    [InlineData("Our manager laughed.", "Our")]
    [InlineData("The main actor said \"fine\" and then I’m leaving.", "I’m")]
    [InlineData("im tired of it", "im")]
    [InlineData("The decision was mine.", "mine")]
    [InlineData("i said no", "i")]
    public void First_person_narration_is_found(string text, string word)
    {
        var found = Narration.FirstPersonOutsideQuotes(text);
        Assert.Contains(found, f => f.Word == word);
        Assert.Equal(word, text.Substring(found.First(f => f.Word == word).Offset, word.Length));
    }

    [Fact]
    public void An_unclosed_quote_ends_at_its_paragraph_so_it_cannot_hide_the_rest_of_a_post()
    {
        const string text = "He said \"whatever, I don't care.\n\nI then left the party.";
        var found = Narration.FirstPersonOutsideQuotes(text);
        Assert.Single(found);
        Assert.Equal("I", found[0].Word);
        Assert.Equal(text.IndexOf("I then", StringComparison.Ordinal), found[0].Offset);
    }

    [Fact]
    public void Split_covers_every_character_and_marks_quotes()
    {
        const string text = "A \"b\" c “d” e";
        var spans = Narration.Split(text);
        Assert.Equal(text, string.Concat(spans.Select(s => s.Of(text))));
        Assert.Equal(["\"b\"", "“d”"], spans.Where(s => s.IsQuote).Select(s => s.Of(text)));
    }
}
