using MoralGap.Data;
using MoralGap.Notebooks;
using MoralGap.Tests.Data;

namespace MoralGap.Tests.Notebooks;

/// <summary>Chapters rerun on an imported dataset (<c>-p Dataset=…</c>) pick the right values source and say clearly what they need.</summary>
public class DatasetChaptersTests
{
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
}
