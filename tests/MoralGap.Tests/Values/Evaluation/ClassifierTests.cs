using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Tests.Values.Evaluation;

public sealed class ClassifierTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("valuemodel-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void AClauseNamingTwoValuesYieldsBoth()
    {
        var lexicon = ValueLexicon.Load(ValuesFixtures.SmallLexicon);
        var multi = new OfflineValueExtractor(lexicon, threshold: 0.4, cap: 5, multiLabel: true);
        var single = new OfflineValueExtractor(lexicon, threshold: 0.4, cap: 5);
        const string rationale = "YTA, this is about privacy and safety.";
        Assert.Single(ClauseSplitter.SplitText(rationale), c => c.Contains("privacy"));
        var found = multi.Extract(rationale).Select(e => e.Value).ToArray();
        Assert.Contains("Privacy", found);
        Assert.Contains("Safety", found);
        Assert.True(single.Extract(rationale).Count(e => e.Value is "Privacy" or "Safety") <= 1);
        Assert.Equal(["privacy", "safety"], OfflineValueExtractor.CoordinatedParts("privacy and safety"));
    }

    [Fact]
    public void ZeroShotGivesEveryTextItsTopKAndMoreAboveTheThreshold()
    {
        double[][] scores = [[0.1, 0.3, 0.2], [0.6, 0.55, 0.1]];
        var d = ZeroShotValueClassifier.Decide(scores, topK: 1, threshold: 0.5);
        Assert.Equal([false, true, false], d[0]);
        Assert.Equal([true, true, false], d[1]);
    }

    [Fact]
    public void AValuePrototypeIsTheNormalisedMeanOfItsPhrasings()
    {
        float[][] phrasings = [[1, 0, 0], [0, 1, 0]];
        var mu = ZeroShotValueClassifier.Prototype(phrasings);
        var h = (float)Math.Sqrt(0.5);
        Assert.Equal([h, h, 0f], mu);
        Assert.Equal([0f, 0f, 1f], ZeroShotValueClassifier.Prototype(new[] { new float[] { 0, 0, 2 } }));
    }

    [Fact]
    public void AValueEvalTaxonomyKeepsEachValuesPhrasingsTogether()
    {
        var taxonomy = ValueCategories.ParseJson("""{"Stimulation": {"Be daring": ["taking risks", "being bold"], "Have a varied life": ["trying new things", "taking risks"]}}""", "test.json");
        var c = Assert.Single(taxonomy.Categories);
        Assert.Equal(["Be daring", "Have a varied life"], c.Values);
        Assert.Equal(2, c.ValueGroups.Count);
        Assert.Equal(["Be daring", "taking risks", "being bold"], c.ValueGroups[0]);
        Assert.Equal(["Have a varied life", "trying new things", "taking risks"], c.ValueGroups[1]); // shared phrasing kept in both values
        Assert.Equal(5, c.Phrases.Count); // the flat list holds it once
    }

    [Fact]
    public void SupervisedModelSavedAndReloadedPredictsTheSame()
    {
        // A tiny synthetic set: category 0 = texts about money, category 1 = texts about family; some both.
        string[] money = ["he never paid back the loan", "she spent all our savings", "the rent money was stolen", "he refused to split the bill", "they owe me five hundred dollars", "she took a bigger share of the inheritance"];
        string[] family = ["my mother was not invited", "he ignored his little brother", "our kids come first", "she skipped her sister's wedding", "grandpa needs care at home", "my dad missed my graduation"];
        var texts = money.Concat(family).Concat(money.Zip(family, (a, b) => a + " and " + b)).ToArray();
        var labels = money.Select(_ => new[] { true, false }).Concat(family.Select(_ => new[] { false, true }))
            .Concat(money.Select(_ => new[] { true, true })).ToArray();
        var model = SupervisedValueClassifier.Train(["Money", "Family"], texts, labels, options: new SupervisedTrainingOptions(Folds: 3, Seed: 5, L2: 0.01f, L1: 0f));
        var path = Path.Combine(dir, "sub", "model.zip");
        model.Save(path);
        var loaded = SupervisedValueClassifier.Load(path);
        Assert.Equal(model.Categories, loaded.Categories);
        Assert.Equal(model.Thresholds, loaded.Thresholds);
        string[] unseen = ["he borrowed money from me", "my aunt was left out of the family dinner", "the weather is nice"];
        var p0 = model.Probabilities(Embedder.Default.Embed(unseen));
        var p1 = loaded.Probabilities(Embedder.Default.Embed(unseen));
        Assert.Equal(p0, p1);
        Assert.Equal(model.Predict(unseen), loaded.Predict(unseen));
        // It learned something: the money text is more "Money" than the family text, and vice versa.
        Assert.True(p0[0][0] > p0[1][0] && p0[1][1] > p0[0][1], string.Join("; ", p0.Select(r => string.Join(", ", r))));
    }

    [Fact]
    public void TrainingNeedsBothKindsOfExample()
    {
        var e = Assert.Throws<ArgumentException>(() => SupervisedValueClassifier.Train(["A"], [new float[Embedder.Dimension], new float[Embedder.Dimension]],
            [[true], [true]], Embedder.Default));
        Assert.Contains("'A' has 2 positive examples of 2", e.Message);
    }
}
