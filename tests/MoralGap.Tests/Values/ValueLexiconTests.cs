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
    [InlineData("value\tphrases", "line 1", "header")]
    [InlineData("value\tphrase\nIntegrity", "line 2", "1 tab-separated fields")]
    [InlineData("value\tphrase\nHonestyy\tshe lied", "line 2, field 'value'", "'Honestyy' is not one of the paper's 59 values")]
    [InlineData("value\tphrase\nIntegrity\t  ", "line 2, field 'phrase'", "empty")]
    public void BadLinesAreNamedByFileLineAndField(string content, string where, string what)
    {
        var e = Assert.Throws<InvalidDataException>(() => ValueLexicon.Parse(content.Split('\n'), "lex.tsv", minPhrasesPerValue: 1));
        Assert.StartsWith("lex.tsv", e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains(what, e.Message);
    }

    [Fact]
    public void TooFewPhrasingsAreReportedPerValue()
    {
        var lines = Good.Append("Privacy\tread her diary").ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ValueLexicon.Parse(lines, "lex.tsv"));
        Assert.Contains("fewer than 5 phrasings for Privacy (1, first on line 7)", e.Message);
        Assert.DoesNotContain("Integrity", e.Message);
    }

    [Fact]
    public void APhraseListedTwiceNamesBothLines()
    {
        var lines = Good.Append("Privacy\tShe lied").ToArray();
        var e = Assert.Throws<InvalidDataException>(() => ValueLexicon.Parse(lines, "lex.tsv", minPhrasesPerValue: 1));
        Assert.Contains("line 7", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void AllValuesCanBeRequiredAndMissingFilesAreNamed()
    {
        var e = Assert.Throws<InvalidDataException>(() => ValueLexicon.Load(ValuesFixtures.SmallLexicon, requireAllValues: true));
        Assert.Contains("no phrasings for 53 of the paper's values", e.Message);
        var missing = Path.Combine(ValuesFixtures.Folder, "no-such.tsv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => ValueLexicon.Load(missing)).Message);
    }
}
