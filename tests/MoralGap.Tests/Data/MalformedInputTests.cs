using System.Text;
using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>
/// Bad input, table-driven: every case must either raise a <see cref="DataFormatException"/> naming the file, the
/// line and (when one is at fault) the field, or finish with the damage counted in the report, the report balanced.
/// </summary>
public class MalformedInputTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>What a case must produce.</summary>
    public sealed record Expect(string? File = null, long Line = -1, string? Field = null, string? Skip = null, int Count = 1, int? Kept = null, string? Note = null)
    {
        public bool IsError => File is not null;
        public static Expect Error(string file, long line, string? field = null) => new(file, line, field);
        public static Expect Skipped(string reason, int count = 1, int? kept = null) => new(Skip: reason, Count: count, Kept: kept);
        public static Expect Ok(int kept, string? note = null) => new(Kept: kept, Note: note);
    }

    public sealed record Case(string Name, string Format, (string Name, byte[] Bytes)[] Files, Expect Expect, ImportOptions? Options = null)
    {
        public override string ToString() => Name;
    }

    private static byte[] U(string s) => new UTF8Encoding(false).GetBytes(s);
    private static byte[] Cat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
    private const string H = "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\n";
    private const string Row = "ok1,Fine,A fine story.,1,2,0,0,3\n";
    private const string P = "dilemma_id,title,text,author,verdict,rationale\n";
    private const string Sub = "{\"id\":\"p1\",\"title\":\"T\",\"selftext\":\"A story.\"}\n";
    private static string Sc(string id, string text, string scores) => $"{{\"id\":\"{id}\",\"title\":\"T\",\"text\":\"{text}\",\"label_scores\":{scores}}}\n";
    private const string Scores = "{\"AUTHOR\":1,\"OTHER\":2,\"EVERYBODY\":0,\"NOBODY\":0,\"INFO\":0}";
    private static string Com(string id, string body, string link = "t3_p1", string parent = "t3_p1", string author = "u") =>
        $"{{\"id\":\"{id}\",\"link_id\":\"{link}\",\"parent_id\":\"{parent}\",\"body\":\"{body}\",\"author\":\"{author}\"}}\n";
    private static readonly string FiveMb = new('x', 5 * 1024 * 1024);

    public static IEnumerable<object[]> Cases() => new Case[]
    {
        // ---- votes CSV
        new("csv unterminated quote", "votes-csv", [("v.csv", U(H + Row + "b1,\"Broken title,Some text.,1,1,0,0,2\nc1,T,Text.,1,0,0,0,1\n"))], Expect.Error("v.csv", 3, "title")),
        new("csv stray quote in an unquoted field", "votes-csv", [("v.csv", U(H + "b1,Ti\"tle,Text.,1,1,0,0,2\n"))], Expect.Error("v.csv", 2, "title")),
        new("csv missing column", "votes-csv", [("v.csv", U("post_id,title,text,n_yta,n_nta,n_esh,n_total\nb1,T,Text.,1,1,0,2\n"))], Expect.Error("v.csv", 1, "n_nah")),
        new("csv count is not a number", "votes-csv", [("v.csv", U(H + Row + "b1,T,Text.,lots,1,0,0,2\n"))], Expect.Error("v.csv", 3, "n_yta")),
        new("csv negative count", "votes-csv", [("v.csv", U(H + "b1,T,Text.,1,-4,0,0,-3\n"))], Expect.Error("v.csv", 2, "n_nta")),
        new("csv empty count", "votes-csv", [("v.csv", U(H + "b1,T,Text.,1,,0,0,1\n"))], Expect.Error("v.csv", 2, "n_nta")),
        new("csv zero votes", "votes-csv", [("v.csv", U(H + Row + "b1,T,Text.,0,0,0,0,0\n"))], Expect.Skipped("no votes", 1, kept: 1)),
        new("csv total differs from the counts", "votes-csv", [("v.csv", U(H + "b1,T,Text.,1,1,0,0,5\n"))], Expect.Skipped("n_total differs from the sum of the counts")),
        new("csv non-UTF-8 bytes", "votes-csv", [("v.csv", Cat(U(H + Row + "b1,T,Caf"), [0xE9], U(" text.,1,1,0,0,2\n")))], Expect.Error("v.csv", 3, "text")),
        new("csv empty text", "votes-csv", [("v.csv", U(H + Row + "b1,T,\"  \",1,1,0,0,2\n"))], Expect.Skipped("empty text", 1, kept: 1)),
        new("csv duplicate id", "votes-csv", [("v.csv", U(H + Row + Row))], Expect.Skipped("duplicate id", 1, kept: 1)),
        new("csv 5 MB post", "votes-csv", [("v.csv", U(H + Row + $"big,T,{FiveMb},1,1,0,0,2\n"))], Expect.Skipped("text longer than 40,000 chars", 1, kept: 1)),
        new("csv BOM and CRLF", "votes-csv", [("v.csv", Cat([0xEF, 0xBB, 0xBF], U((H + Row + "ok2,T,\"Two\r\nlines.\",0,1,0,0,1\n").Replace("\n", "\r\n"))))], Expect.Ok(2)),
        new("csv empty file", "votes-csv", [("v.csv", [])], Expect.Error("v.csv", 0)),
        new("csv header only", "votes-csv", [("v.csv", U(H))], Expect.Ok(0)),
        new("csv row with an extra field", "votes-csv", [("v.csv", U(H + Row + "b1,T,Text.,1,1,0,0,2,surplus\n"))], Expect.Error("v.csv", 3)),
        new("csv malformed row skipped on request", "votes-csv", [("v.csv", U(H + Row + "b1,T,Text.,lots,1,0,0,2\n"))], Expect.Skipped("malformed: n_yta", 1, kept: 1), ImportOptions.KeepAll with { SkipMalformed = true }),
        new("csv broken quoting skipped on request", "votes-csv", [("v.csv", U(H + Row + "b1,Ti\"tle,Text.,1,1,0,0,2\n"))], Expect.Skipped("malformed: row", 1, kept: 1), ImportOptions.KeepAll with { SkipMalformed = true }),
        // ---- Scruples JSONL
        new("jsonl truncated last line", "scruples", [("a.jsonl", U(Sc("s1", "Story.", Scores) + "{\"id\":\"s2\",\"text\":\"x\",\"label_scores\":{\"AUTHOR\":3"))], Expect.Error("a.jsonl", 2)),
        new("jsonl label_scores missing", "scruples", [("a.jsonl", U("{\"id\":\"s1\",\"text\":\"Story.\"}\n"))], Expect.Error("a.jsonl", 1, "label_scores")),
        new("jsonl count of the wrong type", "scruples", [("a.jsonl", U(Sc("s1", "Story.", "{\"AUTHOR\":\"3\"}")))], Expect.Error("a.jsonl", 1, "label_scores.AUTHOR")),
        new("jsonl negative count", "scruples", [("a.jsonl", U(Sc("s1", "Story.", "{\"AUTHOR\":1,\"OTHER\":-2}")))], Expect.Error("a.jsonl", 1, "label_scores.OTHER")),
        new("jsonl unknown label", "scruples", [("a.jsonl", U(Sc("s1", "Story.", "{\"AUTHOR\":1,\"MAYBE\":4}")))], Expect.Skipped("unknown label", 4, kept: 1)),
        new("jsonl text of the wrong type", "scruples", [("a.jsonl", U("{\"id\":\"s1\",\"text\":42,\"label_scores\":" + Scores + "}\n"))], Expect.Error("a.jsonl", 1, "text")),
        new("jsonl non-UTF-8 bytes on line 3", "scruples", [("a.jsonl", Cat(U(Sc("s1", "One.", Scores) + Sc("s2", "Two.", Scores) + "{\"id\":\"s3\",\"text\":\"Caf"), [0xE9, 0x20], U("\",\"label_scores\":" + Scores + "}\n")))], Expect.Error("a.jsonl", 3)),
        new("jsonl line is not an object", "scruples", [("a.jsonl", U(Sc("s1", "One.", Scores) + "[1,2,3]\n"))], Expect.Error("a.jsonl", 2)),
        new("jsonl empty text", "scruples", [("a.jsonl", U(Sc("s1", "", Scores)))], Expect.Skipped("empty text")),
        new("jsonl duplicate id", "scruples", [("a.jsonl", U(Sc("s1", "One.", Scores) + Sc("s1", "Again.", Scores)))], Expect.Skipped("duplicate id", 1, kept: 1)),
        new("jsonl 5 MB post", "scruples", [("a.jsonl", U(Sc("s1", FiveMb, Scores)))], Expect.Skipped("text longer than 40,000 chars")),
        new("jsonl empty file", "scruples", [("a.jsonl", [])], Expect.Ok(0, note: "empty input file: a.jsonl")),
        new("jsonl only INFO votes", "scruples", [("a.jsonl", U(Sc("s1", "One.", "{\"INFO\":5}")))], Expect.Skipped("INFO (no binary verdict)", 5, kept: 0)),
        new("jsonl BOM and CRLF", "scruples", [("a.jsonl", Cat([0xEF, 0xBB, 0xBF], U((Sc("s1", "One.", Scores) + "\n" + Sc("s2", "Two.", Scores)).Replace("\n", "\r\n"))))], Expect.Ok(2)),
        // ---- Reddit dumps
        new("reddit comment for an unknown submission", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "NTA", "t3_zz", "t3_zz")))], Expect.Skipped("comment for unknown submission", 1, kept: 1)),
        new("reddit reply", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "YTA", parent: "t1_c1")))], Expect.Skipped("reply (not a top-level comment)", 1, kept: 1)),
        new("reddit bot", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "NTA or YTA? vote!", author: "AutoModerator")))], Expect.Skipped("bot author", 1, kept: 1)),
        new("reddit configured bot", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "YTA", author: "VerdictBot")))], Expect.Skipped("bot author", 1, kept: 1), ImportOptions.KeepAll with { BotAuthors = ["VerdictBot"] }),
        new("reddit deleted body", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "[deleted]", author: "[deleted]")))], Expect.Skipped("comment body [deleted]", 1, kept: 1)),
        new("reddit removed submission", "reddit", [("s.jsonl", U(Sub + "{\"id\":\"p2\",\"title\":\"T\",\"selftext\":\"[removed]\"}\n")), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "YTA", "t3_p2", "t3_p2")))], Expect.Skipped("submission text [removed]", 1, kept: 1)),
        new("reddit comment without a verdict", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c2", "What a story.")))], Expect.Skipped("no verdict found", 1, kept: 1)),
        new("reddit comment missing link_id", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + "{\"id\":\"c2\",\"parent_id\":\"t3_p1\",\"body\":\"NTA\"}\n"))], Expect.Error("c.jsonl", 2, "link_id")),
        new("reddit body of the wrong type", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U("{\"id\":\"c1\",\"link_id\":\"t3_p1\",\"parent_id\":\"t3_p1\",\"body\":{\"text\":\"NTA\"}}\n"))], Expect.Error("c.jsonl", 1, "body")),
        new("reddit duplicate comment id", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + Com("c1", "NTA")))], Expect.Skipped("duplicate comment id", 1, kept: 1)),
        new("reddit submission missing selftext", "reddit", [("s.jsonl", U("{\"id\":\"p1\",\"title\":\"T\"}\n")), ("c.jsonl", U(Com("c1", "NTA")))], Expect.Error("s.jsonl", 1, "selftext")),
        new("reddit malformed comment skipped on request", "reddit", [("s.jsonl", U(Sub)), ("c.jsonl", U(Com("c1", "NTA") + "{\"id\":\"c2\"}\n"))], Expect.Skipped("malformed: link_id", 1, kept: 1), ImportOptions.KeepAll with { SkipMalformed = true }),
        // ---- paired CSV
        new("paired unknown verdict", "paired", [("p.csv", U(P + "d1,T,Story.,human,NTA,fine\nd1,T,Story.,human,MAYBE,hmm\n"))], Expect.Skipped("unknown label", 1, kept: 1)),
        new("paired missing rationale column", "paired", [("p.csv", U("dilemma_id,title,text,author,verdict\nd1,T,Story.,human,NTA\n"))], Expect.Error("p.csv", 1, "rationale")),
        new("paired empty author", "paired", [("p.csv", U(P + "d1,T,Story.,human,NTA,fine\nd1,T,Story.,,YTA,no\n"))], Expect.Error("p.csv", 3, "author")),
        new("paired rows with differing text", "paired", [("p.csv", U(P + "d1,T,Story.,human,NTA,fine\nd1,T,Other story.,gpt,YTA,no\n"))], Expect.Ok(1, note: "rows of one dilemma_id with differing text (first kept)")),
    }.Select(c => new object[] { c });

    [Theory]
    [MemberData(nameof(Cases))]
    public void BadInputIsNamedOrCounted(Case c)
    {
        using var f = new Fixture();
        var paths = c.Files.Select(x => f.WriteBytes(x.Name, x.Bytes)).ToArray();
        var options = c.Options ?? ImportOptions.KeepAll;
        if (c.Expect.IsError)
        {
            var e = Assert.Throws<DataFormatException>(() => Importers.Import(c.Format, paths, options));
            output.WriteLine(e.Message);
            Assert.Equal(c.Expect.File, Path.GetFileName(e.File));
            Assert.Equal(c.Expect.Line, e.Line);
            if (c.Expect.Field is not null) Assert.Equal(c.Expect.Field, e.Field);
            Assert.StartsWith($"{c.Expect.File}:{c.Expect.Line}:", e.Message);
            // The streaming import to a folder fails the same way and writes nothing.
            var streamed = Assert.Throws<DataFormatException>(() => Importers.ImportTo(f.PathOf("out"), Importers.ParseFormat(c.Format), paths, options));
            Assert.Equal(e.Message, streamed.Message);
            Assert.False(Directory.Exists(f.PathOf("out")));
            return;
        }
        var r = Importers.Import(c.Format, paths, options);
        output.WriteLine(r.Report.ToString());
        Assert.Equal(r.Report.ToString(), Importers.ImportTo(f.PathOf("out"), Importers.ParseFormat(c.Format), paths, options).Report.ToString());
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
        if (c.Expect.Skip is not null)
        {
            Assert.Equal(c.Expect.Count, r.Report.Dropped(c.Expect.Skip));
            Assert.Contains(c.Expect.Skip, r.Report.ToString());
            Assert.NotNull(r.Report.Reasons.First(x => x.Reason == c.Expect.Skip).FirstAt);
        }
        if (c.Expect.Kept is { } kept) Assert.Equal(kept, r.Dilemmas.Count);
        if (c.Expect.Note is not null) Assert.True(r.Report.Notes.ContainsKey(c.Expect.Note), r.Report.ToString());
    }

    [Fact]
    public void ThereAreAtLeastThirtyCasesOverEveryFormat()
    {
        var cases = Cases().Select(o => (Case)o[0]).ToArray();
        Assert.True(cases.Length >= 30);
        Assert.Equal(["paired", "reddit", "scruples", "votes-csv"], cases.Select(c => c.Format).Distinct().Order());
    }
}
