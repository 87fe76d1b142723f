using System.Diagnostics;
using MoralGap.Data;
using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Bench;

/// <summary>
/// values [n]: extraction throughput of the zero-shot and supervised value classifiers on n ValueEval validation premises,
/// each as a ratio to embedding the same texts alone (no cache, measured in the same run), and the supervised training
/// time on the training split (features from the embedding cache, so only ML.NET is timed).
/// </summary>
internal static class ValuesBench
{
    public static int Run(int n)
    {
        var root = RepositoryRoot.Find(AppContext.BaseDirectory) ?? throw new DirectoryNotFoundException(RepositoryRoot.SolutionFile + " not found above " + AppContext.BaseDirectory);
        var data = RepositoryRoot.SharedData(root);
        if (data is null) { Console.Error.WriteLine("values: ../shared/data is absent"); return 2; }
        var dir = Path.Combine(data, "valueeval-2023");
        var tax = ValueCategories.Load(Path.Combine(dir, "value-categories.json"));
        var validation = ValueEvalData.Read(Path.Combine(dir, "arguments-validation.tsv"), Path.Combine(dir, "labels-validation.tsv"), tax.Names);
        var training = ValueEvalData.Read(Path.Combine(dir, "arguments-training.tsv"), Path.Combine(dir, "labels-training.tsv"), tax.Names);
        var texts = validation.Texts().Take(n).ToArray();
        var cached = new Embedder(Path.Combine(root, "artifacts", "value-models", "embeddings.vec"));

        Embedder.Warmup();
        var sw = Stopwatch.StartNew();
        var trainFeatures = cached.Embed(training.Texts());
        var embedTrain = sw.Elapsed.TotalSeconds;
        var times = new List<double>();
        SupervisedValueClassifier model = null!;
        for (var r = 0; r < 2; r++)
        {
            sw.Restart();
            model = SupervisedValueClassifier.Train(tax.Names, trainFeatures, training.Labels, cached);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine($"supervised training on {training.Count} texts (5-fold thresholds + final fit, 20 categories): {string.Join(" s, ", times.Select(t => t.ToString("0.0")))} s (features from the cache in {embedTrain:0.0} s)");

        var plain = new Embedder(); // no cache: every run embeds
        var zero = new ZeroShotValueClassifier(tax, plain);
        var supervised = SupervisedValueClassifier.Load(SaveTemp(model), plain);
        for (var round = 0; round < 2; round++)
        {
            sw.Restart(); plain.Embed(texts); var embed = sw.Elapsed.TotalSeconds;
            sw.Restart(); zero.Predict(texts); var z = sw.Elapsed.TotalSeconds;
            sw.Restart(); supervised.Predict(texts); var s = sw.Elapsed.TotalSeconds;
            Console.WriteLine($"round {round + 1}, {texts.Length} premises: embedding alone {embed:0.00} s ({texts.Length / embed:0} texts/s); " +
                $"zero-shot {z:0.00} s ({texts.Length / z:0} texts/s, {z / embed:0.00}× embedding); supervised {s:0.00} s ({texts.Length / s:0} texts/s, {s / embed:0.00}× embedding)");
        }
        Console.WriteLine($"load average now: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
        return 0;
    }

    private static string SaveTemp(SupervisedValueClassifier model)
    {
        var path = Path.Combine(Path.GetTempPath(), $"values-bench-{Environment.ProcessId}.zip");
        model.Save(path);
        return path;
    }
}
