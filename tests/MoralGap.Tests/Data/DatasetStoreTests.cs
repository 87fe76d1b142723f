using MoralGap.Data;

namespace MoralGap.Tests.Data;

public class DatasetStoreTests
{
    private static DilemmaDataset Small() => new(
        [new Dilemma("d1", "Title", "Text with \"quotes\", ünïcode and a\nnewline.", "sample", "family"), new Dilemma("d2", "T2", "Text two.", "sample")],
        [new Judgment("d1", "human", "YTA", Verdict.Unacceptable, "YTA because.", 0), new Judgment("d1", "human", "INFO", null, "", 1),
         new Judgment("d2", "gpt-4o", "ACCEPTABLE", Verdict.Acceptable, "Fine.", 0)],
        "small", "a test dataset");

    [Fact]
    public void SaveAndLoadRoundTripEveryField()
    {
        using var f = new Fixture();
        var ds = Small();
        ds.Save(f.Dir);
        var back = DilemmaDataset.Load(f.Dir);
        Assert.Equal(ds.Dilemmas, back.Dilemmas);
        Assert.Equal(ds.Judgments, back.Judgments);
        Assert.Equal(("small", "a test dataset"), (back.Name, back.Description));
        var m = DatasetManifest.Read(f.Dir);
        Assert.Equal(DilemmaDataset.SchemaVersion, m.SchemaVersion);
        Assert.Equal(2, m.Files["dilemmas.jsonl"]);
        Assert.Equal(3, m.Files["judgments.jsonl"]);
        Assert.Equal(3, File.ReadAllLines(f.PathOf("judgments.jsonl")).Length);
        Assert.Contains("\"verdict\":\"unacceptable\"", File.ReadAllText(f.PathOf("judgments.jsonl")));
        Assert.Empty(Directory.GetFiles(f.Dir, "*.tmp-*")); // atomic writes leave no temp files
    }

    [Fact]
    public void FilesOfLaterStagesStayListedInTheManifest()
    {
        using var f = new Fixture();
        Small().Save(f.Dir);
        File.WriteAllText(f.PathOf("values.jsonl"), "{}\n");
        DatasetManifest.Read(f.Dir).WithFile("values.jsonl", 1).Write(f.Dir);
        Small().Save(f.Dir);
        Assert.Equal(1, DatasetManifest.Read(f.Dir).Files["values.jsonl"]);
    }

    [Fact]
    public async Task AsyncReadStreamsTheSameRecords()
    {
        using var f = new Fixture();
        Small().Save(f.Dir);
        var list = new List<Judgment>();
        await foreach (var j in JsonlStore.ReadAsync<Judgment>(f.PathOf("judgments.jsonl"))) list.Add(j);
        Assert.Equal(Small().Judgments, list);
    }

    [Theory]
    [InlineData("judgments.jsonl", "{\"dilemmaId\":\"d1\",\"author\":\"human\",\"rawLabel\":\"YTA\",\"verdict\":\"unacceptable\",\"rationale\":\"x\"}", 2, "sampleIndex")]
    [InlineData("judgments.jsonl", "{\"dilemmaId\":\"d1\",\"author\":\"human\",\"rawLabel\":\"YTA\",\"verdict\":\"maybe\",\"rationale\":\"x\",\"sampleIndex\":0}", 2, "verdict")]
    [InlineData("judgments.jsonl", "{\"dilemmaId\":\"d1\",\"author\":null,\"rawLabel\":\"YTA\",\"verdict\":null,\"rationale\":\"x\",\"sampleIndex\":0}", 2, "author")]
    [InlineData("judgments.jsonl", "{\"dilemmaId\":\"zz\",\"author\":\"h\",\"rawLabel\":\"YTA\",\"verdict\":null,\"rationale\":\"x\",\"sampleIndex\":0}", 2, "dilemmaId")]
    [InlineData("judgments.jsonl", "{\"dilemmaId\":\"d1\",\"author\":\"h\",", 2, null)]
    [InlineData("dilemmas.jsonl", "{\"id\":\"d1\",\"title\":\"again\",\"text\":\"t\",\"source\":\"s\"}", 3, "id")]
    [InlineData("dilemmas.jsonl", "{\"id\":\"d3\",\"title\":5,\"text\":\"t\",\"source\":\"s\"}", 3, "title")]
    public void AppendedBadLinesAreNamedByFileLineAndField(string file, string badLine, long line, string? field)
    {
        using var f = new Fixture();
        Small().Save(f.Dir);
        var lines = File.ReadAllLines(f.PathOf(file)).ToList();
        lines.Insert((int)line - 1, badLine);
        File.WriteAllLines(f.PathOf(file), lines);
        var e = Assert.Throws<DataFormatException>(() => DilemmaDataset.Load(f.Dir));
        Assert.Equal(file, Path.GetFileName(e.File));
        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void APartialCopyDisagreesWithTheManifest()
    {
        using var f = new Fixture();
        Small().Save(f.Dir);
        File.WriteAllLines(f.PathOf("judgments.jsonl"), File.ReadAllLines(f.PathOf("judgments.jsonl")).Take(2));
        var e = Assert.Throws<DataFormatException>(() => DilemmaDataset.Load(f.Dir));
        Assert.Equal("files.judgments.jsonl", e.Field);
    }

    [Fact]
    public void AFutureSchemaVersionIsRefused()
    {
        using var f = new Fixture();
        Small().Save(f.Dir);
        File.WriteAllText(f.PathOf("manifest.json"), File.ReadAllText(f.PathOf("manifest.json")).Replace($"\"schemaVersion\": {DilemmaDataset.SchemaVersion}", "\"schemaVersion\": 99"));
        Assert.Equal("schemaVersion", Assert.Throws<DataFormatException>(() => DilemmaDataset.Load(f.Dir)).Field);
    }

    [Fact]
    public void ConstructorRefusesDuplicateIdsAndOrphanJudgments()
    {
        var d = new Dilemma("d1", "T", "x", "s");
        Assert.Throws<ArgumentException>(() => new DilemmaDataset([d, d], []));
        Assert.Throws<ArgumentException>(() => new DilemmaDataset([d], [new Judgment("d9", "h", "YTA", Verdict.Unacceptable, "", 0)]));
    }

    [Fact]
    public void LoadSampleFindsTheRepositoryFolderAndSummarisesIt()
    {
        var ds = DilemmaDataset.LoadSample();
        Assert.Equal("sample", ds.Name);
        Assert.Equal(Path.Combine(TestPaths.RepoRoot, "data", "sample"), ds.Folder);
        Assert.Contains("[0.9,1.0]:", ds.ToString());
        Assert.Throws<DirectoryNotFoundException>(() => DilemmaDataset.LoadSample(Path.Combine(TestPaths.RepoRoot, "no-such-folder")));
    }
}
