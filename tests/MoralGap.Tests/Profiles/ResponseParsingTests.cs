using MoralGap.Data;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class ResponseParsingTests
{
    [Theory]
    [InlineData("35%", 0.35)]
    [InlineData("0.35", 0.35)]
    [InlineData(".35", 0.35)]
    [InlineData("Roughly 40 percent of people", 0.40)]
    [InlineData("Share: 62\nRationale: 1 reason.", 0.62)]
    [InlineData("Share: **35 %**\nRationale: Most people would side with the actor.", 0.35)]
    [InlineData("Probably 30-40% would object.", 0.35)]
    [InlineData("About 1/3 of readers.", 1.0 / 3.0)]
    [InlineData("12 out of 32 people", 0.375)]
    [InlineData("Share: 100%", 1.0)]
    [InlineData("0", 0.0)]
    public void ParseShare_ReadsPercentagesFractionsAndDecimals(string text, double expected)
    {
        var p = ResponseParsing.ParseShare(text);
        Assert.NotNull(p);
        Assert.Equal(expected, p!.Value, 9);
    }

    [Theory]
    [InlineData("about a third")]
    [InlineData("Most people, I think.")]
    [InlineData("")]
    [InlineData("Share: 250%")]
    public void ParseShare_ReturnsNullForWordsAndOutOfRange(string text) => Assert.Null(ResponseParsing.ParseShare(text));

    [Theory]
    [InlineData("Evaluation: UNACCEPTABLE\nRationale: Lying hurts trust.", Verdict.Unacceptable)]
    [InlineData("**Evaluation:** acceptable\n**Rationale:** fine.", Verdict.Acceptable)]
    [InlineData("Evaluation: ACCEPTABLE\nRationale: it is not UNACCEPTABLE to say no.", Verdict.Acceptable)]
    [InlineData("The behaviour is not acceptable.", Verdict.Unacceptable)]
    [InlineData("UNACCEPTABLE", Verdict.Unacceptable)]
    [InlineData("I cannot decide.", null)]
    [InlineData("It could be acceptable or unacceptable.", null)]
    public void ParseVerdict_IsTolerant(string text, Verdict? expected) => Assert.Equal(expected, ResponseParsing.ParseVerdict(text));

    [Fact]
    public void ParseRationale_TakesTheRationaleLine()
    {
        Assert.Equal("Lying hurts trust.", ResponseParsing.ParseRationale("Evaluation: UNACCEPTABLE\nRationale: Lying hurts trust."));
        Assert.Equal("No format here.", ResponseParsing.ParseRationale("No format here."));
    }
}
