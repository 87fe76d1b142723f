using DataFormatException = MoralGap.Data.DataFormatException;
using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class ValueLexiconTests
{
    private static readonly string[] Good =
        ["value\tphrase", "integrity\tshe lied", "Integrity\tkeep your word", "Integrity\tbe honest", "Integrity\ttell the truth", "Integrity\tno cheating"];

    [Fact]
    public void TheFixtureLoadsWithThePapersSpelling()
    {
        var lex = ValueLexicon.Load(ValuesFixtures.SmallLexicon);
        Assert.Equal(["Animal Welfare", "Family", "Integrity", "Privacy", "Respect for Time", "Safety"], lex.Values);
        Assert.Equal(30, lex.Entries.Count);
        Assert.Equal(5, lex.PhrasesOf("privacy").Count);
        Assert.Equal(3, lex.Entries[0].Line); // after a comment and the header
    }

    [Fact]
    public void ValueNamesAreCanonicalised()
    {
        var lex = ValueLexicon.Parse(Good, "inline");
        Assert.All(lex.Entries, e => Assert.Equal("Integrity", e.Value));
    }

    [Theory]
    [InlineData("value\tphrases", 1, null, "header")]
    [InlineData("value\tphrase\nIntegrity", 2, null, "1 tab-separated fields")]
    [InlineData("value\tphrase\nHonestyy\tshe lied", 2, "value", "'Honestyy' is not one of the paper's 59 values")]
    [InlineData("value\tphrase\nIntegrity\t  ", 2, "phrase", "empty")]
    public void BadLinesAreNamedByFileLineAndField(string content, int line, string? field, string what)
    {
        // the one lexicon reader (MoralGap.Values.ValueLexicon) reports with the project's DataFormatException
        var e = Assert.Throws<DataFormatException>(() => ValueLexicon.Parse(content.Split('\n'), "lex.tsv", minPhrasesPerValue: 1));
        Assert.StartsWith($"lex.tsv:{line}: ", e.Message);
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void TooFewPhrasingsAreReportedPerValue()
    {
        var lines = Good.Append("Privacy\tread her diary").ToArray();
        var e = Assert.Throws<DataFormatException>(() => ValueLexicon.Parse(lines, "lex.tsv"));
        Assert.Contains("fewer than 5 phrasings for Privacy (1, first on line 7)", e.Message);
        Assert.DoesNotContain("Integrity", e.Message);
    }

    [Fact]
    public void APhraseListedTwiceNamesBothLines()
    {
        var lines = Good.Append("Privacy\tShe lied").ToArray();
        var e = Assert.Throws<DataFormatException>(() => ValueLexicon.Parse(lines, "lex.tsv", minPhrasesPerValue: 1));
        Assert.Equal(7, e.Line);
        Assert.Contains("already appears on line 2", e.Message);
    }

    [Fact]
    public void AllValuesCanBeRequiredAndMissingFilesAreNamed()
    {
        var e = Assert.Throws<DataFormatException>(() => ValueLexicon.Load(ValuesFixtures.SmallLexicon, requireAllValues: true));
        Assert.Contains("no phrasings for 53 of the paper's values", e.Message);
        var missing = Path.Combine(ValuesFixtures.Folder, "no-such.tsv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => ValueLexicon.Load(missing)).Message);
    }

    [Fact]
    public void ByValueGivesEachPaperValueItsPhrasingsInFileOrder()
    {
        var lex = ValueLexicon.Parse(["value\tphrase", "Integrity\ttelling the truth", "Safety\tkeeping people safe", "integrity\tnot lying"], "inline", minPhrasesPerValue: 1);
        var byValue = lex.ByValue();
        Assert.Equal(MoralGap.Data.PaperValues.Count, byValue.Length);
        Assert.Equal(["telling the truth", "not lying"], byValue[MoralGap.Data.PaperValues.IndexOf("Integrity")]);
        Assert.Equal(["keeping people safe"], byValue[MoralGap.Data.PaperValues.IndexOf("Safety")]);
        Assert.Empty(byValue[MoralGap.Data.PaperValues.IndexOf("Tradition")]);
        Assert.Equal(3, lex.Count);
        Assert.Equal(4, lex[2].Line);
    }
}
