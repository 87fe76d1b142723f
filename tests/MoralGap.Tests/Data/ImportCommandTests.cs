using MoralGap.Data;
using MoralGap.Runner.Commands;

namespace MoralGap.Tests.Data;

[Collection("Console")]
public class ImportCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var (o, e) = (Console.Out, Console.Error);
        var (so, se) = (new StringWriter(), new StringWriter());
        Console.SetOut(so);
        Console.SetError(se);
        try { return (ImportCommand.Create().Parse(args).Invoke(), so.ToString(), se.ToString()); }
        finally { Console.SetOut(o); Console.SetError(e); }
    }

    [Fact]
    public void ImportWritesADatasetFolderAndPrintsTheReport()
    {
        using var f = new Fixture();
        var csv = f.Write("v.csv", "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\na,T,Story one.,30,10,0,0,40\nb,T,Story two.,1,1,0,0,2\n");
        var outDir = f.PathOf("out");
        var (code, stdout, stderr) = Run("--format", "votes-csv", csv, "--out", outDir, "--min-judgments", "32", "--subsample", "32", "--seed", "3");
        Assert.Equal(0, code);
        Assert.Contains("Importing (MB read): 1/1 (100%) done", stderr);
        Assert.Contains("wrote 1 dilemmas and 32 judgments", stdout);
        Assert.Contains("dropped: fewer than 32 human judgments", stdout);
        Assert.Contains("KEPT", stdout);
        var ds = DilemmaDataset.Load(outDir);
        Assert.Equal(["a"], ds.Dilemmas.Select(d => d.Id));
        Assert.Equal(32, ds.Judgments.Count);
        Assert.Equal("out", ds.Name);
    }

    [Fact]
    public void TheVerdictRuleOptionChoosesHowRedditCommentsAreRead()
    {
        using var f = new Fixture();
        var subs = f.Write("RS.jsonl", """{"id":"p1","title":"AITA?","selftext":"I stayed home.","author":"op"}""" + "\n");
        var coms = f.Write("RC.jsonl", """
            {"id":"c1","link_id":"t3_p1","parent_id":"t3_p1","body":"NTA, you did nothing wrong.","author":"a"}
            {"id":"c2","link_id":"t3_p1","parent_id":"t3_p1","body":"OP, YTA.","author":"b"}
            """);
        var (code, stdout, _) = Run("--format", "reddit", subs, coms, "--out", f.PathOf("ref"), "--min-judgments", "1");
        Assert.Equal(0, code);
        Assert.Contains("verdicts read by the reference rule", stdout);
        Assert.Contains("wrote 1 dilemmas and 2 judgments", stdout);
        (code, stdout, _) = Run("--format", "reddit", subs, coms, "--out", f.PathOf("start"), "--min-judgments", "1", "--verdict-rule", "start");
        Assert.Equal(0, code);
        Assert.Contains("verdicts read by the start rule", stdout);
        Assert.Contains("dropped: no verdict at the start", stdout);
        Assert.Contains("wrote 1 dilemmas and 1 judgments", stdout);
        (code, _, var stderr) = Run("--format", "reddit", subs, coms, "--out", f.PathOf("x"), "--verdict-rule", "opening");
        Assert.NotEqual(0, code);
        Assert.Contains("opening", stderr);
    }

    [Fact]
    public void MalformedInputFailsWithTheLocation()
    {
        using var f = new Fixture();
        var csv = f.Write("bad.csv", "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\na,T,Story.,x,1,0,0,1\n");
        var (code, _, stderr) = Run("-f", "votes-csv", csv, "-o", f.PathOf("out"));
        Assert.Equal(1, code);
        Assert.Contains("bad.csv:2: field 'n_yta'", stderr);
        Assert.False(Directory.Exists(f.PathOf("out")));
    }

    [Fact]
    public void AnUnknownFormatIsAParseError()
    {
        var r = ImportCommand.Create().Parse(["--format", "xml", "a", "--out", "b"]);
        Assert.NotEmpty(r.Errors);
    }
}
