using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using MoralGap.Notebooks;

namespace MoralGap.Runner.Commands;

/// <summary>
/// <c>judge --data DIR [--models a,b] [--samples N] [--temperature T | --no-temperature] [--concurrency C] [--cache DIR] [--out DIR]</c>:
/// collects LLM judgments of the dilemmas in DIR/dilemmas.jsonl from the provider configured by the environment
/// (OPENAI_API_KEY, OPENAI_BASE_URL, AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY, MORALGAP_MODELS), or from the
/// simulated judge fitted on DIR/judgments.jsonl when nothing is configured. Writes OUT/judgments.jsonl (existing lines
/// of other authors kept, lines of the judged models replaced) and OUT/llm-outcomes.jsonl (one line per call).
/// </summary>
public static class JudgeCommand
{
    private static readonly JsonSerializerOptions Json = CreateJson();

    /// <summary>The <c>judge</c> verb, configured from the process environment.</summary>
    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    /// <summary>The <c>judge</c> verb, configured from <paramref name="environment"/> (tests).</summary>
    public static Command Create(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var data = new Option<string>("--data", "-d") { Description = "Dataset folder holding dilemmas.jsonl (and judgments.jsonl with human judgments)", Required = true };
        var models = new Option<string?>("--models", "-m") { Description = "Comma-separated models or Azure deployments (default: MORALGAP_MODELS)" };
        var samples = new Option<int>("--samples", "-n") { Description = "Samples per dilemma and model (paper: 32)", DefaultValueFactory = _ => 32 };
        var temperature = new Option<double>("--temperature", "-t") { Description = "Sampling temperature", DefaultValueFactory = _ => 1.0 };
        var noTemperature = new Option<bool>("--no-temperature")
        {
            Description = "Send no temperature at all (reasoning models such as o1, o3 and gpt-5 reject one); the model's default sampling is used",
        };
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Calls in flight at once", DefaultValueFactory = _ => 4 };
        var cache = new Option<string?>("--cache") { Description = "Response cache folder (default: OUT/llm-cache)" };
        var output = new Option<string?>("--out", "-o") { Description = "Folder for judgments.jsonl and llm-outcomes.jsonl (default: the --data folder)" };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated judge (with no model configured). Real models get sample i with request seed i, so every run and chapter shares one cache entry per sample", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Judge only the first K dilemmas" };
        var priceIn = new Option<double>("--price-in") { Description = "Price per 1M input tokens, for the cost summary", DefaultValueFactory = _ => 0 };
        var priceOut = new Option<double>("--price-out") { Description = "Price per 1M output tokens, for the cost summary", DefaultValueFactory = _ => 0 };
        var retries = new Option<int>("--retries") { Description = "Retries per call for transient failures (429, 5xx, timeouts)", DefaultValueFactory = _ => 5 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds allowed for one attempt", DefaultValueFactory = _ => 90 };
        var batch = new Option<bool>("--batch") { Description = "Send the requests through the provider's Batch API (OpenAI, Azure OpenAI, or a server with /v1/files and /v1/batches): half price, answers within 24 h, resumable from OUT/batch-state.json" };
        var dryRun = new Option<bool>("--dry-run") { Description = "With --batch: print the plan (requests, files, bytes, estimated cost at batch and live prices) and call nothing" };
        var resubmitFailed = new Option<bool>("--resubmit-failed") { Description = "With --batch: send again only the requests of finished batches that have no answer (expired, failed, cancelled, request errors)" };
        var batchDiscount = new Option<double>("--batch-discount") { Description = "Batch price as a share of the live --price-in/--price-out (OpenAI and Azure: 0.5)", DefaultValueFactory = _ => 0.5 };
        var batchRequests = new Option<int>("--batch-max-requests") { Description = "Requests per batch file (OpenAI 50,000; Azure 100,000)", DefaultValueFactory = _ => 50_000 };
        var batchMegabytes = new Option<double>("--batch-max-mb") { Description = "Megabytes per batch file (both services: 200)", DefaultValueFactory = _ => 190 };
        var poll = new Option<double>("--poll") { Description = "Seconds between status checks of submitted batches", DefaultValueFactory = _ => 60 };

        var command = new Command("judge", "Collect LLM judgments (N samples per dilemma and model) with a response cache; the simulated judge answers when no LLM is configured")
        {
            data, models, samples, temperature, noTemperature, concurrency, cache, output, seed, limit, priceIn, priceOut, retries, timeout,
            batch, dryRun, resubmitFailed, batchDiscount, batchRequests, batchMegabytes, poll,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var modelList = parse.GetValue(models);
            var configuration = LlmConfiguration.FromEnvironment(name =>
                name == LlmConfiguration.ModelsVariable && !string.IsNullOrWhiteSpace(modelList) && modelList.Trim() != SimulatedJudge.ModelIdValue ? modelList : environment(name));
            if (!configuration.IsComplete)
            {
                await stderr.WriteLineAsync("judge: LLM configuration is incomplete: " + string.Join(" ", configuration.Problems));
                return 2;
            }
            var sendTemperature = !parse.GetValue(noTemperature);
            if (!sendTemperature && parse.GetResult(temperature) is { Implicit: false })
            {
                await stderr.WriteLineAsync("judge: --temperature and --no-temperature contradict each other; give one of them.");
                return 2;
            }
            var dataDir = Path.GetFullPath(parse.GetValue(data)!);
            var outDir = Path.GetFullPath(parse.GetValue(output) ?? dataDir);
            try
            {
                var dilemmas = ReadDilemmas(Path.Combine(dataDir, "dilemmas.jsonl"));
                if (parse.GetValue(limit) is { } k) dilemmas = dilemmas.Take(Math.Max(0, k)).ToList();
                await stdout.WriteLineAsync($"judge: {dilemmas.Count} dilemmas from {dataDir}; {configuration.Describe()}; " +
                    (sendTemperature ? $"temperature {parse.GetValue(temperature).ToString(CultureInfo.InvariantCulture)}" : "no temperature sent (the model's default)"));

                SimulatedJudge? simulated = null;
                if (configuration.IsSimulated)
                {
                    var humansPath = Path.Combine(dataDir, "judgments.jsonl");
                    var humans = File.Exists(humansPath) ? ReadJudgments(humansPath).Where(j => j.Author == "human").ToList() : [];
                    if (humans.Count > 0)
                    {
                        simulated = SimulatedJudge.FitFromHumans(dilemmas, humans, new SimulatedJudgeOptions(Seed: parse.GetValue(seed)));
                        await stdout.WriteLineAsync("judge: [SIMULATED] " + simulated.Fit);
                    }
                    else
                    {
                        simulated = new SimulatedJudge(_ => 0.5, new SimulatedJudgeOptions(Seed: parse.GetValue(seed)));
                        await stdout.WriteLineAsync($"judge: [SIMULATED] no human judgments in {humansPath}: the simulated judge answers at chance (p̂ = 0.5).");
                    }
                }

                var options = new JudgmentCollectionOptions
                {
                    Samples = parse.GetValue(samples),
                    Temperature = sendTemperature ? parse.GetValue(temperature) : null,
                    Concurrency = parse.GetValue(concurrency),
                    Cache = new ResponseCache(parse.GetValue(cache) ?? Path.Combine(outDir, "llm-cache")),
                    Retry = new LlmRetryOptions(parse.GetValue(retries), AttemptTimeout: TimeSpan.FromSeconds(parse.GetValue(timeout))),
                    Prices = configuration.Models.ToDictionary(m => m, _ => new ModelPrice(parse.GetValue(priceIn), parse.GetValue(priceOut))),
                };
                if (parse.GetValue(batch) || parse.GetValue(dryRun) || parse.GetValue(resubmitFailed))
                {
                    if (!parse.GetValue(batch))
                    {
                        await stderr.WriteLineAsync("judge: --dry-run and --resubmit-failed go with --batch.");
                        return 2;
                    }
                    if (configuration.IsSimulated)
                    {
                        await stderr.WriteLineAsync("judge: --batch needs a configured provider (the simulated judge has no Batch API).");
                        return 2;
                    }
                    var limits = new BatchLimits(parse.GetValue(batchRequests), (long)(parse.GetValue(batchMegabytes) * 1e6));
                    if (parse.GetValue(dryRun))
                    {
                        var (_, plan) = BatchPlanner.Plan(dilemmas, configuration.Models, configuration.ProviderId, configuration.BatchChatUrl, options,
                            options.Cache, limits, i => ($"input-{i + 1:0000}.jsonl", Stream.Null), options.Prices, parse.GetValue(batchDiscount));
                        await stdout.WriteLineAsync("judge --batch --dry-run: " + plan);
                        return 0;
                    }
                    Directory.CreateDirectory(outDir);
                    using var api = BatchApi.For(configuration);
                    var batchRun = new BatchCollector(api, options.Cache!, configuration.ProviderId, configuration.BatchChatUrl, outDir)
                    {
                        PollInterval = TimeSpan.FromSeconds(parse.GetValue(poll)),
                    };
                    BatchState state;
                    try
                    {
                        state = await batchRun.RunAsync(dilemmas, configuration.Models, options, limits, parse.GetValue(resubmitFailed), new PrefixedWriter(stdout, "judge "), cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        await stderr.WriteLineAsync($"judge: stopped; submitted batches and every answer received are saved ({batchRun.StatePath}), so a rerun resumes.");
                        return 130;
                    }
                    var missing = batchRun.Missing(state);
                    if (missing > 0)
                    {
                        await stdout.WriteLineAsync($"judge: {missing:N0} requests have no answer: " +
                            string.Join(", ", BatchCollector.Report(state).Select(kv => $"{kv.Key} {kv.Value}")) + "; rerun with --resubmit-failed to send only those.");
                        return 3;
                    }
                    await stdout.WriteLineAsync("judge: every batch answer is in the cache; writing the judgments from it (no call is made)");
                }

                var lastShown = -1;
                var gate = new Lock();
                var progress = new InlineProgress<JudgingProgress>(p =>
                {
                    var step = (int)(p.Fraction * 20); // every 5%
                    lock (gate)
                    {
                        if (step <= lastShown) return;
                        lastShown = step;
                        stdout.WriteLine("judge: " + p);
                    }
                });

                JudgmentCollection result;
                try
                {
                    result = await JudgmentCollector.CollectAsync(dilemmas, configuration, simulated, options, progress, cancellationToken);
                }
                catch (OperationCanceledException e)
                {
                    await stderr.WriteLineAsync("judge: " + configuration.Redact(e.Message));
                    return 130;
                }

                Directory.CreateDirectory(outDir);
                var judgmentsPath = Path.Combine(outDir, "judgments.jsonl");
                var kept = WriteJudgments(judgmentsPath, result.Judgments, configuration.Models.ToHashSet(StringComparer.Ordinal));
                var outcomesPath = Path.Combine(outDir, "llm-outcomes.jsonl");
                WriteLinesAtomic(outcomesPath, result.Outcomes.Select(o => JsonSerializer.Serialize(new
                {
                    o.DilemmaId, o.Model, o.SampleIndex, kind = o.KindName, o.FromCache, o.Attempts, o.HttpStatus,
                    detail = o.Detail is null ? null : configuration.Redact(o.Detail), o.InputTokens, o.OutputTokens,
                    elapsedMs = Math.Round(o.Elapsed.TotalMilliseconds, 1),
                }, Json)));
                await stdout.WriteLineAsync("judge: " + result);
                await stdout.WriteLineAsync($"judge: wrote {result.Judgments.Count} judgments to {judgmentsPath} ({kept} lines of other authors kept) and the call log to {outcomesPath}");
                return 0;
            }
            catch (Exception e) when (e is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or InvalidOperationException
                                       or FormatException or LlmCallException or HttpRequestException)
            {
                await stderr.WriteLineAsync("judge failed: " + configuration.Redact(e.Message));
                return 1;
            }
        });
        return command;
    }

    // A minimal reader of the dataset folder's JSONL files (the Data stage's store reads the same shape: camelCase
    // names, verdict as "acceptable"/"unacceptable"); kept here so this verb does not depend on the store's API.
    internal static List<Dilemma> ReadDilemmas(string path)
    {
        var list = new List<Dilemma>();
        foreach (var (line, element) in ReadObjects(path))
        {
            string Field(string name, bool required = true)
            {
                if (element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String) return v.GetString()!;
                if (!required) return "";
                throw new InvalidDataException($"{path}, line {line}: field '{name}' is missing or not a string.");
            }
            var topic = element.TryGetProperty("topic", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            list.Add(new Dilemma(Field("id"), Field("title", required: false), Field("text"), Field("source", required: false), topic));
        }
        return list;
    }

    internal static List<Judgment> ReadJudgments(string path)
    {
        var list = new List<Judgment>();
        foreach (var (line, element) in ReadObjects(path))
        {
            try
            {
                list.Add(JsonSerializer.Deserialize<Judgment>(element, Json) ?? throw new JsonException("null"));
            }
            catch (Exception e) when (e is JsonException or NotSupportedException)
            {
                throw new InvalidDataException($"{path}, line {line}: not a judgment ({e.Message})", e);
            }
        }
        return list;
    }

    private static IEnumerable<(int Line, JsonElement Element)> ReadObjects(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
        var number = 0;
        foreach (var text in File.ReadLines(path, Encoding.UTF8))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            JsonElement element;
            try { element = JsonDocument.Parse(text).RootElement; }
            catch (JsonException e) { throw new InvalidDataException($"{path}, line {number}: not valid JSON ({e.Message})", e); }
            if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}, line {number}: expected a JSON object.");
            yield return (number, element);
        }
    }

    /// <summary>Writes judgments.jsonl: existing lines by other authors kept verbatim, then the new judgments. Returns lines kept.</summary>
    private static int WriteJudgments(string path, IReadOnlyList<Judgment> judgments, IReadOnlySet<string> replacedAuthors)
    {
        var kept = new List<string>();
        var replaced = new HashSet<string>(replacedAuthors, StringComparer.Ordinal);
        replaced.UnionWith(judgments.Select(j => j.Author));
        if (File.Exists(path))
            foreach (var (_, element) in ReadObjects(path))
            {
                var author = element.TryGetProperty("author", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (author is null || !replaced.Contains(author)) kept.Add(element.GetRawText());
            }
        WriteLinesAtomic(path, kept.Concat(judgments.Select(j => JsonSerializer.Serialize(j, Json))));
        return kept.Count;
    }

    private static void WriteLinesAtomic(string path, IEnumerable<string> lines)
    {
        var temp = path + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)) { NewLine = "\n" })
                foreach (var line in lines) writer.WriteLine(line);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NumberHandling = JsonNumberHandling.Strict,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: true));
        return o;
    }

    /// <summary>Writes each line with a prefix (the batch collector's lines start with <c>batch:</c>; the verb's with <c>judge </c>).</summary>
    private sealed class PrefixedWriter(TextWriter inner, string prefix) : TextWriter
    {
        public override Encoding Encoding => inner.Encoding;
        public override void Write(char value) => inner.Write(value);
        public override void WriteLine(string? value) => inner.WriteLine(prefix + value);
        public override Task WriteLineAsync(string? value) { inner.WriteLine(prefix + value); return Task.CompletedTask; }
    }
}
