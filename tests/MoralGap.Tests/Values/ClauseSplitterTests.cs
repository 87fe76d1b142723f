using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class ClauseSplitterTests
{
    [Fact]
    public void SplitsSentencesThenClausesAtPunctuationAndConnectives()
    {
        var text = "NTA. She lied to you, and that broke your trust. You kept your promise because family matters to you.";
        Assert.Equal(
            ["NTA", "She lied to you", "and that broke your trust", "You kept your promise", "because family matters to you"],
            ClauseSplitter.SplitText(text));
    }

    [Fact]
    public void ShortPiecesStayWithTheirNeighbour()
    {
        Assert.Equal(["She was honest and kind to everyone"], ClauseSplitter.SplitText("She was honest and kind to everyone."));
        Assert.Equal(["Tired but happy", "they went home early"], ClauseSplitter.SplitText("Tired but happy, they went home early."));
        Assert.Equal(["You paid for it", "and you should keep it"], ClauseSplitter.SplitText("You paid for it and you should keep it."));
        Assert.Equal(["It is between you and your daughter"], ClauseSplitter.SplitText("It is between you and your daughter."));
    }

    [Fact]
    public void AVerdictIsAClauseOfItsOwn() =>
        Assert.Equal(["YTA", "you left the dog alone in a hot car"], ClauseSplitter.SplitText("YTA, you left the dog alone in a hot car."));

    [Fact]
    public void AbbreviationsDoNotEndASentenceButLineBreaksDo()
    {
        var text = "Talk to her first, e.g. over dinner with the kids\nYTA";
        Assert.Equal(["Talk to her first", "e.g. over dinner with the kids", "YTA"], ClauseSplitter.SplitText(text));
    }

    [Fact]
    public void SpansPointIntoTheRationale()
    {
        var text = "  yta.   you ignored   her boundaries!! but you apologised — which counts for something.  ";
        foreach (var s in ClauseSplitter.Split(text))
        {
            var clause = s.Of(text);
            Assert.Equal(clause.Trim(), clause);
            Assert.True(char.IsLetterOrDigit(clause[0]) && char.IsLetterOrDigit(clause[^1]), $"'{clause}' keeps punctuation at an edge");
        }
        Assert.Contains("you ignored   her boundaries", ClauseSplitter.SplitText(text));
        Assert.Empty(ClauseSplitter.Split("  ... !! "));
    }
}
