using MoralGap.Data;
using MoralGap.Notebooks;
using MoralGap.Tests.Data;

namespace MoralGap.Tests.Notebooks;

/// <summary>Chapters rerun on an imported dataset (<c>-p Dataset=…</c>) pick the right values source and say clearly what they need.</summary>
public class DatasetChaptersTests
{
    [Fact]
    public void Chapter01LoadsTheSampleWhenNoDataSourceIsGivenAndSaysSo()
    {
        var loaded = DatasetChapters.LoadOrImport("", "votes-csv", 32, 0, 1, "reference");
        Assert.Equal("sample", loaded.Dataset.Name);
        Assert.Null(loaded.Report);
        Assert.StartsWith("Embedded sample", loaded.Note);
    }

    [Fact]
    public async Task BeforeAfterPairsShowEachOriginalBesideItsRewriteWithTheStatus()
    {
        var posts = DilemmaDataset.Load(Path.Combine(TestPaths.RepoRoot, "data", "first-person")).Dilemmas;
        var result = await MoralGap.Rewrite.RewriteGate.RunAsync(posts, client: null);
        var pairs = DatasetChapters.BeforeAfter(result, 2);
        Assert.Equal(["fp-01", "fp-02"], pairs.Select(p => p.Id));
        Assert.Equal("Kept", pairs[0].Status);
        Assert.StartsWith(posts[0].Title + "\n\n" + posts[0].Text[..20], pairs[0].Before);
        Assert.StartsWith(result.Outcomes[0].Title + "\n\nThe main actor's brother", pairs[0].After);
    }

    [Fact]
    public void TheSampleIsTheDefaultAndAutoUsesItsPlantedValues()
    {
        Assert.True(DatasetChapters.IsSampleParameter(""));
        Assert.True(DatasetChapters.IsSampleParameter("data/sample"));
        Assert.False(DatasetChapters.IsSampleParameter("artifacts/datasets/x"));
        var sample = DatasetChapters.Load("", needsRationales: true);
        Assert.Equal("sample", sample.Name);
        var counts = ProfileChapters.ValueCounts(sample, "auto", SampleTruth.Load());
        Assert.Equal("planted", counts.Source);
    }

    [Fact]
    public void AutoFallsBackToExtractionWhenTheTruthDoesNotCoverTheDataset()
    {
        var sample = DilemmaDataset.LoadSample();
        // The same dilemmas under other ids: the truth (keyed by id) no longer covers them, as for any imported data.
        var renamed = new DilemmaDataset(sample.Dilemmas.Take(2).Select(d => d with { Id = "x-" + d.Id }),
            sample.Judgments.Where(j => j.DilemmaId == sample.Dilemmas[0].Id || j.DilemmaId == sample.Dilemmas[1].Id)
                .Select(j => j with { DilemmaId = "x-" + j.DilemmaId }), "renamed");
        var extractor = MoralGap.Values.OfflineValueExtractor.Create(DilemmaDataset.FindRepoFolder(Path.Combine("data", "value-lexicon.tsv")));
        var counts = ProfileChapters.ValueCounts(renamed, "auto", SampleTruth.Load(), extractor);
        Assert.Equal("extracted", counts.Source);
        Assert.True(counts.Mentions > 0);
        Assert.Throws<ArgumentException>(() => ProfileChapters.ValueCounts(renamed, "planted", SampleTruth.Load()));
    }

    [Fact]
    public void GroupedByClustersTheCountsStayOverThePaperValuesAndSayHowTheyWereGrouped()
    {
        var sample = DilemmaDataset.LoadSample();
        var two = new DilemmaDataset(sample.Dilemmas.Take(3), sample.Judgments.Where(j => sample.Dilemmas.Take(3).Any(d => d.Id == j.DilemmaId)), "three");
        var extractor = MoralGap.Values.OfflineValueExtractor.Create(DilemmaDataset.FindRepoFolder(Path.Combine("data", "value-lexicon.tsv")));
        var lexicon = ProfileChapters.ValueCounts(two, "extracted", null, extractor);
        var clusters = ProfileChapters.ValueCounts(two, "extracted", null, extractor, taxonomy: "clusters", clusterCount: 8);
        Assert.Null(lexicon.Clusters);
        Assert.Equal(8, clusters.Clusters!.Names.Count);
        Assert.Equal("extracted, grouped by 8 clusters", clusters.Source);
        Assert.All(clusters.PerJudgment, r => Assert.Equal(MoralGap.Data.PaperValues.Count, r.Length));
        // Eight clusters can name at most eight distinct values, fewer than the lexicon's matches use.
        var used = Enumerable.Range(0, MoralGap.Data.PaperValues.Count).Count(v => clusters.PerJudgment.Any(r => r[v] > 0));
        Assert.InRange(used, 1, 8);
        Assert.True(Enumerable.Range(0, MoralGap.Data.PaperValues.Count).Count(v => lexicon.PerJudgment.Any(r => r[v] > 0)) > used);
        // Planted values are mapped onto the same kind of clusters.
        var planted = ProfileChapters.ValueCounts(two, "planted", SampleTruth.Load(), extractor, taxonomy: "clusters", clusterCount: 8);
        Assert.Equal("planted, grouped by 8 clusters", planted.Source);
        Assert.Throws<ArgumentException>(() => ProfileChapters.ValueCounts(two, "extracted", null, extractor, taxonomy: "topics"));
    }

    [Fact]
    public void AVoteCountDatasetStopsAChapterThatNeedsRationalesWithASayingMessage()
    {
        using var f = new Fixture();
        var csv = f.Write("v.csv", "post_id,title,text,n_yta,n_nta,n_esh,n_nah,n_total\na,T,Story one.,3,1,0,0,4\n");
        var folder = f.PathOf("votes");
        Importers.ImportTo(folder, ImportFormat.VotesCsv, [csv], ImportOptions.KeepAll);
        Assert.Equal(4, DatasetChapters.Load(folder).Judgments.Count); // chapters 01–03 read it
        var e = Assert.Throws<InvalidOperationException>(() => DatasetChapters.Load(folder, needsRationales: true));
        Assert.Contains("no human rationale text", e.Message);
        Assert.Contains("paired-rationale CSV", e.Message);
    }

    [Fact]
    public void AnImportedDatasetGetsTopicsForTheDmpPriorsAndTheSampleKeepsItsOwn()
    {
        var sample = DilemmaDataset.LoadSample();
        Assert.Same(sample, ProfileChapters.WithTopics(sample));
        // The sample's first 40 dilemmas without their topics, as an import would have them.
        var ids = sample.Dilemmas.Take(40).Select(d => d.Id).ToHashSet();
        var bare = new DilemmaDataset(sample.Dilemmas.Take(40).Select(d => d with { Topic = null }),
            sample.Judgments.Where(j => ids.Contains(j.DilemmaId)), "bare");
        var topics = ProfileChapters.WithTopics(bare, clusters: 4, seed: 2);
        Assert.All(topics.Dilemmas, d => Assert.Contains(d.Topic, MoralGap.Profiles.Topics.Everyday.Select(t => t.Name)));
        Assert.InRange(topics.Topics.Count, 2, 4);
        Assert.Equal(topics.Dilemmas.Select(d => d.Topic), ProfileChapters.WithTopics(bare, clusters: 4, seed: 2).Dilemmas.Select(d => d.Topic));
        Assert.Equal(bare.Judgments.Count, topics.Judgments.Count);
        // Dilemmas of one planted topic mostly land in one cluster (the clusters follow content, not chance).
        var agreement = MoralGap.Profiles.Topics.CompareWithPlanted(
            new MoralGap.Profiles.TopicAssignment("k", topics.Dilemmas.Select(d => topics.Topics.ToList().IndexOf(d.Topic!)).ToArray(), topics.Topics, new double[40]),
            sample.Dilemmas.Take(40).Select(d => d.Topic!).ToArray());
        Assert.True(agreement.AdjustedRandIndex > 0.1, agreement.ToString());
    }
}
