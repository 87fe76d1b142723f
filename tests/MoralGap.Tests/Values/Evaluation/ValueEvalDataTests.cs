using MoralGap.Data;
using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Tests.Values.Evaluation;

public sealed class ValueEvalDataTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("valueeval-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string GoodArguments() => Write("arguments.tsv", "Argument ID\tConclusion\tStance\tPremise",
        "A1\tWe should ban fast food\tin favor of\tit is bad for your health", "A2\tWe should ban cloning\tagainst\tpeople should decide for themselves");

    [Fact]
    public void ReadsAndJoinsArgumentsAndLabels()
    {
        var labels = Write("labels.tsv", "Argument ID\tHedonism\tSecurity: personal", "A2\t1\t0", "A1\t0\t1");
        var set = ValueEvalData.Read(GoodArguments(), labels);
        Assert.Equal(["Hedonism", "Security: personal"], set.Categories);
        Assert.Equal(["A1", "A2"], set.Arguments.Select(a => a.Id));
        Assert.Equal([false, true], set.Labels[0]);
        Assert.Equal([true, false], set.Labels[1]);
        Assert.Equal("it is bad for your health", set.Texts()[0]);
    }

    [Fact]
    public void AMissingArgumentColumnNamesFileLineAndField()
    {
        var path = Write("arguments.tsv", "Argument ID\tConclusion\tPremise", "A1\tc\tp");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.ReadArguments(path));
        Assert.Equal((path, 1L, "Stance"), (e.File, e.Line, e.Field));
        Assert.Contains("arguments.tsv:1", e.Message);
    }

    [Fact]
    public void AMissingCategoryColumnNamesTheCategory()
    {
        var path = Write("labels.tsv", "Argument ID\tHedonism", "A1\t1");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.ReadLabels(path, ["Hedonism", "Tradition"]));
        Assert.Equal((1L, "Tradition"), (e.Line, e.Field));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("")]
    [InlineData("yes")]
    public void ACellThatIsNotZeroOrOneNamesLineAndColumn(string cell)
    {
        var path = Write("labels.tsv", "Argument ID\tHedonism\tTradition", "A1\t1\t0", $"A2\t0\t{cell}");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.ReadLabels(path));
        Assert.Equal((path, 3L, "Tradition"), (e.File, e.Line, e.Field));
        Assert.Contains("not 0 or 1", e.Message);
    }

    [Fact]
    public void AnArgumentWithoutLabelsNamesTheArgumentsLine()
    {
        var arguments = GoodArguments();
        var labels = Write("labels.tsv", "Argument ID\tHedonism", "A1\t1");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.Read(arguments, labels));
        Assert.Equal((arguments, 3L, ValueEvalData.IdColumn), (e.File, e.Line, e.Field));
        Assert.Contains("A2 has no labels", e.Message);
    }

    [Fact]
    public void LabelsWithoutAnArgumentNameTheLabelsLine()
    {
        var labels = Write("labels.tsv", "Argument ID\tHedonism", "A1\t1", "A2\t0", "A9\t1");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.Read(GoodArguments(), labels));
        Assert.Equal((labels, 4L, ValueEvalData.IdColumn), (e.File, e.Line, e.Field));
    }

    [Fact]
    public void ALineWithTooFewFieldsNamesTheFirstMissingField()
    {
        var path = Write("arguments.tsv", "Argument ID\tConclusion\tStance\tPremise", "A1\tc\tagainst");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.ReadArguments(path));
        Assert.Equal((2L, "Premise"), (e.Line, e.Field));
    }

    [Fact]
    public void ARepeatedIdIsAnError()
    {
        var path = Write("labels.tsv", "Argument ID\tHedonism", "A1\t1", "A1\t0");
        var e = Assert.Throws<DataFormatException>(() => ValueEvalData.ReadLabels(path));
        Assert.Equal((3L, ValueEvalData.IdColumn), (e.Line, e.Field));
    }

    [Fact]
    public void ReadsAValueEvalTaxonomyJsonAndTheLexicon()
    {
        var json = Write("cats.json", "{", "\"Hedonism\": {\"Have pleasure\": [\"making life enjoyable\", \"providing leisure\"]},",
            "\"Tradition\": {\"Be traditional\": [\"keeping customs\"], \"Be holding religious faith\": [\"following religious rules\"]}", "}");
        var tax = ValueCategories.Load(json);
        Assert.Equal(["Hedonism", "Tradition"], tax.Names);
        Assert.Equal(["Have pleasure", "making life enjoyable", "providing leisure"], tax.Categories[0].Phrases);
        Assert.Equal(["Be traditional", "Be holding religious faith"], tax.Categories[1].Values);

        var bad = Write("bad.json", "{", "\"Hedonism\": {\"Have pleasure\": \"making life enjoyable\"}", "}");
        var e = Assert.Throws<DataFormatException>(() => ValueCategories.Load(bad));
        Assert.Equal((2L, "Hedonism / Have pleasure"), (e.Line, e.Field));

        var lexicon = ValueCategories.Load(ValuesFixtures.SmallLexicon);
        Assert.Equal(6, lexicon.Count);
        Assert.All(lexicon.Categories, c => Assert.Equal(5, c.Phrases.Count));
    }
}
