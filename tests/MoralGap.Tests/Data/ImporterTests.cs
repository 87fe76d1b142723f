using MoralGap.Data;

namespace MoralGap.Tests.Data;

public class ImporterTests
{
    private const string VotesHeader = "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\n";
    private static readonly ImportOptions All = ImportOptions.KeepAll;

    [Fact]
    public void VoteCountsBecomeOneJudgmentPerVoteWithTheBinaryMapping()
    {
        using var f = new Fixture();
        var path = f.Write("votes.csv", VotesHeader +
            "a1,Title one,\"A story, with a comma\nand a second line.\",3,5,2,1,11\n" +
            "a2,Title two,Another story.,0,4,0,0,4\n");
        var r = Importers.Import("votes-csv", [path], All);
        Assert.Equal(["a1", "a2"], r.Dilemmas.Select(d => d.Id));
        Assert.Equal("A story, with a comma\nand a second line.", r.Dilemmas[0].Text);
        var a1 = r.Judgments.Where(j => j.DilemmaId == "a1").ToArray();
        Assert.Equal(11, a1.Length);
        Assert.Equal(3, a1.Count(j => j.RawLabel == "YTA"));
        Assert.Equal(5, a1.Count(j => j.Verdict == Verdict.Acceptable && j.RawLabel == "NTA"));
        Assert.All(a1.Where(j => j.RawLabel == "ESH"), j => Assert.Equal(Verdict.Unacceptable, j.Verdict));
        Assert.All(a1.Where(j => j.RawLabel == "NAH"), j => Assert.Equal(Verdict.Acceptable, j.Verdict));
        Assert.All(r.Judgments, j => Assert.Equal("", j.Rationale));
        Assert.Equal(Enumerable.Range(0, 11), a1.Select(j => j.SampleIndex));
        var dist = r.ToDataset().Distributions();
        Assert.Equal(5.0 / 11, dist[0].P, 12);
        Assert.Equal(1.0, dist[1].Consensus);
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
    }

    [Fact]
    public void EshAndNahMappingsAreParameters()
    {
        using var f = new Fixture();
        var path = f.Write("votes.csv", VotesHeader + "a1,T,Story.,1,1,2,3,7\n");
        var r = Importers.Import(ImportFormat.VotesCsv, [path], All with { EshMapping = Verdict.Acceptable, NahMapping = null });
        Assert.Equal(4, r.Judgments.Count);
        Assert.Equal(3, r.Judgments.Count(j => j.Verdict == Verdict.Acceptable));
        Assert.Equal(3, r.Report.Dropped("NAH (mapped to no verdict)"));
        Assert.True(r.Report.IsBalanced);
    }

    [Fact]
    public void MinimumAndSeededSubsamplingKeepExactlyK()
    {
        using var f = new Fixture();
        var path = f.Write("votes.csv", VotesHeader + "a1,T,Story one.,20,20,0,0,40\na2,T,Story two.,10,10,5,0,25\na3,T,Story three.,1,1,0,0,2\n");
        var r = Importers.Import("votes-csv", [path], new ImportOptions { MinJudgments = 30, Subsample = 32, Seed = 7 });
        Assert.Equal(["a1"], r.Dilemmas.Select(d => d.Id));
        Assert.Equal(32, r.Judgments.Count);
        Assert.Equal(2, r.Report.DilemmasDropped);
        Assert.Equal(8, r.Report.Dropped("subsampled away (kept 32 per dilemma)"));
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
        var again = Importers.Import("votes-csv", [path], new ImportOptions { MinJudgments = 30, Subsample = 32, Seed = 7 });
        Assert.Equal(r.Judgments, again.Judgments);
        var seeds = Enumerable.Range(0, 20).Select(s => Importers.Import("votes-csv", [path], new ImportOptions { MinJudgments = 30, Subsample = 32, Seed = s })
            .Judgments.Count(j => j.RawLabel == "YTA")).Distinct().Count();
        Assert.True(seeds > 1, "the subsample should depend on the seed");
    }

    [Fact]
    public void VoteColumnsAreConfigurable()
    {
        using var f = new Fixture();
        var path = f.Write("other.csv", "id,headline,body,yta,nta,esh,nah\nx,H,Body text.,2,1,0,0\n");
        var options = All with { VotesColumns = new VotesCsvColumns("id", "headline", "body", "yta", "nta", "esh", "nah", Total: null) };
        var r = Importers.VotesCsv([path], options);
        Assert.Equal(3, r.Judgments.Count);
        Assert.Equal("H", r.Dilemmas[0].Title);
    }

    [Fact]
    public void ScruplesLabelScoresMapToRedditLabels()
    {
        using var f = new Fixture();
        var path = f.Write("anecdotes.jsonl",
            """
            {"id":"sc1","post_id":"p1","action":{"description":"refusing to lend a car"},"title":"WIBTA for refusing to lend my car","text":"My brother crashed twice this year.","post_type":"WIBTA","label_scores":{"AUTHOR":2,"OTHER":6,"EVERYBODY":1,"NOBODY":3,"INFO":1},"label":"OTHER","binarized_label":"RIGHT"}
            {"id":"sc2","title":"AITA for reading a diary","text":"I read my daughter's diary.","label_scores":{"AUTHOR":9,"OTHER":0,"EVERYBODY":0,"NOBODY":0,"INFO":0}}

            """);
        var r = Importers.Scruples([path], All);
        Assert.Equal(2, r.Dilemmas.Count);
        var sc1 = r.Judgments.Where(j => j.DilemmaId == "sc1").ToArray();
        Assert.Equal(12, sc1.Length);
        Assert.Equal([2, 6, 1, 3], new[] { "YTA", "NTA", "ESH", "NAH" }.Select(l => sc1.Count(j => j.RawLabel == l)));
        Assert.Equal(1, r.Report.Dropped("INFO (no binary verdict)"));
        Assert.Equal(9, r.Judgments.Count(j => j.DilemmaId == "sc2" && j.Verdict == Verdict.Unacceptable));
        Assert.Equal(22, r.Report.JudgmentsRead);
        Assert.True(r.Report.IsBalanced);
        Assert.All(r.Dilemmas, d => Assert.Equal("scruples", d.Source));
    }

    [Theory]
    [InlineData("NTA. Your sister was rude first.", "NTA", "Your sister was rude first.")]
    [InlineData("**YTA** - you read her diary.", "YTA", "you read her diary.")]
    [InlineData("nta, but talk to her", "NTA", "but talk to her")]
    [InlineData("> ESH: both of you yelled", "ESH", "both of you yelled")]
    [InlineData("NAH\n\nJust a misunderstanding.", "NAH", "Just a misunderstanding.")]
    [InlineData("INFO: how old is the kid?", "INFO", "how old is the kid?")]
    [InlineData("YTA. You broke a promise.\n\nEdit: thanks for the award!", "YTA", "You broke a promise.")]
    [InlineData("NTA. She owes you. EDIT 2: typo", "NTA", "She owes you.")]
    [InlineData("YWBTA if you go.", "YTA", "if you go.")]
    public void ACommentOpeningWithAVerdictIsParsed(string body, string label, string rationale)
    {
        Assert.True(AitaLabels.TryParseComment(body, out var l, out var r, out _));
        Assert.Equal(label, l);
        Assert.Equal(rationale, r);
    }

    [Theory]
    [InlineData("Not the asshole, honestly.")]
    [InlineData("Information is missing here.")]
    [InlineData("I think NTA.")]
    [InlineData("NTAH lol")]
    [InlineData("")]
    public void ACommentWithoutAnOpeningVerdictIsNotParsed(string body) =>
        Assert.False(AitaLabels.TryParseComment(body, out _, out _, out _));

    [Fact]
    public void RedditDumpsKeepTopLevelVerdictCommentsAndCountEverythingElse()
    {
        using var f = new Fixture();
        var subs = f.Write("RS.jsonl", """
            {"id":"p1","title":"AITA for skipping a wedding","selftext":"I skipped my cousin's wedding to work.","author":"u1","score":10}
            {"id":"p2","title":"AITA gone","selftext":"[removed]","author":"u2"}
            {"id":"p3","title":"AITA for leaving early","selftext":"I left my friend's party early.","author":"u3"}
            """);
        var coms = f.Write("RC.jsonl", """
            {"id":"c1","link_id":"t3_p1","parent_id":"t3_p1","body":"YTA. Family comes first.","author":"a"}
            {"id":"c2","link_id":"t3_p1","parent_id":"t3_p1","body":"NTA, work pays the bills.\n\nEdit: wow thanks","author":"b"}
            {"id":"c3","link_id":"t3_p1","parent_id":"t1_c1","body":"NTA you are wrong","author":"c"}
            {"id":"c4","link_id":"t3_p1","parent_id":"t3_p1","body":"Welcome to /r/AmItheAsshole. Please vote NTA or YTA.","author":"AutoModerator"}
            {"id":"c5","link_id":"t3_p1","parent_id":"t3_p1","body":"[deleted]","author":"[deleted]"}
            {"id":"c6","link_id":"t3_p1","parent_id":"t3_p1","body":"INFO: did you tell them?","author":"d"}
            {"id":"c7","link_id":"t3_p1","parent_id":"t3_p1","body":"Tough one honestly.","author":"e"}
            {"id":"c8","link_id":"t3_p2","parent_id":"t3_p2","body":"YTA","author":"f"}
            {"id":"c9","link_id":"t3_zz","parent_id":"t3_zz","body":"NTA","author":"g"}
            {"id":"c2","link_id":"t3_p1","parent_id":"t3_p1","body":"NTA dup","author":"b"}
            {"id":"c10","link_id":"t3_p3","parent_id":"t3_p3","body":"ESH","author":"h"}
            {"id":"c11","link_id":"t3_p1","parent_id":"t3_p1","body":"nah it's fine, everyone was polite","author":"i"}
            """);
        var r = Importers.Import("reddit", [subs, coms], All);
        Assert.Equal(["p1", "p3"], r.Dilemmas.Select(d => d.Id));
        var p1 = r.Judgments.Where(j => j.DilemmaId == "p1").ToArray();
        Assert.Equal(["YTA", "NTA", "NAH"], p1.Select(j => j.RawLabel));
        Assert.Equal("work pays the bills.", p1[1].Rationale);
        Assert.Equal(1, r.Report.Notes["'Edit:' part removed from a rationale"]);
        var rep = r.Report;
        Assert.Equal(1, rep.Dropped("reply (not a top-level comment)"));
        Assert.Equal(1, rep.Dropped("bot author"));
        Assert.Equal(1, rep.Dropped("comment body [deleted]"));
        Assert.Equal(1, rep.Dropped("INFO (no binary verdict)"));
        Assert.Equal(1, rep.Dropped("no verdict found"));
        Assert.Equal(1, rep.Dropped("comment on a dropped submission"));
        Assert.Equal(1, rep.Dropped("comment for unknown submission"));
        Assert.Equal(1, rep.Dropped("duplicate comment id"));
        Assert.Equal(1, rep.Dropped("submission text [removed]"));
        Assert.Equal(12, rep.JudgmentsRead);
        Assert.True(rep.IsBalanced, rep.ToString());
        Assert.Contains("bot author", rep.ToString());
    }

    [Fact]
    public void PairedRationalesKeepHumanAndModelAuthors()
    {
        using var f = new Fixture();
        var path = f.Write("paired.csv", "dilemma_id,title,text,author,verdict,rationale\n" +
            "d1,T1,\"Story one, told.\",human,NTA,\"nta. she started it\"\n" +
            "d1,T1,\"Story one, told.\",gpt-4o,YTA,\"YTA. You escalated.\"\n" +
            "d2,T2,Story two.,human,MAYBE,unsure\n" +
            "d2,T2,Story two.,gpt-4o,ESH,\"ESH. Both.\"\n");
        var r = Importers.Paired([path], All);
        Assert.Equal(["d1"], r.Dilemmas.Select(d => d.Id)); // d2 has no human judgment left
        Assert.Equal(["human", "gpt-4o"], r.Judgments.Select(j => j.Author));
        Assert.Equal("nta. she started it", r.Judgments[0].Rationale);
        Assert.Equal(1, r.Report.Dropped("unknown label"));
        Assert.True(r.Report.IsBalanced, r.Report.ToString());
    }

    [Fact]
    public void TheReportTableListsEveryReasonWithItsCount()
    {
        using var f = new Fixture();
        var path = f.Write("votes.csv", VotesHeader + "a1,T,,1,1,0,0,2\na2,T,Story.,1,1,0,0,2\na2,T,Story.,1,1,0,0,2\n");
        var text = Importers.Import("votes-csv", [path], All).Report.ToString();
        Assert.Contains("dropped: empty text", text);
        Assert.Contains("dropped: duplicate id", text);
        Assert.Contains("votes.csv:2", text);
        Assert.Contains("KEPT", text);
        Assert.DoesNotContain("WARNING", text);
    }
}
