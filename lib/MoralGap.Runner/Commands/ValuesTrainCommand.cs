using System.CommandLine;
using System.Diagnostics;
using MoralGap.Data;
using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>values-train --taxonomy FILE --arguments FILE --labels FILE [--out PATH] [--folds K] [--seed S] [--cache PATH]</c>:
/// trains the supervised value classifier (<see cref="SupervisedValueClassifier"/>) on a ValueEval split, choosing each
/// category's threshold by seeded k-fold cross-validation on that same split, and saves it (default
/// artifacts/value-models/&lt;taxonomy file name&gt;.zip), where <c>values-eval --extractor supervised</c> finds it.
/// </summary>
public static class ValuesTrainCommand
{
    /// <summary>The <c>values-train</c> verb.</summary>
    public static Command Create()
    {
        var taxonomy = new Option<string>("--taxonomy") { Description = "Taxonomy: ValueEval JSON or the project's lexicon TSV (its categories must be the labels' columns)", Required = true };
        var arguments = new Option<string>("--arguments") { Description = "ValueEval arguments TSV of the training split", Required = true };
        var labels = new Option<string>("--labels") { Description = "ValueEval labels TSV of the training split", Required = true };
        var output = new Option<string?>("--out") { Description = "Model file (default: artifacts/value-models/<taxonomy file name>.zip)" };
        var folds = new Option<int>("--folds") { Description = "Cross-validation folds for the thresholds", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the folds and of ML.NET", DefaultValueFactory = _ => 12 };
        var cache = new Option<string?>("--cache") { Description = "Embedding cache file (default: artifacts/value-models/embeddings.vec; 'none' for no cache)" };
        var command = new Command("values-train", "Train the supervised (ML.NET, MiniLM features) value classifier on a ValueEval split and save it")
        {
            taxonomy, arguments, labels, output, folds, seed, cache,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            if (parse.GetValue(folds) < 2)
            {
                await stderr.WriteLineAsync("values-train: --folds must be at least 2.");
                return 2;
            }
            try
            {
                var root = Repository.FindRoot() ?? Directory.GetCurrentDirectory();
                var taxonomyPath = parse.GetValue(taxonomy)!;
                var tax = ValueCategories.Load(taxonomyPath);
                var set = ValueEvalData.Read(parse.GetValue(arguments)!, parse.GetValue(labels)!, tax.Names);
                var embedder = OpenEmbedder(parse.GetValue(cache), root);
                var sw = Stopwatch.StartNew();
                var features = embedder.Embed(set.Texts(), cancellationToken: cancellationToken);
                var embedSeconds = sw.Elapsed.TotalSeconds;
                var model = SupervisedValueClassifier.Train(tax.Names, features, set.Labels, embedder,
                    new SupervisedTrainingOptions(parse.GetValue(folds), parse.GetValue(seed)),
                    new InlineProgressWriter(stdout), cancellationToken);
                var path = Path.GetFullPath(parse.GetValue(output) ?? SupervisedValueClassifier.DefaultPath(root, taxonomyPath));
                model.Save(path);
                await stdout.WriteLineAsync($"values-train: {model.Summary}; embedding {embedSeconds:0.0} s, training {sw.Elapsed.TotalSeconds - embedSeconds:0.0} s; saved {path}");
                return 0;
            }
            catch (Exception e) when (e is DataFormatException or FileNotFoundException or InvalidDataException)
            {
                await stderr.WriteLineAsync("values-train: " + e.Message);
                return 1;
            }
            catch (ArgumentException e)
            {
                await stderr.WriteLineAsync("values-train: " + e.Message);
                return 1;
            }
        });
        return command;
    }

    /// <summary>An embedder with the cache at <paramref name="cache"/> (default artifacts/value-models/embeddings.vec; "none": no cache).</summary>
    internal static Embedder OpenEmbedder(string? cache, string root) =>
        string.Equals(cache, "none", StringComparison.OrdinalIgnoreCase) ? new Embedder()
        : new Embedder(cache ?? Path.Combine(root, "artifacts", "value-models", "embeddings.vec"));

    private sealed class InlineProgressWriter(TextWriter writer) : IProgress<string>
    {
        public void Report(string value) => writer.WriteLine("values-train: " + value);
    }
}
