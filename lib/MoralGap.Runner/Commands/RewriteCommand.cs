using System.CommandLine;
using System.Globalization;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Rewrite;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>rewrite --data DIR --out DIR [--model NAME] [--temperature T] [--probe-samples 3] [--keep-flagged] [--cache DIR]</c>:
/// rewrites every dilemma of DIR into a neutral account of "the main actor", checks each rewrite (anchored, length ratio,
/// no verdict words; one retry with a note), probes the model for memorisation, and writes the gated dataset to OUT
/// (dilemmas.jsonl, judgments.jsonl, rewrites.jsonl with every outcome, manifest.json), printing the gate report.
/// With an LLM configured by the environment (OPENAI_API_KEY, OPENAI_BASE_URL, AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY,
/// MORALGAP_MODELS) the model rewrites and is probed, every answer cached; without one the rule-based rewriter runs and
/// the probe is reported as skipped. Exit codes: 0 done, 1 bad data, 2 usage or configuration error.
/// </summary>
public static class RewriteCommand
{
    /// <summary>The <c>rewrite</c> verb, configured from the process environment.</summary>
    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    /// <summary>The <c>rewrite</c> verb, configured from <paramref name="environment"/> (tests).</summary>
    public static Command Create(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder holding dilemmas.jsonl", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the rewritten dataset", Required = true };
        var model = new Option<string?>("--model", "-m") { Description = "One of the configured models (MORALGAP_MODELS); default: the first" };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Sampling temperature of the rewrite", DefaultValueFactory = _ => 0.2 };
        var probeSamples = new Option<int>("--probe-samples") { Description = "Times the memorisation probe asks about each post (paper: 3)", DefaultValueFactory = _ => 3 };
        var probeTemperature = new Option<double>("--probe-temperature") { Description = "Sampling temperature of the probe", DefaultValueFactory = _ => 1.0 };
        var keepFlagged = new Option<bool>("--keep-flagged") { Description = "Keep posts the probe flags as memorised (marked in rewrites.jsonl)" };
        var cache = new Option<string?>("--cache") { Description = "Response cache folder (default: OUT/llm-cache)" };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Posts processed at once", DefaultValueFactory = _ => 4 };
        var limit = new Option<int?>("--limit") { Description = "Rewrite only the first K dilemmas" };
        var minRatio = new Option<double>("--min-length-ratio") { Description = "Lowest words(rewrite) / words(original)", DefaultValueFactory = _ => RewriteCheckOptions.Default.MinLengthRatio };
        var maxRatio = new Option<double>("--max-length-ratio") { Description = "Highest words(rewrite) / words(original)", DefaultValueFactory = _ => RewriteCheckOptions.Default.MaxLengthRatio };
        var priceIn = new Option<double>("--price-in") { Description = "Price per 1M input tokens, for the cost line", DefaultValueFactory = _ => 0 };
        var priceOut = new Option<double>("--price-out") { Description = "Price per 1M output tokens, for the cost line", DefaultValueFactory = _ => 0 };
        var retries = new Option<int>("--retries") { Description = "Retries per call for transient failures (429, 5xx, timeouts)", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed for one attempt", DefaultValueFactory = _ => 90 };

        var command = new Command("rewrite", "Rewrite posts into neutral accounts of \"the main actor\", check them, and drop posts a memorisation probe recognises; rule-based when no LLM is configured")
        {
            data, output, model, temperature, probeSamples, probeTemperature, keepFlagged, cache, concurrency, limit, minRatio, maxRatio, priceIn, priceOut, retries, timeout,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var configuration = LlmConfiguration.FromEnvironment(environment);
            if (!configuration.IsComplete)
            {
                await stderr.WriteLineAsync("rewrite: LLM configuration is incomplete: " + string.Join(" ", configuration.Problems));
                return 2;
            }
            var chosen = parse.GetValue(model);
            if (configuration.IsSimulated && !string.IsNullOrWhiteSpace(chosen))
            {
                await stderr.WriteLineAsync($"rewrite: --model {chosen} given but no LLM is configured (set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY, and MORALGAP_MODELS); without one, leave --model out and the rule-based rewriter runs.");
                return 2;
            }
            if (!configuration.IsSimulated && !string.IsNullOrWhiteSpace(chosen) && !configuration.Models.Contains(chosen.Trim()))
            {
                await stderr.WriteLineAsync($"rewrite: --model {chosen} is not one of the configured models ({string.Join(", ", configuration.Models)}).");
                return 2;
            }
            var options = new RewriteGateOptions
            {
                Temperature = parse.GetValue(temperature),
                ProbeSamples = parse.GetValue(probeSamples),
                ProbeTemperature = parse.GetValue(probeTemperature),
                KeepFlagged = parse.GetValue(keepFlagged),
                Concurrency = parse.GetValue(concurrency),
                Checks = new RewriteCheckOptions(parse.GetValue(minRatio), parse.GetValue(maxRatio)),
                PricePerMillion = (parse.GetValue(priceIn), parse.GetValue(priceOut)),
            };
            if (options.ProbeSamples < 1 || options.Temperature is < 0 or > 2 || options.ProbeTemperature is < 0 or > 2 || options.Checks.MinLengthRatio > options.Checks.MaxLengthRatio)
            {
                await stderr.WriteLineAsync("rewrite: --probe-samples must be at least 1, temperatures within [0, 2], and --min-length-ratio at most --max-length-ratio.");
                return 2;
            }
            var dataDir = Path.GetFullPath(parse.GetValue(data)!);
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                var source = DilemmaDataset.Load(dataDir);
                if (!source.HasText) throw new DataFormatException(Path.Combine(dataDir, DatasetManifest.FileName), 0, "hasText", "this dataset has no post text (vote counts only): there is nothing to rewrite");
                var dilemmas = parse.GetValue(limit) is { } k ? source.Dilemmas.Take(Math.Max(0, k)).ToList() : source.Dilemmas.ToList();
                CachedChatClient? client = null;
                string? modelName = null;
                if (!configuration.IsSimulated)
                {
                    modelName = string.IsNullOrWhiteSpace(chosen) ? configuration.Models[0] : chosen.Trim();
                    client = configuration.CreateCachedClient(modelName, parse.GetValue(cache) ?? Path.Combine(outDir, "llm-cache"),
                        new LlmRetryOptions(parse.GetValue(retries), AttemptTimeout: TimeSpan.FromSeconds(parse.GetValue(timeout))));
                }
                await stdout.WriteLineAsync($"rewrite: {dilemmas.Count} dilemmas from {dataDir}; " +
                    (client is null ? RuleBasedRewriter.Name + "; memorisation probe skipped" : $"{configuration.Describe()}; model {modelName}, temperature {options.Temperature.ToString(CultureInfo.InvariantCulture)}"));
                var lastShown = -1;
                var gate = new Lock();
                var progress = new global::MoralGap.Notebooks.InlineProgress<RewriteGate.Progress>(p =>
                {
                    var step = p.Total == 0 ? 10 : p.Done * 10 / p.Total; // every 10%
                    lock (gate)
                    {
                        if (step <= lastShown) return;
                        lastShown = step;
                        stderr.WriteLine($"rewrite: {p.Done}/{p.Total} dilemmas");
                    }
                });
                var result = await RewriteGate.RunAsync(dilemmas, client, modelName, options, progress, cancellationToken);
                var ids = dilemmas.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
                var saved = result.Save(new DilemmaDataset(dilemmas, source.Judgments.Where(j => ids.Contains(j.DilemmaId)), source.Name, source.Description), outDir);
                await stdout.WriteLineAsync(result.Report.ToString());
                await stdout.WriteLineAsync($"wrote {saved.Dilemmas.Count} dilemmas, {saved.Judgments.Count} judgments and {RewriteGateResult.OutcomesFile} ({result.Outcomes.Count} outcomes) to {outDir}");
                return 0;
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("rewrite: cancelled (answers received so far are in the cache; rerun to resume).");
                return 130;
            }
            catch (Exception e) when (e is DataFormatException or FileNotFoundException or DirectoryNotFoundException)
            {
                await stderr.WriteLineAsync("rewrite failed: " + configuration.Redact(e.Message));
                return 1;
            }
            catch (Exception e) when (e is LlmCallException or System.ClientModel.ClientResultException or HttpRequestException or TimeoutException)
            {
                await stderr.WriteLineAsync("rewrite: an LLM call failed (answers received so far are in the cache; rerun to resume): " + configuration.Redact(e.Message));
                return 1;
            }
        });
        return command;
    }
}
