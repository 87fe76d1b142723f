using MoralGap.Values;

namespace MoralGap.Tests.Values;

/// <summary>
/// One extractor over the small fixture lexicon, shared by the tests (embedding the lexicon once). Threshold 0.40:
/// measured on these tests' sentences, clauses that express a fixture value score 0.44–0.84 against their nearest
/// phrasing, clauses that do not score at most 0.36, and bare verdicts ("NTA") at most 0.27.
/// </summary>
public sealed class SmallLexiconExtractor
{
    public OfflineValueExtractor Extractor { get; } = OfflineValueExtractor.Create(ValuesFixtures.SmallLexicon, threshold: 0.4, cap: 3);
}

public class OfflineValueExtractorTests(SmallLexiconExtractor fixture) : IClassFixture<SmallLexiconExtractor>
{
    private readonly OfflineValueExtractor extractor = fixture.Extractor;

    [Theory]
    [InlineData("YTA. You read your wife's texts behind her back, that is a huge invasion of her privacy.", "Privacy")]
    [InlineData("NTA. He lied to you for months about the money.", "Integrity")]
    [InlineData("NTA, letting a drunk friend drive home could have killed someone.", "Safety")]
    [InlineData("YTA. She showed up three hours late and wasted everyone's time.", "Respect for Time")]
    [InlineData("YTA, you left the dog alone in a hot car.", "Animal Welfare")]
    public void FindsTheValueARationaleAppealsTo(string rationale, string value)
    {
        var found = extractor.Extract(rationale);
        Assert.Contains(value, found.Select(e => e.Value));
        foreach (var e in found)
        {
            Assert.Equal(e.Text, e.Span!.Value.Of(rationale));
            Assert.InRange(e.Score!.Value, extractor.Threshold, 1.0);
        }
    }

    [Fact]
    public void FindsNothingInTextWithoutAValue()
    {
        Assert.Empty(extractor.Extract("The train leaves at seven on Tuesdays."));
        Assert.Empty(extractor.Extract(""));
    }

    [Fact]
    public void CapsTheNumberOfValuesAndReportsEachValueOnceInReadingOrder()
    {
        var rationale = "YTA. You lied to your sister. You went through her phone. You drove drunk with the kids in the car. "
            + "You kept everyone waiting for hours. You lied to her again.";
        var all = new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, threshold: 0.4, cap: 10).Extract(rationale);
        Assert.True(all.Count >= 4, string.Join("; ", all));
        Assert.Equal(all.Count, all.Select(e => e.Value).Distinct().Count());
        Assert.Equal(all.OrderBy(e => e.Span!.Value.Start), all);

        var capped = new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, threshold: 0.4, cap: 2).Extract(rationale);
        Assert.Equal(2, capped.Count);
        var top2 = all.OrderByDescending(e => e.Score).Take(2).ToHashSet();
        Assert.All(capped, e => Assert.Contains(e, top2));
    }

    [Fact]
    public void AHigherThresholdNeverFindsMore()
    {
        string[] rationales = ["NTA. He lied to you.", "YTA, the dog deserved better and you knew it.", "ESH, nobody here talked to each other."];
        var loose = new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, threshold: 0.3, cap: 5).ExtractMany(rationales);
        var strict = new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, threshold: 0.7, cap: 5).ExtractMany(rationales);
        for (var i = 0; i < rationales.Length; i++)
            Assert.True(strict[i].Count <= loose[i].Count);
        Assert.True(loose.Sum(l => l.Count) > strict.Sum(l => l.Count));
    }

    [Fact]
    public void ExtractManyMatchesExtractOneByOne()
    {
        string[] rationales = ["NTA. He lied to you.", "", "YTA. You read her diary without asking."];
        var many = extractor.ExtractMany(rationales);
        Assert.Equal(rationales.Length, many.Count);
        for (var i = 0; i < rationales.Length; i++) Assert.Equal(extractor.Extract(rationales[i]), many[i]);
    }

    [Fact]
    public void FlattenKeepsTheRationaleOfEachExpression()
    {
        string[] rationales = ["NTA. He lied to you.", "The train leaves at seven.", "YTA, you went through her phone and you lied about it."];
        var flat = ValueExtraction.Flatten(extractor.ExtractMany(rationales));
        Assert.Equal(flat.Select(f => f.Rationale).Order(), flat.Select(f => f.Rationale));
        Assert.DoesNotContain(flat, f => f.Rationale == 1);
        Assert.Contains(flat, f => f.Rationale == 2 && f.Expression.Value == "Privacy");
        Assert.All(flat, f => Assert.Equal(f.Expression.Text, f.Expression.Span!.Value.Of(rationales[f.Rationale])));
    }

    [Fact]
    public void BadArgumentsSayWhatIsWrong()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, threshold: 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OfflineValueExtractor(extractor.Lexicon, extractor.Embedder, cap: 0));
        Assert.Contains("Rationale 1", Assert.Throws<ArgumentException>(() => extractor.ExtractMany(["ok", null!])).Message);
    }
}
