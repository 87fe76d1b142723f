using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Values;
using MoralGap.Values.Evaluation;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>values-eval --taxonomy FILE --arguments FILE --labels FILE [--extractor zero-shot|supervised] [--model PATH] [--cache PATH] [--json]</c>:
/// extracts values from ValueEval arguments and scores them against people's labels: per-category precision, recall,
/// F1 and support, macro-F1, and the predict-all-ones baseline on the same file. Exit 0; 1 for bad data; 2 for usage.
/// </summary>
public static class ValuesEvalCommand
{
    /// <summary>The <c>values-eval</c> verb.</summary>
    public static Command Create()
    {
        var taxonomy = new Option<string>("--taxonomy") { Description = "Taxonomy: ValueEval JSON (category → value → phrasings) or the project's lexicon TSV", Required = true };
        var arguments = new Option<string>("--arguments") { Description = "ValueEval arguments TSV (Argument ID, Conclusion, Stance, Premise)", Required = true };
        var labels = new Option<string>("--labels") { Description = "ValueEval labels TSV (Argument ID, one 0/1 column per category)", Required = true };
        var extractor = new Option<string>("--extractor") { Description = "zero-shot (lexicon similarity) or supervised (a model from values-train)", DefaultValueFactory = _ => "zero-shot" };
        extractor.AcceptOnlyFromAmong("zero-shot", "supervised");
        var model = new Option<string?>("--model") { Description = "Supervised model (default: artifacts/value-models/<taxonomy file name>.zip)" };
        var cache = new Option<string?>("--cache") { Description = "Embedding cache file (default: artifacts/value-models/embeddings.vec; 'none' for no cache)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table" };
        var command = new Command("values-eval", "Score a value extractor against ValueEval annotations (per-category P/R/F1, macro-F1, all-ones baseline)")
        {
            taxonomy, arguments, labels, extractor, model, cache, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            try
            {
                var root = Repository.FindRoot() ?? Directory.GetCurrentDirectory();
                var taxonomyPath = parse.GetValue(taxonomy)!;
                var tax = ValueCategories.Load(taxonomyPath);
                var set = ValueEvalData.Read(parse.GetValue(arguments)!, parse.GetValue(labels)!, tax.Names);
                var embedder = ValuesTrainCommand.OpenEmbedder(parse.GetValue(cache), root);
                var sw = Stopwatch.StartNew();
                IValueClassifier classifier = parse.GetValue(extractor) == "supervised"
                    ? SupervisedValueClassifier.Load(parse.GetValue(model) ?? SupervisedValueClassifier.DefaultPath(root, taxonomyPath), embedder)
                    : new ZeroShotValueClassifier(tax, embedder);
                if (!classifier.Categories.SequenceEqual(tax.Names, StringComparer.OrdinalIgnoreCase))
                {
                    await stderr.WriteLineAsync($"values-eval: the model's categories ({string.Join(", ", classifier.Categories)}) are not the taxonomy's.");
                    return 1;
                }
                var predicted = classifier.Predict(set.Texts(), cancellationToken: cancellationToken);
                var seconds = sw.Elapsed.TotalSeconds;
                var report = MultiLabelMetrics.Score(tax.Names, set.Labels, predicted);
                var allOnes = MultiLabelMetrics.AllOnes(tax.Names, set.Labels);
                if (parse.GetValue(json))
                    await stdout.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        extractor = classifier.Name,
                        macroF1 = report.MacroF1,
                        allOnesMacroF1 = allOnes.MacroF1,
                        categories = report.Categories.Select(c => new { name = c.Name, precision = c.Precision, recall = c.Recall, f1 = c.F1, support = c.Support }),
                    }));
                else
                {
                    await stdout.WriteLineAsync($"values-eval: {classifier.Name} on {set.Count} arguments of {Path.GetFileName(parse.GetValue(arguments))}, {tax.Count} categories of {Path.GetFileName(taxonomyPath)} ({seconds:0.0} s)");
                    await stdout.WriteLineAsync($"{"category",-30} {"precision",9} {"recall",7} {"F1",6} {"support",8} {"all-ones F1",12}");
                    for (var c = 0; c < tax.Count; c++)
                    {
                        var s = report.Categories[c];
                        await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                            $"{s.Name,-30} {s.Precision,9:0.000} {s.Recall,7:0.000} {s.F1,6:0.000} {s.Support,8} {allOnes.Categories[c].F1,12:0.000}"));
                    }
                    await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"macro-F1 {report.MacroF1:0.000}; predict-all-ones baseline {allOnes.MacroF1:0.000}"));
                }
                return 0;
            }
            catch (Exception e) when (e is DataFormatException or FileNotFoundException or InvalidDataException)
            {
                await stderr.WriteLineAsync("values-eval: " + e.Message);
                return 1;
            }
        });
        return command;
    }
}
