using System.Text.Json.Nodes;
using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>
/// Recorded judgment logs of other studies (<see cref="RecordedJudgments"/>): what goes in comes back out of the dataset
/// folder exactly, every malformed record is named by file, line and field, and unknown dilemmas are a counted skip.
/// </summary>
public class RecordedJudgmentsTests
{
    private const string Model = "gpt-x";

    /// <summary>Three dilemmas with human votes: d1 3 YTA + 1 NTA, d2 2 NTA, d3 1 YTA (7 human judgments).</summary>
    private static string SmallDataset(Fixture f, string name = "ds")
    {
        var dilemmas = new[]
        {
            new Dilemma("d1", "One", "Story one.", "test"),
            new Dilemma("d2", "Two", "Story two.", "test"),
            new Dilemma("d3", "Three", "Story three.", "test"),
        };
        Judgment H(string id, string label, int i) =>
            new(id, DilemmaDataset.Human, label, label == "YTA" ? Verdict.Unacceptable : Verdict.Acceptable, "", i);
        var judgments = new[]
        {
            H("d1", "YTA", 0), H("d1", "YTA", 1), H("d1", "YTA", 2), H("d1", "NTA", 3),
            H("d2", "NTA", 0), H("d2", "NTA", 1),
            H("d3", "YTA", 0),
        };
        var folder = f.PathOf(name);
        new DilemmaDataset(dilemmas, judgments, "small", "three dilemmas for tests").Save(folder);
        return folder;
    }

    private const string RoundTripJsonl =
        """
        {"post_id": "d1", "cond": "vanilla", "sample": 0, "unacceptable": 1}
        {"post_id": "d1", "cond": "vanilla", "sample": 1, "unacceptable": 0}
        {"post_id": "d1", "cond": "vanilla", "sample": 2, "unacceptable": null}
        {"post_id": "d2", "cond": "vanilla", "sample": 0, "unacceptable": 1}
        {"post_id": "d1", "cond": "elicit", "sample": 0, "p_unacc": 0.25}
        {"post_id": "d1", "cond": "elicit", "sample": 1, "p_unacc": null}
        {"post_id": "d2", "cond": "elicit", "sample": 0, "p_unacc": 1}

        """;

    /// <summary>The same seven records as <see cref="RoundTripJsonl"/>, as a CSV with both answer columns (an empty cell is a null).</summary>
    private const string RoundTripCsv =
        "post_id,cond,sample,unacceptable,p_unacc\n" +
        "d1,vanilla,0,1,\n" +
        "d1,vanilla,1,0,\n" +
        "d1,vanilla,2,,\n" +
        "d2,vanilla,0,1,\n" +
        "d1,elicit,0,,0.25\n" +
        "d1,elicit,1,,\n" +
        "d2,elicit,0,,1\n";

    private static Judgment[] RoundTripExpected(string model = Model) =>
    [
        new("d1", model, "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "vanilla"),
        new("d1", model, "ACCEPTABLE", Verdict.Acceptable, "", 1, "vanilla"),
        new("d1", model, Judgment.UnreadableLabel, null, "", 2, "vanilla"),
        new("d2", model, "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "vanilla"),
        new("d1", model, Judgment.ShareLabel, null, "", 0, "elicit", 0.25),
        new("d1", model, Judgment.ShareLabel, null, "", 1, "elicit", null),
        new("d2", model, Judgment.ShareLabel, null, "", 0, "elicit", 1.0),
    ];

    private static Judgment[] ModelJudgments(DilemmaDataset ds, string model = Model) => ds.Judgments.Where(j => j.Author == model).ToArray();

    // ------------------------------------------------------------------ round trip

    [Fact]
    public void JsonlLogRoundTripsThroughTheDatasetFolder()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var log = f.Write("log.jsonl", RoundTripJsonl);

        var report = RecordedJudgments.ImportInto(folder, log, RecordedFormat.Jsonl, Model);

        Assert.Equal(7, report.Lines);
        Assert.Equal(7, report.Added);
        Assert.Equal(2, report.Failures);   // the null verdict and the null share
        Assert.Equal(Model, report.Model);
        Assert.Equal([("vanilla", "verdict", 4L), ("elicit", "share", 3L)], report.ByCondition);
        Assert.Empty(report.UnknownIds);
        Assert.Equal(0, report.SkippedLines);
        Assert.Equal(0, report.Replaced);

        var ds = DilemmaDataset.Load(folder);
        Assert.Equal(RoundTripExpected(), ModelJudgments(ds));
        Assert.Equal(7, ds.Judgments.Count(j => j.Author == DilemmaDataset.Human));   // people untouched
        Assert.All(ds.Judgments.Where(j => j.Author == DilemmaDataset.Human), j => Assert.Null(j.Condition));
        var share = ModelJudgments(ds).Where(j => j.Condition == "elicit").ToArray();
        Assert.All(share, j => Assert.True(j.IsShare));
        Assert.All(ModelJudgments(ds).Where(j => j.Condition == "vanilla"), j => Assert.False(j.IsShare));

        var manifest = DatasetManifest.Read(folder);
        Assert.Equal(DilemmaDataset.SchemaVersion, manifest.SchemaVersion);
        Assert.Equal(2, manifest.SchemaVersion);
        Assert.Equal(3, manifest.Files[DilemmaDataset.DilemmasFile]);
        Assert.Equal(14, manifest.Files[DilemmaDataset.JudgmentsFile]);
        Assert.Equal("small", manifest.Name);
        Assert.Equal("three dilemmas for tests", manifest.Description);
        Assert.Contains("\"schemaVersion\": 2", File.ReadAllText(Path.Combine(folder, DatasetManifest.FileName)));

        // The report prints what was added, per condition and kind.
        var text = report.ToString();
        Assert.Contains("7 records read, 7 judgments added (2 recorded failures)", text);
        Assert.Contains("vanilla (verdict): 4", text);
        Assert.Contains("elicit (share): 3", text);
    }

    [Fact]
    public void CsvLogGivesTheSameJudgmentsAsTheJsonlLog()
    {
        using var f = new Fixture();
        var fromJsonl = SmallDataset(f, "a");
        var fromCsv = SmallDataset(f, "b");
        var jReport = RecordedJudgments.ImportInto(fromJsonl, f.Write("log.jsonl", RoundTripJsonl), RecordedFormat.Jsonl, Model);
        var cReport = RecordedJudgments.ImportInto(fromCsv, f.Write("log.csv", RoundTripCsv), RecordedFormat.Csv, Model);

        Assert.Equal(RoundTripExpected(), ModelJudgments(DilemmaDataset.Load(fromCsv)));
        Assert.Equal(ModelJudgments(DilemmaDataset.Load(fromJsonl)), ModelJudgments(DilemmaDataset.Load(fromCsv)));
        Assert.Equal(jReport.ByCondition, cReport.ByCondition);
        Assert.Equal(jReport.Failures, cReport.Failures);
        Assert.Equal(File.ReadAllText(Path.Combine(fromJsonl, DilemmaDataset.JudgmentsFile)), File.ReadAllText(Path.Combine(fromCsv, DilemmaDataset.JudgmentsFile)));
    }

    [Fact]
    public void CsvLogWithOnlyTheShareColumnReadsNullSharesAsShareFailures()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var csv = f.Write("share.csv", "post_id,cond,sample,p_unacc\nd1,elicit,0,0.25\nd1,elicit,1,\nd2,elicit,0,1\n");
        var report = RecordedJudgments.ImportInto(folder, csv, RecordedFormat.Csv, Model);
        Assert.Equal(1, report.Failures);
        Assert.Equal(RoundTripExpected().Where(j => j.Condition == "elicit"), ModelJudgments(DilemmaDataset.Load(folder)));
    }

    [Fact]
    public void AlternateSpellingsLabelsBooleansAndImplicitSamplesAreRead()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var log = f.Write("alt.jsonl",
            """
            {"dilemma_id": "d1", "condition": "persona", "verdict": "UNACCEPTABLE"}
            {"dilemma_id": "d1", "condition": "persona", "verdict": "NTA"}
            {"dilemmaId": "d1", "condition": "persona", "verdict": true}
            {"dilemma_id": "d2", "condition": "persona", "sample": 5, "verdict": false}
            {"dilemma_id": "d2", "condition": "persona", "verdict": "**yta**."}
            {"dilemma_id": "d3", "condition": "persona", "verdict": "ESH"}
            {"dilemma_id": "d3", "condition": "persona", "verdict": "acceptable"}
            {"dilemma_id": "d1", "condition": "ask", "share": "0.5"}
            {"dilemma_id": "d3", "condition": "ask", "sample_index": 2, "share": 0}
            """);

        var report = RecordedJudgments.ImportInto(folder, log, RecordedFormat.Jsonl, "llama");

        Assert.Equal(0, report.Failures);
        Assert.Equal([("persona", "verdict", 7L), ("ask", "share", 2L)], report.ByCondition);
        Judgment[] expected =
        [
            new("d1", "llama", "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "persona"),
            new("d1", "llama", "NTA", Verdict.Acceptable, "", 1, "persona"),
            new("d1", "llama", "UNACCEPTABLE", Verdict.Unacceptable, "", 2, "persona"),
            new("d2", "llama", "ACCEPTABLE", Verdict.Acceptable, "", 5, "persona"),
            new("d2", "llama", "YTA", Verdict.Unacceptable, "", 6, "persona"),          // next after the explicit 5
            new("d3", "llama", "ESH", Verdict.Unacceptable, "", 0, "persona"),          // ESH maps to UNACCEPTABLE
            new("d3", "llama", "ACCEPTABLE", Verdict.Acceptable, "", 1, "persona"),
            new("d1", "llama", Judgment.ShareLabel, null, "", 0, "ask", 0.5),
            new("d3", "llama", Judgment.ShareLabel, null, "", 2, "ask", 0.0),
        ];
        Assert.Equal(expected, ModelJudgments(DilemmaDataset.Load(folder), "llama"));
    }

    [Fact]
    public void CsvAlternateSpellingsAndWordVerdictsAreRead()
    {
        using var f = new Fixture();
        var ids = new HashSet<string> { "d1", "d2" };
        var csv = f.Write("alt.csv", "dilemma_id,condition,verdict\nd1,plain,TRUE\nd1,plain,false\nd2,plain,Unacceptable\nd2,plain,nah\nd2,plain,null\n");
        var (judgments, report) = RecordedJudgments.Read(csv, RecordedFormat.Csv, "m", ids);
        Judgment[] expected =
        [
            new("d1", "m", "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "plain"),
            new("d1", "m", "ACCEPTABLE", Verdict.Acceptable, "", 1, "plain"),
            new("d2", "m", "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "plain"),
            new("d2", "m", "NAH", Verdict.Acceptable, "", 1, "plain"),
            new("d2", "m", Judgment.UnreadableLabel, null, "", 2, "plain"),
        ];
        Assert.Equal(expected, judgments);
        Assert.Equal(1, report.Failures);
        Assert.Equal(5, report.Lines);
    }

    // ------------------------------------------------------------------ replace

    [Fact]
    public void AModelAlreadyInTheFolderIsRefusedAndTheFolderIsLeftUnchanged()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var log = f.Write("log.jsonl", RoundTripJsonl);
        RecordedJudgments.ImportInto(folder, log, RecordedFormat.Jsonl, Model);
        var jPath = Path.Combine(folder, DilemmaDataset.JudgmentsFile);
        var before = File.ReadAllBytes(jPath);
        var manifestBefore = File.ReadAllText(Path.Combine(folder, DatasetManifest.FileName));

        var e = Assert.Throws<DataFormatException>(() => RecordedJudgments.ImportInto(folder, log, RecordedFormat.Jsonl, Model));

        Assert.Equal(Path.GetFullPath(jPath), Path.GetFullPath(e.File));
        Assert.Equal(8, e.Line);              // 7 human lines, then the first line by the model
        Assert.Equal("author", e.Field);
        Assert.Contains($"already has judgments by '{Model}'", e.Reason);
        Assert.Contains("--replace", e.Reason);
        Assert.Equal(before, File.ReadAllBytes(jPath));
        Assert.Equal(manifestBefore, File.ReadAllText(Path.Combine(folder, DatasetManifest.FileName)));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp-*"));
    }

    [Fact]
    public void ReplaceSwapsOneModelsJudgmentsAndKeepsEveryoneElses()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        RecordedJudgments.ImportInto(folder, f.Write("log.jsonl", RoundTripJsonl), RecordedFormat.Jsonl, Model);
        RecordedJudgments.ImportInto(folder, f.Write("other.jsonl", "{\"post_id\":\"d3\",\"cond\":\"vanilla\",\"unacceptable\":0}\n"), RecordedFormat.Jsonl, "other");
        var corrected = f.Write("corrected.jsonl",
            "{\"post_id\":\"d2\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":0}\n{\"post_id\":\"d3\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":1}\n");

        var report = RecordedJudgments.ImportInto(folder, corrected, RecordedFormat.Jsonl, Model, replace: true);

        Assert.Equal(7, report.Replaced);
        Assert.Equal(2, report.Added);
        Assert.Contains($"replaced 7 earlier judgments of '{Model}'", report.ToString());
        var ds = DilemmaDataset.Load(folder);
        Assert.Equal(
            [new Judgment("d2", Model, "ACCEPTABLE", Verdict.Acceptable, "", 0, "vanilla"), new Judgment("d3", Model, "UNACCEPTABLE", Verdict.Unacceptable, "", 0, "vanilla")],
            ModelJudgments(ds));
        Assert.Equal([new Judgment("d3", "other", "ACCEPTABLE", Verdict.Acceptable, "", 0, "vanilla")], ModelJudgments(ds, "other"));
        Assert.Equal(7, ds.Judgments.Count(j => j.Author == DilemmaDataset.Human));
        Assert.Equal(10, DatasetManifest.Read(folder).Files[DilemmaDataset.JudgmentsFile]);

        // replace for a model not yet present is a plain import
        var fresh = RecordedJudgments.ImportInto(folder, corrected, RecordedFormat.Jsonl, "newcomer", replace: true);
        Assert.Equal(0, fresh.Replaced);
        Assert.Equal(2, ModelJudgments(DilemmaDataset.Load(folder), "newcomer").Length);
    }

    // ------------------------------------------------------------------ schema versions

    [Fact]
    public void AVersionOneFolderStillLoadsAndAnImportUpgradesIt()
    {
        using var f = new Fixture();
        var sample = Path.Combine(TestPaths.RepoRoot, "data", "sample");
        var copy = f.PathOf("v1");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(sample)) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        var mPath = Path.Combine(copy, DatasetManifest.FileName);
        var m = JsonNode.Parse(File.ReadAllText(mPath))!;
        m["schemaVersion"] = 1;
        File.WriteAllText(mPath, m.ToJsonString());

        var ds = DilemmaDataset.Load(copy);
        Assert.Equal(120, ds.Dilemmas.Count);
        Assert.Equal(3840, ds.Judgments.Count);
        Assert.All(ds.Judgments, j => { Assert.Null(j.Condition); Assert.Null(j.Share); Assert.Equal(Judgment.Vanilla, j.ConditionOrVanilla); });
        Assert.True(ds.HasText);
        Assert.Equal(1, DatasetManifest.Read(copy).SchemaVersion);

        var log = f.Write("v1log.jsonl", "{\"post_id\":\"s001\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":1}\n");
        RecordedJudgments.ImportInto(copy, log, RecordedFormat.Jsonl, Model);
        var upgraded = DatasetManifest.Read(copy);
        Assert.Equal(2, upgraded.SchemaVersion);
        Assert.Equal(3841, upgraded.Files[DilemmaDataset.JudgmentsFile]);
        Assert.Equal(m["description"]!.GetValue<string>(), upgraded.Description);
        Assert.Equal(3841, DilemmaDataset.Load(copy).Judgments.Count);
    }

    [Fact]
    public void ASchemaVersionNewerThanTheLibraryIsRefusedByName()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var mPath = Path.Combine(folder, DatasetManifest.FileName);
        var m = JsonNode.Parse(File.ReadAllText(mPath))!;
        m["schemaVersion"] = DilemmaDataset.SchemaVersion + 1;
        File.WriteAllText(mPath, m.ToJsonString());
        var e = Assert.Throws<DataFormatException>(() => DilemmaDataset.Load(folder));
        Assert.Equal("schemaVersion", e.Field);
        Assert.Contains("not supported", e.Reason);
    }

    // ------------------------------------------------------------------ bad input

    public static TheoryData<string, string, string, int, string?, string> BadInputs() => new()
    {
        // name, file name, content, line, field, reason fragment
        { "broken JSON line", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":1}\n{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":\n", 2, null, "not valid JSON" },
        { "line is not an object", "log.jsonl", "[1, 2]\n", 1, null, "expected a JSON object" },
        { "missing id", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":1}\n\n{\"cond\":\"vanilla\",\"unacceptable\":1}\n", 3, "post_id", "missing (none of post_id, dilemma_id, dilemmaId)" },
        { "null id", "log.jsonl", "{\"post_id\":null,\"cond\":\"vanilla\",\"unacceptable\":1}\n", 1, "post_id", "post_id is null" },
        { "id of the wrong type", "log.jsonl", "{\"post_id\":{\"a\":1},\"cond\":\"vanilla\",\"unacceptable\":1}\n", 1, "post_id", "expected a string, found object" },
        { "missing condition", "log.jsonl", "{\"post_id\":\"d1\",\"unacceptable\":1}\n", 1, "cond", "missing (none of cond, condition)" },
        { "empty condition", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"  \",\"unacceptable\":1}\n", 1, "cond", "empty condition" },
        { "no answer field", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":0}\n", 1, null, "no answer field" },
        { "verdict 2", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":2}\n", 1, "unacceptable", "not a verdict: '2'" },
        { "verdict maybe", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"verdict\":\"maybe\"}\n", 1, "verdict", "not a verdict: 'maybe'" },
        { "share 1.5", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"elicit\",\"p_unacc\":1.5}\n", 1, "p_unacc", "share 1.5 is outside [0, 1]" },
        { "share -0.1", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"elicit\",\"share\":-0.1}\n", 1, "share", "share -0.1 is outside [0, 1]" },
        { "share not a number", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"elicit\",\"p_unacc\":\"lots\"}\n", 1, "p_unacc", "not a share: 'lots'" },
        { "both verdict and share", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"x\",\"unacceptable\":1,\"p_unacc\":0.4}\n", 1, "p_unacc", "both a verdict (unacceptable) and a stated share" },
        { "mixed kinds in one condition", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":1}\n{\"post_id\":\"d2\",\"cond\":\"vanilla\",\"p_unacc\":0.4}\n", 2, "p_unacc", "condition 'vanilla' mixes verdicts and stated shares (line 1 has a verdict, this one a share)" },
        { "duplicate sample", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":1}\n{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":1,\"unacceptable\":1}\n{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":0}\n", 3, "sample", "dilemma 'd1', condition 'vanilla', sample 0 is already on line 1" },
        { "duplicate of an implicit sample", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"unacceptable\":1}\n{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":0,\"unacceptable\":0}\n", 2, "sample", "sample 0 is already on line 1" },
        { "negative sample", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":-1,\"unacceptable\":1}\n", 1, "sample", "not a sample index (a whole number ≥ 0): '-1'" },
        { "non-integer sample", "log.jsonl", "{\"post_id\":\"d1\",\"cond\":\"vanilla\",\"sample\":1.5,\"unacceptable\":1}\n", 1, "sample", "not a sample index (a whole number ≥ 0): '1.5'" },
        { "csv verdict 2", "log.csv", "post_id,cond,sample,unacceptable\nd1,vanilla,0,1\nd1,vanilla,1,2\n", 3, "unacceptable", "not a verdict: '2'" },
        { "csv share 1.5", "log.csv", "post_id,cond,sample,p_unacc\nd1,elicit,0,1.5\n", 2, "p_unacc", "outside [0, 1]" },
        { "csv unterminated quote", "log.csv", "post_id,cond,sample,unacceptable\nd1,vanilla,0,1\nd1,\"vanilla,1,0\nd2,vanilla,0,1\n", 3, "cond", "unreadable CSV" },
        { "csv stray quote", "log.csv", "post_id,cond,sample,unacceptable\nd1,van\"illa,0,1\n", 2, "cond", "unreadable CSV" },
        { "csv missing condition column", "log.csv", "post_id,sample,unacceptable\nd1,0,1\n", 2, "cond", "missing (none of cond, condition)" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInputNamesFileLineFieldAndReason(string name, string file, string content, int line, string? field, string reason)
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var path = f.Write(file, content);
        var before = File.ReadAllBytes(Path.Combine(folder, DilemmaDataset.JudgmentsFile));
        var format = file.EndsWith(".csv", StringComparison.Ordinal) ? RecordedFormat.Csv : RecordedFormat.Jsonl;

        var e = Assert.Throws<DataFormatException>(() => RecordedJudgments.ImportInto(folder, path, format, Model));

        Assert.True(path == e.File, $"{name}: file {e.File}");
        Assert.True(line == e.Line, $"{name}: line {e.Line} ({e.Message})");
        Assert.True(field == e.Field, $"{name}: field '{e.Field}' ({e.Message})");
        Assert.True(e.Reason.Contains(reason, StringComparison.Ordinal), $"{name}: reason '{e.Reason}'");
        Assert.StartsWith($"{file}:{line}: ", e.Message);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(folder, DilemmaDataset.JudgmentsFile)));   // nothing written
    }

    [Fact]
    public void UnknownDilemmaIdsAreACountedSkipThatListsThem()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var log = f.Write("log.jsonl",
            """
            {"post_id": "d1", "cond": "vanilla", "sample": 0, "unacceptable": 1}
            {"post_id": "zz9", "cond": "vanilla", "sample": 0, "unacceptable": 1}
            {"post_id": "zz9", "cond": "vanilla", "sample": 1, "unacceptable": null}
            {"post_id": "yy1", "cond": "vanilla", "sample": 0, "unacceptable": 0}
            {"post_id": "d2", "cond": "vanilla", "sample": 0, "unacceptable": null}
            """);

        var report = RecordedJudgments.ImportInto(folder, log, RecordedFormat.Jsonl, Model);

        Assert.Equal(5, report.Lines);
        Assert.Equal(2, report.Added);
        Assert.Equal(1, report.Failures);   // only the known dilemma's failure counts
        Assert.Equal(3, report.SkippedLines);
        Assert.Equal(["yy1", "zz9"], report.UnknownIds);
        Assert.Equal([("vanilla", "verdict", 2L)], report.ByCondition);
        Assert.Contains("skipped 3 records of 2 dilemma id(s) not in the dataset: yy1, zz9", report.ToString());
        var ds = DilemmaDataset.Load(folder);
        Assert.Equal(["d1", "d2"], ModelJudgments(ds).Select(j => j.DilemmaId));
    }

    [Fact]
    public void ArgumentsAreChecked()
    {
        using var f = new Fixture();
        var folder = SmallDataset(f);
        var log = f.Write("log.jsonl", RoundTripJsonl);
        var ids = new HashSet<string> { "d1" };
        Assert.Throws<ArgumentException>(() => RecordedJudgments.Read(log, RecordedFormat.Jsonl, DilemmaDataset.Human, ids));
        Assert.Throws<ArgumentException>(() => RecordedJudgments.Read(log, RecordedFormat.Jsonl, " ", ids));
        Assert.Throws<FileNotFoundException>(() => RecordedJudgments.Read(f.PathOf("nope.jsonl"), RecordedFormat.Jsonl, Model, ids));
        Assert.Throws<FileNotFoundException>(() => RecordedJudgments.ImportInto(f.PathOf("not-a-dataset"), log, RecordedFormat.Jsonl, Model));
        Assert.Equal(RecordedFormat.Jsonl, RecordedJudgments.ParseFormat("recorded-jsonl"));
        Assert.Equal(RecordedFormat.Csv, RecordedJudgments.ParseFormat(" Recorded-CSV "));
        Assert.Throws<ArgumentException>(() => RecordedJudgments.ParseFormat("xml"));
    }
}
