using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;

namespace MoralGap.Judging;

/// <summary>A Batch API's limits per input file (OpenAI: 50,000 requests and 200 MB; Azure OpenAI: 100,000 and 200 MB).</summary>
/// <param name="MaxRequestsPerFile">Requests per file (and so per batch).</param>
/// <param name="MaxBytesPerFile">Bytes per file; the default leaves 10 MB under the 200 MB limit.</param>
public sealed record BatchLimits(int MaxRequestsPerFile = 50_000, long MaxBytesPerFile = 190_000_000);

/// <summary>One input file of a batch collection and what became of it.</summary>
public sealed class BatchFileState
{
    /// <summary>File name, in the batch folder.</summary>
    public string File { get; set; } = "";
    /// <summary>Request lines in the file.</summary>
    public int Requests { get; set; }
    /// <summary>Size in bytes.</summary>
    public long Bytes { get; set; }
    /// <summary>True for a file of <c>--resubmit-failed</c>.</summary>
    public bool Resubmission { get; set; }
    /// <summary>The uploaded file's id, once uploaded.</summary>
    public string? FileId { get; set; }
    /// <summary>The batch id, once created (never created twice).</summary>
    public string? BatchId { get; set; }
    /// <summary>Last status seen: validating, in_progress, finalizing, completed, expired, failed, cancelling, cancelled.</summary>
    public string? Status { get; set; }
    /// <summary>Requests the service reports completed.</summary>
    public int Completed { get; set; }
    /// <summary>Requests the service reports failed.</summary>
    public int Failed { get; set; }
    /// <summary>Output file id, when the service made one.</summary>
    public string? OutputFileId { get; set; }
    /// <summary>Error file id, when the service made one.</summary>
    public string? ErrorFileId { get; set; }
    /// <summary>True once the output and error files were read and their answers stored.</summary>
    public bool Downloaded { get; set; }
    /// <summary>Answers stored from this batch.</summary>
    public int Stored { get; set; }
    /// <summary>Per-request errors by kind (HTTP status or error code).</summary>
    public SortedDictionary<string, int> Errors { get; set; } = new(StringComparer.Ordinal);
    /// <summary>Batch-level errors the service reported (validation), if any.</summary>
    public string? BatchErrors { get; set; }

    /// <summary>True when the batch can change no more.</summary>
    public bool IsTerminal => Status is "completed" or "expired" or "failed" or "cancelled";
}

/// <summary>
/// The state of a batch collection, <c>batch-state.json</c> in the output folder: written before anything is submitted
/// and after every step (upload, batch created, status, download), so a killed or restarted run resumes the batches it
/// submitted and never submits one twice. Holds ids and counts, never a key.
/// </summary>
public sealed class BatchState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Format version.</summary>
    public int Version { get; set; } = 1;
    /// <summary>Secret-free provider id the answers are keyed under.</summary>
    public string Provider { get; set; } = "";
    /// <summary>Requests in the plan (missing from the cache when planned).</summary>
    public int Requests { get; set; }
    /// <summary>Requests already in the cache when planned (not sent).</summary>
    public int AlreadyCached { get; set; }
    /// <summary>The input files, in order.</summary>
    public List<BatchFileState> Files { get; set; } = [];

    /// <summary>Reads a state file, or null when there is none.</summary>
    /// <exception cref="DataFormatException">The file is not a batch state.</exception>
    public static BatchState? Load(string path)
    {
        if (!System.IO.File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<BatchState>(System.IO.File.ReadAllText(path), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, 0, null, $"not a batch state ({e.Message}); move it away to plan afresh", e);
        }
    }

    /// <summary>Writes the state atomically (temp file, flush, rename).</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }
        System.IO.File.Move(temp, path, overwrite: true);
    }
}

/// <summary>The size and price of a batch plan (<see cref="BatchPlanner"/>), as <c>--dry-run</c> prints it.</summary>
/// <param name="Requests">Requests to send (missing from the cache).</param>
/// <param name="AlreadyCached">Requests already answered in the cache.</param>
/// <param name="Files">Input files.</param>
/// <param name="Bytes">Bytes of all input files.</param>
/// <param name="InputTokens">Estimated prompt tokens (4 characters a token).</param>
/// <param name="MaxOutputTokens">Output tokens at most (the token limit of every request), or 0 when no limit is sent.</param>
/// <param name="LiveCost">Cost at the live prices: input estimate plus <see cref="TypicalOutputTokens"/> an answer.</param>
/// <param name="BatchCost">The same at batch prices (<see cref="LiveCost"/> × the discount).</param>
/// <param name="BatchCostAtLimit">Batch cost with every answer at its token limit: the most it can cost.</param>
public sealed record BatchPlanSummary(int Requests, int AlreadyCached, int Files, long Bytes, long InputTokens, long MaxOutputTokens, double LiveCost,
    double BatchCost, double BatchCostAtLimit)
{
    /// <summary>Output tokens of a typical two-line answer (verdict and one-sentence rationale), for the estimate.</summary>
    public const int TypicalOutputTokens = 80;

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Requests:N0} requests to send ({AlreadyCached:N0} already in the cache) in {Files} file(s), {Bytes / 1e6:N1} MB; " +
        $"about {InputTokens:N0} input tokens (4 characters a token); estimated cost {BatchCost:0.##} at batch prices vs {LiveCost:0.##} live " +
        $"({TypicalOutputTokens} output tokens an answer); at most {BatchCostAtLimit:0.##} at batch prices if every answer reached its limit ({MaxOutputTokens:N0} output tokens)");
}

/// <summary>
/// Builds the request lines of a judgment collection for a Batch API: one line per dilemma × model × sample missing from
/// the cache, exactly the request the live collector sends (same messages, temperature, token limit, seed = sample
/// index), with <c>custom_id</c> = the SHA-256 of the one cache key (<see cref="CacheKey.Hash"/>), split into files at the
/// service's limits. Lines are streamed to disk; memory stays flat at any scale.
/// </summary>
public static class BatchPlanner
{
    /// <summary>Writes the plan's files (<paramref name="openFile"/> makes each; a counting null stream for a dry run) and returns the file list.</summary>
    /// <param name="dilemmas">Dilemmas to judge.</param>
    /// <param name="models">Models (or Azure batch deployments).</param>
    /// <param name="providerId">Secret-free provider id of the cache key.</param>
    /// <param name="chatUrl">The <c>url</c> of each line (<see cref="LlmConfiguration.BatchChatUrl"/>).</param>
    /// <param name="options">The collection options (samples, temperature, token limit, prompt); seeds must be on.</param>
    /// <param name="cache">Requests already answered here are left out (null: none left out).</param>
    /// <param name="limits">Per-file limits.</param>
    /// <param name="openFile">Opens input file number i (0-based) for writing, returning its name and stream.</param>
    /// <param name="prices">Live prices per model, for the estimate (null: 0).</param>
    /// <param name="batchDiscount">Batch price as a share of the live price (OpenAI and Azure: 0.5).</param>
    public static (List<BatchFileState> Files, BatchPlanSummary Summary) Plan(IReadOnlyList<Dilemma> dilemmas, IReadOnlyList<string> models,
        string providerId, string chatUrl, JudgmentCollectionOptions options, ResponseCache? cache, BatchLimits limits,
        Func<int, (string Name, Stream Stream)> openFile, IReadOnlyDictionary<string, ModelPrice>? prices = null, double batchDiscount = 0.5)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(openFile);
        options.Validate();
        if (!options.SendSeed) throw new ArgumentException("A batch sends sample i with seed i (the seed carries the sample index back into the cache key); SendSeed must be on.", nameof(options));
        var files = new List<BatchFileState>();
        Stream? stream = null;
        BatchFileState? current = null;
        var line = new ArrayBufferWriter<byte>(16 * 1024);
        var pending = new List<(string Hash, byte[] Line, long Chars, string Model)>(500);
        int requests = 0, cached = 0;
        long inputChars = 0, bytes = 0;
        double liveCost = 0, liveCostAtLimit = 0;

        void Flush()
        {
            var stored = cache is null ? [] : cache.Stored(pending.Select(p => p.Hash));
            foreach (var (hash, bytesOfLine, chars, model) in pending)
            {
                if (stored.Contains(hash)) { cached++; continue; }
                if (current is null || current.Requests >= limits.MaxRequestsPerFile || current.Bytes + bytesOfLine.Length > limits.MaxBytesPerFile)
                {
                    stream?.Dispose();
                    var (name, s) = openFile(files.Count);
                    stream = s;
                    current = new BatchFileState { File = name };
                    files.Add(current);
                }
                stream!.Write(bytesOfLine);
                current.Requests++;
                current.Bytes += bytesOfLine.Length;
                bytes += bytesOfLine.Length;
                requests++;
                inputChars += chars;
                if (prices is not null && prices.TryGetValue(model, out var price))
                {
                    liveCost += price.Cost((chars + 3) / 4, BatchPlanSummary.TypicalOutputTokens);
                    liveCostAtLimit += price.Cost((chars + 3) / 4, options.MaxOutputTokens ?? BatchPlanSummary.TypicalOutputTokens);
                }
            }
            pending.Clear();
        }

        try
        {
            foreach (var dilemma in dilemmas)
            {
                var messages = options.MessagesFor(dilemma);
                var chars = messages.Sum(m => (long)(m.Text?.Length ?? 0));
                foreach (var model in models)
                {
                    var template = RequestTemplate.TryCreate(providerId, chatUrl, model, messages, options);
                    for (var sample = 0; sample < options.Samples; sample++)
                    {
                        if (template is not null)
                        {
                            var (hash, bytesOfLine) = template.For(sample);
                            pending.Add((hash, bytesOfLine, chars, model));
                        }
                        else
                        {
                            var hash = options.KeyFor(providerId, model, messages, sample).Hash();
                            line.Clear();
                            WriteLine(line, hash, chatUrl, model, messages, options.ChatOptionsFor(sample));
                            pending.Add((hash, line.WrittenSpan.ToArray(), chars, model));
                        }
                        if (pending.Count == 500) Flush();
                    }
                }
            }
            Flush();
        }
        finally
        {
            stream?.Dispose();
        }
        return (files, new BatchPlanSummary(requests, cached, files.Count, bytes, (inputChars + 3) / 4,
            (long)requests * (options.MaxOutputTokens ?? 0), liveCost, liveCost * batchDiscount, liveCostAtLimit * batchDiscount));
    }

    /// <summary>
    /// The request lines of one prompt and model, for every sample: the cache key's canonical bytes and the request
    /// line differ between samples only in the sample index (the key's <c>sampleIndex</c>, the body's <c>seed</c>) and
    /// the <c>custom_id</c>, so both are serialised once and sample i is assembled from their pieces. Only the SHA-256
    /// runs per request. The template is checked at creation against the slow path (<see cref="CacheKey.For"/>,
    /// <see cref="WriteLine"/>) for samples 0 and 1, byte for byte; where it does not reproduce them it is not used.
    /// </summary>
    // Written for the paper-scale plan (517,760 requests): serialising each key and line from scratch cost ≈ 15 µs a
    // request, mostly JSON of the same 2 KB prompt; the pieces make it a hash and a copy.
    internal sealed class RequestTemplate
    {
        private readonly byte[] keyHead, keyTail, lineHead, lineMiddle, lineTail;
        private readonly byte[] keyBuffer; // keyHead + up to 11 digits + keyTail; one template is used by one thread

        private RequestTemplate(byte[] keyHead, byte[] keyTail, byte[] lineHead, byte[] lineMiddle, byte[] lineTail)
        {
            (this.keyHead, this.keyTail, this.lineHead, this.lineMiddle, this.lineTail) = (keyHead, keyTail, lineHead, lineMiddle, lineTail);
            keyBuffer = new byte[keyHead.Length + 11 + keyTail.Length];
            keyHead.CopyTo(keyBuffer, 0);
        }

        public static RequestTemplate? TryCreate(string providerId, string chatUrl, string model, IReadOnlyList<ChatMessage> messages, JudgmentCollectionOptions options)
        {
            if (options.Samples < 2 || !options.SendSeed) return null;
            var key = JsonSerializer.SerializeToUtf8Bytes(options.KeyFor(providerId, model, messages, 0), CacheKey.CanonicalJsonOptions);
            var at = key.AsSpan().LastIndexOf("\"sampleIndex\":0"u8);
            if (at < 0) return null;
            var keyCut = at + "\"sampleIndex\":"u8.Length;
            var placeholder = new string('0', 64);
            var buffer = new ArrayBufferWriter<byte>(4096);
            WriteLine(buffer, placeholder, chatUrl, model, messages, options.ChatOptionsFor(0));
            var line = buffer.WrittenSpan.ToArray();
            var idAt = line.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"custom_id\":\"{placeholder}\""));
            var seedAt = line.AsSpan().LastIndexOf("\"seed\":0"u8);
            if (idAt < 0 || seedAt < 0) return null;
            var idStart = idAt + "\"custom_id\":\""u8.Length;
            var seedCut = seedAt + "\"seed\":"u8.Length;
            var template = new RequestTemplate(key[..keyCut], key[(keyCut + 1)..], line[..idStart], line[(idStart + 64)..seedCut], line[(seedCut + 1)..]);
            for (var sample = 0; sample < 2; sample++)
            {
                var hash = options.KeyFor(providerId, model, messages, sample).Hash();
                buffer.Clear();
                WriteLine(buffer, hash, chatUrl, model, messages, options.ChatOptionsFor(sample));
                var (h, l) = template.For(sample);
                if (h != hash || !l.AsSpan().SequenceEqual(buffer.WrittenSpan)) return null;
            }
            return template;
        }

        /// <summary>The custom_id (SHA-256 of the key) and the request line of sample <paramref name="sample"/>.</summary>
        public (string Hash, byte[] Line) For(int sample)
        {
            Span<byte> index = stackalloc byte[11];
            sample.TryFormat(index, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
            var digits = index[..n];
            var keyBytes = keyBuffer.AsSpan(0, keyHead.Length + n + keyTail.Length);
            digits.CopyTo(keyBytes[keyHead.Length..]);
            keyTail.CopyTo(keyBytes[(keyHead.Length + n)..]);
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(keyBytes, digest);
            var hash = Convert.ToHexStringLower(digest);
            var line = new byte[lineHead.Length + 64 + lineMiddle.Length + n + lineTail.Length];
            var span = line.AsSpan();
            lineHead.CopyTo(span); span = span[lineHead.Length..];
            Encoding.ASCII.GetBytes(hash, span); span = span[64..];
            lineMiddle.CopyTo(span); span = span[lineMiddle.Length..];
            digits.CopyTo(span); span = span[n..];
            lineTail.CopyTo(span);
            return (hash, line);
        }
    }

    /// <summary>One request line: <c>{"custom_id","method":"POST","url","body":{model, messages, temperature, max_completion_tokens, seed}}</c> and a newline.</summary>
    public static void WriteLine(IBufferWriter<byte> output, string customId, string url, string model, IEnumerable<ChatMessage> messages, ChatOptions options)
    {
        // Relaxed escaping: valid JSON that keeps '<', '>' and non-ASCII letters as they are (smaller, and faster to write).
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("custom_id", customId);
        w.WriteString("method", "POST");
        w.WriteString("url", url);
        w.WriteStartObject("body");
        w.WriteString("model", model);
        w.WriteStartArray("messages");
        foreach (var m in messages)
        {
            w.WriteStartObject();
            w.WriteString("role", m.Role.Value);
            w.WriteString("content", m.Text);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (options.Temperature is { } t) w.WriteNumber("temperature", CacheKey.NormalTemperature(t)!.Value);
        if (options.MaxOutputTokens is { } max) w.WriteNumber("max_completion_tokens", max);
        if (options.Seed is { } seed) w.WriteNumber("seed", seed);
        w.WriteEndObject();
        w.WriteEndObject();
        w.Flush();
        output.Write("\n"u8);
    }

    /// <summary>The cache key of a request line (what <see cref="WriteLine"/> wrote), checked against its <c>custom_id</c>.</summary>
    /// <exception cref="DataFormatException">The line is not a request line, or its key does not hash to its custom_id.</exception>
    public static (string CustomId, CacheKey Key) KeyOfLine(string providerId, string line, string file, int lineNumber)
    {
        try
        {
            var root = JsonNode.Parse(line)!.AsObject();
            var id = root["custom_id"]!.GetValue<string>();
            var body = root["body"]!.AsObject();
            var messages = body["messages"]!.AsArray()
                .Select(m => new ChatMessage(new ChatRole(m!["role"]!.GetValue<string>()), m["content"]!.GetValue<string>())).ToList();
            var seed = body["seed"]?.GetValue<long>();
            var options = new ChatOptions
            {
                Temperature = body["temperature"] is { } t ? (float)t.GetValue<double>() : null,
                MaxOutputTokens = body["max_completion_tokens"]?.GetValue<int>(),
                Seed = seed,
            };
            var key = CacheKey.For(providerId, body["model"]!.GetValue<string>(), messages, options, (int)(seed ?? 0));
            if (key.Hash() != id) throw new DataFormatException(file, lineNumber, "custom_id", $"{id} is not the hash of the request's cache key (a file edited by hand, or planned for another provider)");
            return (id, key);
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new DataFormatException(file, lineNumber, null, $"not a batch request line ({e.Message})", e);
        }
    }
}

/// <summary>A batch as the service reports it.</summary>
public sealed record BatchInfo(string Id, string Status, int Total, int Completed, int Failed, string? OutputFileId, string? ErrorFileId, string? Errors);

/// <summary>
/// The Files and Batches endpoints of OpenAI, Azure OpenAI (v1 API) or an OpenAI-compatible server, over plain HTTP
/// (the OpenAI .NET library exposes batches only as untyped protocol methods, so the few JSON fields are read here).
/// Error text is redacted of the key before it is thrown.
/// </summary>
public sealed class BatchApi(HttpClient http, Func<string?, string> redact) : IDisposable
{
    /// <summary>The client for <paramref name="configuration"/>'s provider.</summary>
    public static BatchApi For(LlmConfiguration configuration) => new(configuration.CreateBatchHttpClient(), configuration.Redact);

    /// <summary>Uploads a JSONL input file with purpose <c>batch</c>; returns its id.</summary>
    public async Task<string> UploadAsync(string path, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("batch"), "purpose");
        await using var file = File.OpenRead(path);
        var content = new StreamContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/jsonl");
        form.Add(content, "file", Path.GetFileName(path));
        var json = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "files") { Content = form }, cancellationToken).ConfigureAwait(false);
        return json["id"]!.GetValue<string>();
    }

    /// <summary>Creates a 24-hour batch over an uploaded file; returns its id.</summary>
    public async Task<string> CreateAsync(string inputFileId, string endpoint, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["input_file_id"] = inputFileId, ["endpoint"] = endpoint, ["completion_window"] = "24h" };
        var json = await SendAsync(new HttpRequestMessage(HttpMethod.Post, "batches") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") },
            cancellationToken).ConfigureAwait(false);
        return json["id"]!.GetValue<string>();
    }

    /// <summary>The id of a batch already created over <paramref name="inputFileId"/> (a run killed after creating it but before saving its id), or null.</summary>
    public async Task<string?> FindAsync(string inputFileId, CancellationToken cancellationToken)
    {
        var json = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "batches?limit=100"), cancellationToken).ConfigureAwait(false);
        return json["data"]?.AsArray().FirstOrDefault(b => b?["input_file_id"]?.GetValue<string>() == inputFileId)?["id"]?.GetValue<string>();
    }

    /// <summary>The batch's status and request counts.</summary>
    public async Task<BatchInfo> GetAsync(string batchId, CancellationToken cancellationToken)
    {
        var json = await SendAsync(new HttpRequestMessage(HttpMethod.Get, "batches/" + Uri.EscapeDataString(batchId)), cancellationToken).ConfigureAwait(false);
        var counts = json["request_counts"];
        var errors = json["errors"]?["data"]?.AsArray().Select(e => $"{e?["code"]}: {e?["message"]}" + (e?["line"] is { } l ? $" (line {l})" : "")).ToArray();
        return new BatchInfo(batchId, json["status"]!.GetValue<string>(), counts?["total"]?.GetValue<int>() ?? 0, counts?["completed"]?.GetValue<int>() ?? 0,
            counts?["failed"]?.GetValue<int>() ?? 0, json["output_file_id"]?.GetValue<string>(), json["error_file_id"]?.GetValue<string>(),
            errors is { Length: > 0 } ? redact(string.Join("; ", errors)) : null);
    }

    /// <summary>Downloads a file's content to <paramref name="path"/>.</summary>
    public async Task DownloadAsync(string fileId, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("files/" + Uri.EscapeDataString(fileId) + "/content", HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
        var temp = path + ".tmp";
        await using (var file = File.Create(temp))
            await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        using (var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            await EnsureAsync(response, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (body.Length > 400) body = body[..400] + "…";
        throw new LlmCallException(redact($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.AbsolutePath}: HTTP {(int)response.StatusCode} {body}"), (int)response.StatusCode);
    }

    /// <inheritdoc/>
    public void Dispose() => http.Dispose();
}

/// <summary>
/// Runs a judgment collection through a Batch API, resumably: plans the request files (only requests missing from the
/// cache), saves <c>batch-state.json</c> before submitting anything, uploads each file and creates its batch (saving each
/// id as soon as it exists, and adopting a batch a killed run created before saving its id), polls with per-batch
/// progress, downloads output and error files, and stores every answer in the response cache under the one key, so
/// every chapter and the live collector read them as cache hits.
/// </summary>
public sealed class BatchCollector(BatchApi api, ResponseCache cache, string providerId, string chatUrl, string folder)
{
    /// <summary>The state file in <see cref="Folder"/>.</summary>
    public string StatePath => Path.Combine(folder, "batch-state.json");

    /// <summary>The output folder (state, input files, downloads under <c>batch/</c>).</summary>
    public string Folder => folder;

    /// <summary>How long to wait between polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Plans (or resumes the saved plan), submits what is not submitted, and polls until every batch is finished and read.</summary>
    /// <param name="dilemmas">Dilemmas to judge.</param>
    /// <param name="models">Models.</param>
    /// <param name="options">Collection options.</param>
    /// <param name="limits">Per-file limits.</param>
    /// <param name="resubmitFailed">Send again, as new batches, the requests of finished batches that have no answer (expired, failed, cancelled, per-request errors).</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellationToken">Stops waiting; every id and answer received is saved, so a rerun resumes.</param>
    public async Task<BatchState> RunAsync(IReadOnlyList<Dilemma> dilemmas, IReadOnlyList<string> models, JudgmentCollectionOptions options, BatchLimits limits,
        bool resubmitFailed, TextWriter log, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.Combine(folder, "batch"));
        var state = BatchState.Load(StatePath);
        if (state is null)
        {
            var (files, summary) = BatchPlanner.Plan(dilemmas, models, providerId, chatUrl, options, cache, limits, i => OpenInput($"input-{i + 1:0000}.jsonl"));
            state = new BatchState { Provider = providerId, Requests = summary.Requests, AlreadyCached = summary.AlreadyCached, Files = files };
            state.Save(StatePath); // before anything is submitted
            await log.WriteLineAsync($"batch: planned {summary}").ConfigureAwait(false);
        }
        else
        {
            if (state.Provider != providerId) throw new InvalidOperationException($"{StatePath} was planned for provider {state.Provider}, not {providerId}: use another --out folder.");
            await log.WriteLineAsync($"batch: resuming {StatePath}: {state.Files.Count} file(s), {state.Files.Count(f => f.BatchId is not null)} submitted").ConfigureAwait(false);
        }
        if (resubmitFailed) await PlanResubmissionAsync(state, limits, log).ConfigureAwait(false);

        foreach (var file in state.Files.Where(f => f.BatchId is null))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.FileId is null)
            {
                file.FileId = await api.UploadAsync(InputPath(file), cancellationToken).ConfigureAwait(false);
                state.Save(StatePath);
            }
            // A run killed between creating the batch and saving its id left it on the service: adopt it, never create a second.
            file.BatchId = await api.FindAsync(file.FileId, cancellationToken).ConfigureAwait(false)
                ?? await api.CreateAsync(file.FileId, chatUrl, cancellationToken).ConfigureAwait(false);
            file.Status = "validating";
            state.Save(StatePath);
            await log.WriteLineAsync($"batch: {file.File} ({file.Requests:N0} requests) submitted as {file.BatchId}").ConfigureAwait(false);
        }

        while (true)
        {
            foreach (var file in state.Files.Where(f => !f.IsTerminal))
            {
                var info = await api.GetAsync(file.BatchId!, cancellationToken).ConfigureAwait(false);
                (file.Status, file.Completed, file.Failed, file.OutputFileId, file.ErrorFileId, file.BatchErrors) =
                    (info.Status, info.Completed, info.Failed, info.OutputFileId, info.ErrorFileId, info.Errors);
                state.Save(StatePath);
                await log.WriteLineAsync($"batch: {file.BatchId} {info.Status}: {info.Completed:N0} completed, {info.Failed:N0} failed of {info.Total:N0}").ConfigureAwait(false);
            }
            foreach (var file in state.Files.Where(f => f.IsTerminal && !f.Downloaded))
            {
                await DownloadAsync(file, cancellationToken).ConfigureAwait(false);
                state.Save(StatePath);
                await log.WriteLineAsync($"batch: {file.BatchId} {file.Status}: {file.Stored:N0} answers stored" +
                    (file.Errors.Count == 0 ? "" : "; request errors: " + string.Join(", ", file.Errors.Select(kv => $"{kv.Key} {kv.Value}"))) +
                    (file.BatchErrors is null ? "" : "; batch errors: " + file.BatchErrors)).ConfigureAwait(false);
            }
            if (state.Files.All(f => f.Downloaded)) return state;
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Requests of the plan that have no answer in the cache (after every batch was read): what <c>--resubmit-failed</c> sends.</summary>
    public int Missing(BatchState state) =>
        state.Files.Where(f => !f.Resubmission).Sum(f => Ids(f).Count(id => !cache.Contains(id)));

    /// <summary>Missing requests by what became of their batch: the batch status for expired, failed and cancelled batches, else the request error kinds.</summary>
    public static IReadOnlyDictionary<string, int> Report(BatchState state)
    {
        var report = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var f in state.Files)
        {
            if (f.Status is "expired" or "failed" or "cancelled") report[$"batch {f.Status}"] = report.GetValueOrDefault($"batch {f.Status}") + f.Requests - f.Stored - f.Errors.Values.Sum();
            foreach (var (kind, n) in f.Errors) report["request " + kind] = report.GetValueOrDefault("request " + kind) + n;
        }
        return report;
    }

    private async Task PlanResubmissionAsync(BatchState state, BatchLimits limits, TextWriter log)
    {
        if (!state.Files.All(f => f.Downloaded))
        {
            await log.WriteLineAsync("batch: --resubmit-failed waits until every submitted batch has finished and been read").ConfigureAwait(false);
            return;
        }
        var round = state.Files.Count(f => f.Resubmission && f.File.EndsWith("-0001.jsonl", StringComparison.Ordinal)) + 1;
        var files = new List<BatchFileState>();
        BatchFileState? current = null;
        StreamWriter? writer = null;
        try
        {
            foreach (var source in state.Files.Where(f => !f.Resubmission)) // the original plan holds every request once
            {
                var lineNumber = 0;
                foreach (var line in File.ReadLines(InputPath(source)))
                {
                    lineNumber++;
                    if (line.Length == 0) continue;
                    var id = JsonNode.Parse(line)?["custom_id"]?.GetValue<string>() ?? throw new DataFormatException(InputPath(source), lineNumber, "custom_id", "missing");
                    if (cache.Contains(id)) continue;
                    var bytes = Encoding.UTF8.GetByteCount(line) + 1;
                    if (current is null || current.Requests >= limits.MaxRequestsPerFile || current.Bytes + bytes > limits.MaxBytesPerFile)
                    {
                        writer?.Dispose();
                        current = new BatchFileState { File = $"resubmit-{round}-{files.Count + 1:0000}.jsonl", Resubmission = true };
                        writer = new StreamWriter(File.Create(InputPath(current)), new UTF8Encoding(false)) { NewLine = "\n" };
                        files.Add(current);
                    }
                    writer!.WriteLine(line);
                    current.Requests++;
                    current.Bytes += bytes;
                }
            }
        }
        finally
        {
            writer?.Dispose();
        }
        state.Files.AddRange(files);
        state.Save(StatePath);
        await log.WriteLineAsync($"batch: resubmitting {files.Sum(f => f.Requests):N0} requests without an answer in {files.Count} file(s)").ConfigureAwait(false);
    }

    private async Task DownloadAsync(BatchFileState file, CancellationToken cancellationToken)
    {
        var outputs = new Dictionary<string, CachedResponse>(StringComparer.Ordinal);
        file.Errors.Clear();
        foreach (var (fileId, suffix) in new[] { (file.OutputFileId, "output"), (file.ErrorFileId, "errors") })
        {
            if (string.IsNullOrEmpty(fileId)) continue;
            var path = Path.Combine(folder, "batch", $"{Path.GetFileNameWithoutExtension(file.File)}.{suffix}.jsonl");
            await api.DownloadAsync(fileId, path, cancellationToken).ConfigureAwait(false);
            var lineNumber = 0;
            foreach (var line in File.ReadLines(path))
            {
                lineNumber++;
                if (line.Length == 0) continue;
                var (id, answer, error) = ReadResult(line, path, lineNumber);
                if (answer is not null) outputs[id] = answer;
                else file.Errors[error!] = file.Errors.GetValueOrDefault(error!) + 1;
            }
        }
        // The key of each answer, rebuilt from the request line it answers (and checked against its custom_id).
        var batch = new List<(CacheKey, CachedResponse)>(1000);
        var stored = 0;
        var number = 0;
        foreach (var line in File.ReadLines(InputPath(file)))
        {
            number++;
            if (line.Length == 0 || outputs.Count == 0) continue;
            var id = JsonNode.Parse(line)?["custom_id"]?.GetValue<string>();
            if (id is null || !outputs.Remove(id, out var answer)) continue;
            batch.Add((BatchPlanner.KeyOfLine(providerId, line, InputPath(file), number).Key, answer));
            if (batch.Count == 1000) { cache.PutMany(batch); stored += batch.Count; batch.Clear(); }
        }
        if (batch.Count > 0) { cache.PutMany(batch); stored += batch.Count; }
        if (outputs.Count > 0) file.Errors["unknown custom_id"] = outputs.Count;
        file.Stored = stored;
        file.Downloaded = true;
    }

    /// <summary>An output or error line: the answer (a 200 with a chat completion), or the error kind.</summary>
    private static (string Id, CachedResponse? Answer, string? Error) ReadResult(string line, string path, int lineNumber)
    {
        JsonNode root;
        try { root = JsonNode.Parse(line)!; }
        catch (JsonException e) { throw new DataFormatException(path, lineNumber, null, $"not JSON ({e.Message})", e); }
        var id = root["custom_id"]?.GetValue<string>() ?? throw new DataFormatException(path, lineNumber, "custom_id", "missing");
        var status = root["response"]?["status_code"]?.GetValue<int>();
        var body = root["response"]?["body"];
        if (status == 200 && body?["choices"]?[0] is { } choice)
        {
            var usage = body["usage"];
            return (id, new CachedResponse(choice["message"]?["content"]?.GetValue<string>() ?? "", choice["finish_reason"]?.GetValue<string>(),
                body["model"]?.GetValue<string>(), usage?["prompt_tokens"]?.GetValue<long>(), usage?["completion_tokens"]?.GetValue<long>(),
                body["created"]?.GetValue<long>() is { } created ? DateTimeOffset.FromUnixTimeSeconds(created) : DateTimeOffset.UtcNow), null);
        }
        var code = root["error"]?["code"]?.GetValue<string>() ?? body?["error"]?["code"]?.GetValue<string>();
        return (id, null, code ?? (status is { } s ? "HTTP " + s.ToString(CultureInfo.InvariantCulture) : "no response"));
    }

    private IEnumerable<string> Ids(BatchFileState file) =>
        File.ReadLines(InputPath(file)).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!["custom_id"]!.GetValue<string>());

    private string InputPath(BatchFileState file) => Path.Combine(folder, "batch", file.File);

    private (string, Stream) OpenInput(string name) => (name, new FileStream(Path.Combine(folder, "batch", name), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16));
}
