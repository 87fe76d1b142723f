using CsvHelper;
using MoralGap.Notebooks;
using MoralGap.Values;
using Xunit.Abstractions;

namespace MoralGap.Tests.Values;

/// <summary>The offline extractor on real text: one top human comment and one GPT-4o answer for 100 AITA posts (../shared/data).</summary>
public class RealRationaleTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void TheMainLexiconAloneMissesManyHumanComments()
    {
        var (rows, embedder) = Load();
        var extractor = OfflineValueExtractor.Create(Path.Combine(TestPaths.RepoRoot, "data", "value-lexicon.tsv"), embedder);
        var share = ShareWithValue(rows, extractor.ExtractMany(rows.Select(r => r.Rationale)));
        // Measured 2026-12-01: human 64 %, GPT-4o 99 %. Top human comments are short and colloquial ("that was rude",
        // "invading your privacy"); the main lexicon's phrasings are written out in full, so fewer clauses come close.
        Assert.InRange(share["human"], 0.55, 0.75);
        Assert.True(share["gpt-4o-2024-11-20"] >= 0.9, $"GPT-4o: {share["gpt-4o-2024-11-20"]:P0}");
    }

    [SkippableFact]
    public void TheRealTextExtractorFindsAValueInAtLeast85PercentOfBothSources()
    {
        var (rows, embedder) = Load();
        var extractor = RealRationaleChapters.RealTextExtractor(embedder);
        var found = extractor.ExtractMany(rows.Select(r => r.Rationale));
        var share = ShareWithValue(rows, found);
        // Issue goal: ≥ 85 % for both (measured 2026-12-01: human 88 %, GPT-4o 100 %). Precision was checked by reading
        // 50 random matches (25 per source): about half judged right for either source (human 12/25, GPT-4o 11/25;
        // the main lexicon alone at one value a clause: 14/25 and 11/25), so recall rose without a visible loss.
        Assert.True(share["human"] >= 0.85, $"human: {share["human"]:P0}");
        Assert.True(share["gpt-4o-2024-11-20"] >= 0.85, $"GPT-4o: {share["gpt-4o-2024-11-20"]:P0}");
        // Not every clause becomes a value: the cap bounds a rationale, and most clauses of human comments name none.
        var clauses = rows.Sum(r => ClauseSplitter.Split(r.Rationale, extractor.MinClauseWords).Count);
        var mentions = found.Sum(f => f.Count);
        output.WriteLine($"{mentions} value mentions from {clauses} clauses");
        Assert.True(mentions < 0.5 * clauses, $"{mentions} mentions from {clauses} clauses");
        Assert.All(found.SelectMany(f => f), e => Assert.Contains(e.Value, MoralGap.Data.PaperValues.Names));
    }

    private (List<(string Author, string Rationale)> Rows, Embedder Embedder) Load()
    {
        Skip.If(TestPaths.SharedData is null, "../shared/data is absent");
        var csvPath = Path.Combine(TestPaths.SharedData!, "aita-judge", "paired-rationales.csv");
        Skip.IfNot(File.Exists(csvPath), $"{csvPath} is absent");
        var rows = new List<(string Author, string Rationale)>();
        using (var csv = CsvReader.FromFile(csvPath, new CsvReaderOptions { HasHeader = true, AllowLineBreaksInQuotes = true }))
            while (csv.Read()) rows.Add((csv.GetString("author"), csv.GetString("rationale")));
        Assert.Equal(200, rows.Count);
        // Vectors are cached beside the test binaries, so a rerun does not re-encode the clauses.
        return (rows, new Embedder(Path.Combine(AppContext.BaseDirectory, "values-test-vectors.bin")));
    }

    private Dictionary<string, double> ShareWithValue(List<(string Author, string Rationale)> rows, IReadOnlyList<IReadOnlyList<ValueExpression>> found)
    {
        var share = rows.Select((r, i) => (r.Author, Any: found[i].Count > 0)).GroupBy(x => x.Author)
            .ToDictionary(g => g.Key, g => g.Average(x => x.Any ? 1.0 : 0.0));
        foreach (var (author, s) in share) output.WriteLine($"{author}: {s:P0} of rationales with ≥ 1 value");
        return share;
    }
}
