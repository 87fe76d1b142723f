using DataFormatException = MoralGap.Data.DataFormatException;
using MoralGap.Values;

namespace MoralGap.Tests.Values;

/// <summary>The colloquial phrasings join the main lexicon for matching (<see cref="ValueLexicon.WithPhrasings"/>).</summary>
public class ColloquialLexiconTests
{
    private static string Write(string name, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"moralgap-{Guid.NewGuid():N}-{name}");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public void AddedPhrasingsAreAppendedAndMayBeFewPerValue()
    {
        var extra = Write("extra.tsv", "value\tphrase\nPrivacy\tsnooping through his phone\n");
        var lex = ValueLexicon.Load(ValuesFixtures.SmallLexicon).WithPhrasings(extra);
        Assert.Equal(31, lex.Entries.Count);
        Assert.Equal(6, lex.PhrasesOf("Privacy").Count);
        Assert.Equal("snooping through his phone", lex.Entries[^1].Phrase);
        Assert.EndsWith(extra, lex.Source);
    }

    [Fact]
    public void APhrasingAlreadyInTheMainLexiconIsAnErrorNamingFileAndLine()
    {
        var main = ValueLexicon.Load(ValuesFixtures.SmallLexicon);
        var dup = main.Entries[2].Phrase.ToUpperInvariant();
        var extra = Write("dup.tsv", $"value\tphrase\nPrivacy\tsnooping through his phone\n{main.Entries[2].Value}\t{dup}\n");
        var e = Assert.Throws<DataFormatException>(() => main.WithPhrasings(extra));
        Assert.Equal(3, e.Line);
        Assert.Equal("phrase", e.Field);
        Assert.Contains("already in", e.Message);
    }

    [Fact]
    public void TheProjectsColloquialFileLoadsOnTopOfTheProjectsLexicon()
    {
        var root = TestPaths.RepoRoot;
        var main = ValueLexicon.Load(Path.Combine(root, "data", "value-lexicon.tsv"));
        var both = main.WithPhrasings(Path.Combine(root, "data", "value-lexicon-colloquial.tsv"));
        Assert.True(both.Entries.Count > main.Entries.Count + 50, $"{both.Entries.Count} vs {main.Entries.Count}");
        Assert.All(both.Values, v => Assert.Contains(v, MoralGap.Data.PaperValues.Names));
    }
}
