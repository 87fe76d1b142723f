using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class EmbedderTests
{
    [Fact]
    public void RelatedValuesAreCloserThanUnrelatedOnes()
    {
        var v = Embedder.Default.Embed(["honesty", "truthfulness", "financial stability"]);
        var related = Embedder.Cosine(v[0], v[1]);
        var unrelated = Embedder.Cosine(v[0], v[2]);
        Assert.True(related > unrelated + 0.2, $"cos(honesty, truthfulness) = {related}, cos(honesty, financial stability) = {unrelated}");
        Assert.InRange(related, 0.45, 0.65);   // measured 0.5528
        Assert.InRange(unrelated, 0.05, 0.27); // measured 0.1601
    }

    [Fact]
    public void VectorsAreUnitLengthAndOfTheModelsDimension()
    {
        var v = Embedder.Default.Embed("keeping your word");
        Assert.Equal(Embedder.Dimension, v.Length);
        Assert.Equal(1.0, Embedder.Cosine(v, v), 6);
        Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5);
    }

    [Fact]
    public void BatchSizeOrderAndDuplicatesDoNotChangeAnyBit()
    {
        string[] texts = ["she lied", "a much longer sentence about how the family kept the peace at dinner", "she lied", "privacy", ""];
        var one = new Embedder(batchSize: 1).Embed(texts);
        var big = new Embedder(batchSize: 64).Embed(texts);
        var reversed = new Embedder(batchSize: 2).Embed(texts.Reverse().ToArray()).Reverse().ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(one[i], big[i]);
            Assert.Equal(one[i], reversed[i]);
        }
        Assert.Equal(one[0], one[2]);
    }

    [Fact]
    public void TheSimulatedJudgeEmbedsWithTheSameSharedModel()
    {
        string[] texts = ["she kept the secret", "he paid the debt"];
        var ours = Embedder.Default.Embed(texts);
        Assert.True(Embedder.IsModelLoaded);
        Assert.Equal(ours, MoralGap.Llm.SimulatedJudge.Embed(texts));   // one encoder per process (MoralGap.Llm.MiniLm)
    }

    [Fact]
    public void ConcurrentCallersGetTheSameVectors()
    {
        string[] texts = ["loyalty to friends", "respect for time", "it was dangerous"];
        var expected = Embedder.Default.Embed(texts);
        var results = new float[4][][];
        Parallel.For(0, results.Length, i => results[i] = new Embedder(batchSize: 1 + i).Embed(texts));
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Fact]
    public void ProgressReachesTheTotal()
    {
        var reports = new List<EmbeddingProgress>();
        var texts = Enumerable.Range(0, 7).Select(i => $"phrase number {i}").ToArray();
        new Embedder(batchSize: 3).Embed(texts, new MoralGap.Notebooks.InlineProgress<EmbeddingProgress>(reports.Add));
        Assert.Equal(texts.Length, reports[^1].Done);
        Assert.Equal(texts.Length, reports[^1].Total);
        Assert.True(reports.Count >= 3, $"{reports.Count} reports for 3 batches");
        Assert.Equal(reports.Select(r => r.Done).Order(), reports.Select(r => r.Done));
    }

    [Fact]
    public void TheDiskCacheRoundTripsAndIsConsulted()
    {
        var dir = ValuesFixtures.TempFolder();
        var path = Path.Combine(dir, "vectors.bin");
        var first = new Embedder(path);
        var v = first.Embed(["honesty", "respect"]);
        Assert.Equal(2, first.Cache!.Count);

        var reopened = VectorCache.Open(path, Embedder.ModelName, Embedder.Dimension);
        Assert.Equal(2, reopened.Count);
        Assert.True(reopened.TryGet("honesty", out var h));
        Assert.Equal(v[0], h);

        // A planted vector for a text proves the embedder reads the cache instead of the model.
        var planted = new float[Embedder.Dimension];
        planted[7] = 1;
        reopened.Append(["a planted text"], [planted]);
        var second = new Embedder(path);
        Assert.Equal(planted, second.Embed("a planted text"));
        Assert.Equal(3, second.Cache!.Count);
    }

    [Fact]
    public void ATornAppendIsIgnoredCountedAndRepaired()
    {
        var path = Path.Combine(ValuesFixtures.TempFolder(), "vectors.bin");
        var cache = VectorCache.Open(path, "test-model", 4);
        cache.Append(["a", "b"], [[1, 0, 0, 0], [0, 1, 0, 0]]);
        File.AppendAllText(path, "torn!"); // a crash in the middle of an append
        var reopened = VectorCache.Open(path, "test-model", 4);
        Assert.Equal(2, reopened.Count);
        Assert.Equal(5, reopened.TornBytes);
        reopened.Append(["c"], [[0, 0, 1, 0]]);
        var again = VectorCache.Open(path, "test-model", 4);
        Assert.Equal(0, again.TornBytes);
        Assert.Equal(3, again.Count);
        Assert.True(again.TryGet("c", out var c));
        Assert.Equal([0f, 0, 1, 0], c);
    }

    [Fact]
    public void CompactionIsAtomicAndDeterministic()
    {
        var dir = ValuesFixtures.TempFolder();
        var p1 = Path.Combine(dir, "one.bin");
        var p2 = Path.Combine(dir, "two.bin");
        var c1 = VectorCache.Open(p1, "m", 2);
        c1.Append(["x", "y", "z"], [[1, 2], [3, 4], [5, 6]]);
        var c2 = VectorCache.Open(p2, "m", 2);
        c2.Append(["z"], [[5, 6]]);
        c2.Append(["y", "x"], [[3, 4], [1, 2]]);
        Assert.NotEqual(File.ReadAllBytes(p1), File.ReadAllBytes(p2)); // append order differs
        c1.Compact();
        c2.Compact();
        Assert.Equal(File.ReadAllBytes(p1), File.ReadAllBytes(p2));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        Assert.Equal(3, VectorCache.Open(p1, "m", 2).Count);
    }

    [Fact]
    public void ACacheOfAnotherModelOrAForeignFileIsRefusedWithItsPath()
    {
        var dir = ValuesFixtures.TempFolder();
        var path = Path.Combine(dir, "vectors.bin");
        VectorCache.Open(path, "other-model", 3).Append(["a"], [[1, 2, 3]]);
        var e = Assert.Throws<InvalidDataException>(() => new Embedder(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("other-model", e.Message);

        var junk = Path.Combine(dir, "junk.bin");
        File.WriteAllText(junk, "this is not a vector cache");
        Assert.Contains(junk, Assert.Throws<InvalidDataException>(() => VectorCache.Open(junk, "m", 3)).Message);
    }

    [Fact]
    public void CosineHelpersAgreeWithTheFormula()
    {
        float[] a = [1, 2, 3], b = [-2, 0.5f, 4];
        var expected = (1 * -2 + 2 * 0.5 + 3 * 4) / (Math.Sqrt(14) * Math.Sqrt(4 + 0.25 + 16));
        Assert.Equal(expected, Embedder.Cosine(a, b), 6);
        var m = Embedder.CosineMatrix([a, b], [b, a, new float[3]]);
        Assert.Equal(expected, m[0][0], 6);
        Assert.Equal(1.0, m[1][0], 6);
        Assert.Equal(0.0, m[0][2]);
        Assert.Throws<ArgumentException>(() => Embedder.Cosine(a, [1f, 2f]));
        Assert.Equal(1.0, Embedder.Normalize(a).Sum(x => (double)x * x), 6);
    }

    [Fact]
    public void ANullTextIsNamedByIndex()
    {
        var e = Assert.Throws<ArgumentException>(() => Embedder.Default.Embed(["fine", null!]));
        Assert.Contains("Text 1", e.Message);
    }
}

