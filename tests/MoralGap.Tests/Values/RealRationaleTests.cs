using CsvHelper;
using MoralGap.Values;
using Xunit.Abstractions;

namespace MoralGap.Tests.Values;

/// <summary>The offline extractor on real text: one top human comment and one GPT-4o answer for 100 AITA posts (../shared/data).</summary>
public class RealRationaleTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void TheOfflineExtractorFindsAValueInMostHumanAndGpt4oRationales()
    {
        Skip.If(TestPaths.SharedData is null, "../shared/data is absent");
        var csvPath = Path.Combine(TestPaths.SharedData!, "aita-judge", "paired-rationales.csv");
        // The project's lexicon; MORALGAP_TEST_VALUE_LEXICON points at another one (used to tune before data/ had one).
        var lexiconPath = Environment.GetEnvironmentVariable("MORALGAP_TEST_VALUE_LEXICON") is { Length: > 0 } other
            ? other : Path.Combine(TestPaths.RepoRoot, "data", "value-lexicon.tsv");
        Skip.IfNot(File.Exists(csvPath), $"{csvPath} is absent");
        Skip.IfNot(File.Exists(lexiconPath), $"{lexiconPath} is absent");

        var rows = new List<(string Author, string Rationale)>();
        using (var csv = CsvReader.FromFile(csvPath, new CsvReaderOptions { HasHeader = true, AllowLineBreaksInQuotes = true }))
            while (csv.Read()) rows.Add((csv.GetString("author"), csv.GetString("rationale")));
        Assert.Equal(200, rows.Count);

        // Vectors are cached beside the test binaries, so a rerun does not re-encode the 1,651 clauses.
        var embedder = new Embedder(Path.Combine(AppContext.BaseDirectory, "values-test-vectors.bin"));
        var extractor = OfflineValueExtractor.Create(lexiconPath, embedder);
        var found = extractor.ExtractMany(rows.Select(r => r.Rationale));
        var share = rows.Select((r, i) => (r.Author, Any: found[i].Count > 0)).GroupBy(x => x.Author)
            .ToDictionary(g => g.Key, g => g.Average(x => x.Any ? 1.0 : 0.0));
        foreach (var (author, s) in share) output.WriteLine($"{author}: {s:P0} of rationales with ≥ 1 value (threshold {extractor.Threshold})");

        // Measured with a 59 × 5 development lexicon (not the project's) at threshold 0.45: human 84 %, GPT-4o 100 %.
        Assert.True(share["human"] >= 0.7, $"human: {share["human"]:P0}");
        Assert.True(share["gpt-4o-2024-11-20"] >= 0.9, $"GPT-4o: {share["gpt-4o-2024-11-20"]:P0}");
        Assert.All(found.SelectMany(f => f), e => Assert.Contains(e.Value, MoralGap.Data.PaperValues.Names));
    }
}
