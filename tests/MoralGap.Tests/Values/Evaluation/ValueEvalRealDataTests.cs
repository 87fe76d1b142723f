using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Tests.Values.Evaluation;

/// <summary>
/// Zero-shot extraction on the real ValueEval validation split (../shared/data/valueeval-2023). Embeddings are cached in
/// artifacts/value-models/embeddings.vec (the runner's default cache), so only a first run embeds (~1–3 min on 2 cores).
/// </summary>
public class ValueEvalRealDataTests
{
    [SkippableFact]
    public void ZeroShotBeatsTheAllOnesBaselineOnTheValidationSplit()
    {
        Skip.If(TestPaths.SharedData is null, "../shared/data is absent");
        var d = Path.Combine(TestPaths.SharedData!, "valueeval-2023");
        Skip.If(!Directory.Exists(d), "../shared/data/valueeval-2023 is absent");
        var tax = ValueCategories.Load(Path.Combine(d, "value-categories.json"));
        var set = ValueEvalData.Read(Path.Combine(d, "arguments-validation.tsv"), Path.Combine(d, "labels-validation.tsv"), tax.Names);
        Assert.Equal(20, tax.Count);
        Assert.Equal(1896, set.Count);
        var embedder = new Embedder(Path.Combine(TestPaths.RepoRoot, "artifacts", "value-models", "embeddings.vec"));
        var predicted = new ZeroShotValueClassifier(tax, embedder).Predict(set.Texts());
        var report = MultiLabelMetrics.Score(tax.Names, set.Labels, predicted);
        var allOnes = MultiLabelMetrics.AllOnes(tax.Names, set.Labels);
        Assert.InRange(allOnes.MacroF1, 0.25, 0.30);
        Assert.True(report.MacroF1 > allOnes.MacroF1 + 0.03, $"zero-shot macro-F1 {report.MacroF1:0.000}, all-ones {allOnes.MacroF1:0.000}");
    }
}
