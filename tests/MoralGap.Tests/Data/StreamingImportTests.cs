using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>
/// <see cref="Importers.ImportTo"/> (candidates spilled to disk, memory flat) must keep exactly what the in-memory
/// <see cref="Importers.Import(ImportFormat, IReadOnlyList{string}, ImportOptions?)"/> keeps, on every format.
/// </summary>
public class StreamingImportTests
{
    private static readonly ImportOptions Paper = ImportOptions.Paper with { Seed = 11 };

    /// <summary>Judgments keyed the way both paths number them: (dilemma, author, sample index).</summary>
    private static List<Judgment> Canonical(IEnumerable<Judgment> js) =>
        js.OrderBy(j => j.DilemmaId, StringComparer.Ordinal).ThenBy(j => j.Author, StringComparer.Ordinal).ThenBy(j => j.SampleIndex).ToList();

    private static DilemmaDataset AssertSameAsInMemory(ImportFormat format, string[] inputs, ImportOptions options, string outDir)
    {
        var memory = Importers.Import(format, inputs, options);
        var summary = Importers.ImportTo(outDir, format, inputs, options);
        var loaded = DilemmaDataset.Load(outDir);
        Assert.Equal(memory.Report.ToString(), summary.Report.ToString());
        Assert.Equal(memory.Dilemmas, loaded.Dilemmas);
        Assert.Equal(Canonical(memory.Judgments), Canonical(loaded.Judgments));
        Assert.Equal(loaded.Distributions(), summary.Human);
        Assert.Equal(new DirectoryInfo(outDir).Name, loaded.Name);
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(Path.GetFullPath(outDir))!, ".import-spill-*"));
        return loaded;
    }

    [Fact]
    public void AGeneratedRedditDumpStreamsToTheSameDatasetAsInMemory()
    {
        using var f = new Fixture();
        var (subs, coms) = (f.PathOf("RS.jsonl"), f.PathOf("RC.jsonl"));
        var truth = RedditDumpGenerator.Write(subs, coms, targetBytes: 3_000_000, seed: 5, commentsPerSubmission: 120);

        var all = AssertSameAsInMemory(ImportFormat.Reddit, [subs, coms], ImportOptions.KeepAll, f.PathOf("all"));
        // What the generator planted: every top-level comment with a binary verdict on a live submission, once.
        var expected = truth.Kept.Where(kv => kv.Value > 0).ToDictionary();
        var got = all.Distributions().ToDictionary(d => d.DilemmaId, d => d.N);
        Assert.Equal(expected.OrderBy(kv => kv.Key), got.OrderBy(kv => kv.Key));

        var paper = AssertSameAsInMemory(ImportFormat.Reddit, [subs, coms], Paper, f.PathOf("paper"));
        Assert.Equal(expected.Count(kv => kv.Value >= 32), paper.Dilemmas.Count);
        Assert.InRange(paper.Dilemmas.Count, 3, expected.Count - 1); // the skew leaves some posts under 32
        Assert.All(paper.Distributions(), d => Assert.Equal(32, d.N));
    }

    [Fact]
    public void VotesScruplesAndPairedStreamToTheSameDatasetAsInMemory()
    {
        using var f = new Fixture();
        var rng = new Random(3);
        var votes = f.Write("v.csv", "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\n" + string.Concat(Enumerable.Range(0, 40).Select(i =>
        {
            int[] c = [rng.Next(30), rng.Next(40), rng.Next(5), rng.Next(5)];
            return $"v{i},T{i},\"Story {i}, told.\",{c[0]},{c[1]},{c[2]},{c[3]},{c.Sum()}\n";
        })));
        AssertSameAsInMemory(ImportFormat.VotesCsv, [votes], Paper, f.PathOf("votes"));

        var scruples = f.Write("s.jsonl", string.Concat(Enumerable.Range(0, 30).Select(i =>
            $"{{\"id\":\"s{i}\",\"title\":\"T\",\"text\":\"Story {i}.\",\"label_scores\":{{\"AUTHOR\":{rng.Next(30)},\"OTHER\":{rng.Next(30)},\"EVERYBODY\":{rng.Next(4)},\"NOBODY\":{rng.Next(4)},\"INFO\":{rng.Next(3)}}}}}\n")));
        AssertSameAsInMemory(ImportFormat.Scruples, [scruples], Paper, f.PathOf("scruples"));

        var paired = f.Write("p.csv", "dilemma_id,title,text,author,verdict,rationale\n" + string.Concat(Enumerable.Range(0, 60).Select(i =>
            $"d{i % 7},T,Story {i % 7}.,{(i % 3 == 0 ? "gpt-4o" : "human")},{(rng.Next(2) == 0 ? "NTA" : "YTA")},reason {i}\n")));
        AssertSameAsInMemory(ImportFormat.Paired, [paired], ImportOptions.KeepAll with { Subsample = 4, MinJudgments = 2 }, f.PathOf("paired"));
    }

    [Fact]
    public void MalformedInputWritesNothingAndLeavesNoSpill()
    {
        using var f = new Fixture();
        var subs = f.Write("RS.jsonl", "{\"id\":\"p1\",\"title\":\"T\",\"selftext\":\"Story.\"}\n");
        var coms = f.Write("RC.jsonl", "{\"id\":\"c1\",\"link_id\":\"t3_p1\",\"parent_id\":\"t3_p1\",\"body\":\"NTA ok\"}\n{\"id\":\"c2\",\"link_id\":\"t3_p1\",\"parent_id\":\"t3_p1\",\"body\":\n");
        var e = Assert.Throws<DataFormatException>(() => Importers.ImportTo(f.PathOf("out"), ImportFormat.Reddit, [subs, coms], ImportOptions.KeepAll));
        Assert.Contains("RC.jsonl:2", e.Message);
        Assert.False(Directory.Exists(f.PathOf("out")));
        Assert.Empty(Directory.GetDirectories(f.Dir, ".import-spill-*"));
    }

    [Fact]
    public void ProgressReachesTheEndOfEveryFile()
    {
        using var f = new Fixture();
        var (subs, coms) = (f.PathOf("RS.jsonl"), f.PathOf("RC.jsonl"));
        RedditDumpGenerator.Write(subs, coms, targetBytes: 400_000, seed: 2);
        var seen = new List<ImportProgress>();
        Importers.ImportTo(f.PathOf("out"), ImportFormat.Reddit, [subs, coms], ImportOptions.KeepAll, progress: new MoralGap.Notebooks.InlineProgress<ImportProgress>(seen.Add));
        foreach (var path in new[] { subs, coms })
        {
            var last = seen.Last(p => p.File == path);
            Assert.Equal(new FileInfo(path).Length, last.BytesRead);
            Assert.Equal(File.ReadLines(path).Count(), last.Records);
        }
    }

    [Theory]
    [InlineData("a", "0a")]
    [InlineData("fx1abcd", "fx1abce")]
    [InlineData("zzzzzzzzzzzz", "zzzzzzzzzzz")]
    public void DistinctCommentIdsStayDistinct(string a, string b)
    {
        var set = new Importers.CommentIdSet();
        Assert.True(set.Add(a));
        Assert.True(set.Add(b));
        Assert.False(set.Add(a));
        Assert.False(set.Add(b));
        Assert.True(set.Add("Not-Base36!"));
        Assert.False(set.Add("Not-Base36!"));
        Assert.Equal(3, set.Count);
    }
}
