using MoralGap.Data;
using MoralGap.Values;

namespace MoralGap.Tests.Data;

public class SampleTests
{
    private static readonly string SampleDir = Path.Combine(TestPaths.RepoRoot, "data", "sample");
    private static readonly string[] SampleFiles = ["dilemmas.jsonl", "judgments.jsonl", "manifest.json", "truth.json"];
    private static readonly Lazy<GeneratedSample> Generated = new(() => SampleGenerator.Generate());

    [Fact]
    public void RegenerationFromTheSeedIsByteIdenticalToTheCommittedFiles()
    {
        var dir = Directory.CreateTempSubdirectory("moralgap-sample-").FullName;
        try
        {
            Generated.Value.Write(dir);
            foreach (var f in SampleFiles)
                Assert.True(File.ReadAllBytes(Path.Combine(SampleDir, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(dir, f))),
                    $"{f} differs from a regeneration with seed {SampleGenerator.DefaultSeed}");
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void AnotherSeedGivesAnotherSample()
    {
        var other = SampleGenerator.Generate(seed: 1);
        Assert.NotEqual(Generated.Value.Truth.Dilemmas.Select(d => d.P), other.Truth.Dilemmas.Select(d => d.P));
        Assert.Equal(Generated.Value.Dataset.Dilemmas, other.Dataset.Dilemmas); // same texts, new draws
    }

    [Fact]
    public void TheSampleHasTheShapeOfThePapersDataset()
    {
        var ds = DilemmaDataset.LoadSample();
        Assert.InRange(ds.Dilemmas.Count, 100, 140);
        Assert.Equal(8, ds.Topics.Count);
        Assert.All(ds.Dilemmas, d => Assert.Equal(32, ds.JudgmentsOf(d.Id, "human").Count(j => j.Verdict is not null)));
        Assert.All(ds.Judgments, j => Assert.False(string.IsNullOrWhiteSpace(j.Rationale)));
        var hist = ds.ConsensusHistogram();
        Assert.Equal(ds.Dilemmas.Count, hist.Sum());
        Assert.All(hist, n => Assert.True(n >= 5, "every consensus bin from 0.5 to 1.0 should hold dilemmas: " + string.Join(",", hist)));
        Assert.Contains(ds.Distributions(), d => d.Consensus == 1.0);
        var size = SampleFiles.Sum(f => new FileInfo(Path.Combine(SampleDir, f)).Length);
        Assert.True(size < 4_000_000, $"data/sample is {size:N0} bytes");
    }

    [Fact]
    public void ObservedSharesFollowThePlantedP()
    {
        var ds = DilemmaDataset.LoadSample();
        var truth = SampleTruth.Load();
        var observed = ds.Distributions().ToDictionary(d => d.DilemmaId, d => d.P);
        var diffs = truth.Dilemmas.Select(t => observed[t.Id] - t.P).ToArray();
        // Binomial(32, p) sampling noise: sd ≤ 0.088; the mean error over 120 dilemmas must be near 0 and few beyond 3 sd.
        Assert.InRange(diffs.Average(), -0.03, 0.03);
        Assert.True(diffs.Count(x => Math.Abs(x) > 0.27) <= 2);
        var pearson = MathNet.Numerics.Statistics.Correlation.Pearson(truth.Dilemmas.Select(t => t.P), truth.Dilemmas.Select(t => observed[t.Id]));
        Assert.True(pearson > 0.9, $"r = {pearson}");
    }

    [Fact]
    public void EveryRationaleClauseComesFromTheLexiconOfAPlantedValue()
    {
        var ds = DilemmaDataset.LoadSample();
        var truth = SampleTruth.Load();
        var lexicon = ValueLexicon.Load();
        var planted = truth.Judgments.ToDictionary(j => (j.DilemmaId, j.SampleIndex));
        foreach (var j in ds.Judgments)
        {
            var values = planted[(j.DilemmaId, j.SampleIndex)];
            Assert.Equal(j.Verdict, values.Verdict);
            Assert.StartsWith(j.RawLabel, j.Rationale);
            foreach (var v in values.Values)
                Assert.Contains(lexicon.Where(p => p.Value == v), p => j.Rationale.Contains(p.Phrase, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void TopicValuesDominateAndDilemmasOfATopicHaveTheirOwnProfiles()
    {
        var truth = SampleTruth.Load();
        var topicOf = truth.Dilemmas.ToDictionary(d => d.Id);
        var featured = truth.Topics.ToDictionary(t => t.Name, t => t.Featured.ToHashSet());
        var mentions = truth.Judgments.SelectMany(j => j.Values.Select(v => (j, v))).ToArray();
        var inTopic = mentions.Count(m => featured[topicOf[m.j.DilemmaId].Topic].Contains(m.v)) / (double)mentions.Length;
        Assert.InRange(inTopic, 0.8, 0.99); // concentrated on the topic, yet other values occur
        // κ = 1: a named value agrees with its dilemma's lean for the verdict no more often than chance.
        var agree = mentions.Count(m => topicOf[m.j.DilemmaId].Lean[PaperValues.IndexOf(m.v)] == (m.j.Verdict == Verdict.Unacceptable ? 'U' : 'A')) / (double)mentions.Length;
        Assert.InRange(agree, 0.45, 0.55);
        // Each dilemma has its own profile θ_d (summing to 1), and the planted θ of a named value is the dilemma's.
        Assert.All(truth.Dilemmas, d => Assert.InRange(d.Theta!.Sum(), 0.99, 1.01));
        Assert.All(truth.Judgments.Take(200), j => Assert.Equal(topicOf[j.DilemmaId].Theta![PaperValues.IndexOf(j.Values[0])], j.Theta[0]));
        // Dilemmas of one topic differ: their leading values are not all the same.
        Assert.All(truth.Dilemmas.GroupBy(d => d.Topic), g => Assert.True(g.Select(d => Array.IndexOf(d.Theta!.ToArray(), d.Theta!.Max())).Distinct().Count() > 1, g.Key));
        Assert.InRange(truth.Judgments.Average(j => j.Values.Count), 1.7, 2.2);
    }

    [Fact]
    public void TheLexiconCoversEveryPaperValueWithFivePhrasings()
    {
        var lexicon = ValueLexicon.Load();
        Assert.All(PaperValues.Names, v => Assert.True(lexicon.Count(p => p.Value == v) >= 5, v));
        Assert.All(lexicon, p => Assert.DoesNotContain(",", p.Phrase));
        Assert.Equal(lexicon.Count, lexicon.Select(p => p.Phrase.ToLowerInvariant()).Distinct().Count());
    }

    [Fact]
    public void TheSourceDilemmasAreOriginalShortStories()
    {
        var ds = DilemmaDataset.LoadSample();
        foreach (var d in ds.Dilemmas)
        {
            var sentences = d.Text.Split(['.', '!', '?'], StringSplitOptions.RemoveEmptyEntries).Count(s => s.Trim().Length > 0);
            Assert.InRange(sentences, 2, 5);
            Assert.DoesNotContain("AITA", d.Text);
            Assert.Equal(15, ds.Dilemmas.Count(x => x.Topic == d.Topic));
        }
        Assert.Equal(ds.Dilemmas.Count, ds.Dilemmas.Select(d => d.Text).Distinct().Count());
    }
}
