using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace MoralGap.Tests.Llm;

/// <summary>
/// OpenAI's Files and Batches endpoints, in memory, for <see cref="FakeOpenAIServer"/>: upload (multipart, purpose batch),
/// file content, create, list, get. A batch moves validating → in_progress → its final state over successive GETs; its
/// final state comes from <see cref="Outcome"/> (by batch number, 1-based): <c>completed</c>, <c>partial</c> (completed, every
/// third request an error line), <c>expired</c> (the first half answered, the rest expired), <c>failed</c> (validation
/// error, nothing answered), <c>cancelled</c>. Every answer line produced is counted per custom_id in <see cref="Paid"/>.
/// </summary>
public sealed class FakeBatchService(Func<JsonNode, string> answer)
{
    private readonly ConcurrentDictionary<string, string> _files = new();
    private readonly ConcurrentDictionary<string, JsonObject> _batches = new();
    private readonly ConcurrentDictionary<string, int> _gets = new();
    private int _fileCount, _batchCount, _uploads;

    /// <summary>Final state of batch number n (1-based).</summary>
    public Func<int, string> Outcome { get; init; } = _ => "completed";

    /// <summary>GETs of a batch before it reaches its final state.</summary>
    public int PollsToFinish { get; init; } = 2;

    /// <summary>Answers produced per custom_id (a paid request), over all batches.</summary>
    public ConcurrentDictionary<string, int> Paid { get; } = new();

    /// <summary>Files uploaded.</summary>
    public int Uploads => _uploads;

    /// <summary>Batches created.</summary>
    public int Creates => _batchCount;

    /// <summary>Authorization headers seen.</summary>
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>Every file's content (uploads and the outputs made), to check no secret is in one.</summary>
    public IEnumerable<string> FileContents => _files.Values;

    public bool Handles(string path) => path.StartsWith("/v1/files", StringComparison.Ordinal) || path.StartsWith("/v1/batches", StringComparison.Ordinal);

    public (int Status, string Body) Handle(string method, string path, string query, string body, string? authorization, string? contentType)
    {
        Authorizations.Enqueue(authorization);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries); // v1, files|batches, id?, content?
        lock (this)
        {
            if (parts[1] == "files" && method == "POST")
            {
                var content = FilePart(body, contentType!);
                Interlocked.Increment(ref _uploads);
                var id = "file-" + Interlocked.Increment(ref _fileCount);
                _files[id] = content;
                return (200, new JsonObject { ["id"] = id, ["object"] = "file", ["purpose"] = "batch", ["bytes"] = content.Length }.ToJsonString());
            }
            if (parts[1] == "files" && method == "GET" && parts.Length == 4 && parts[3] == "content")
                return _files.TryGetValue(parts[2], out var c) ? (200, c) : (404, "{\"error\":{\"message\":\"no such file\"}}");
            if (parts[1] == "batches" && method == "POST")
            {
                var request = JsonNode.Parse(body)!;
                var input = request["input_file_id"]!.GetValue<string>();
                if (!_files.ContainsKey(input)) return (400, "{\"error\":{\"message\":\"no such input file\"}}");
                var n = Interlocked.Increment(ref _batchCount);
                var batch = new JsonObject
                {
                    ["id"] = "batch-" + n, ["object"] = "batch", ["number"] = n, ["input_file_id"] = input, ["endpoint"] = request["endpoint"]!.GetValue<string>(),
                    ["status"] = "validating", ["request_counts"] = new JsonObject { ["total"] = 0, ["completed"] = 0, ["failed"] = 0 },
                };
                _batches[batch["id"]!.GetValue<string>()] = batch;
                return (200, batch.ToJsonString());
            }
            if (parts[1] == "batches" && method == "GET" && parts.Length == 2)
                return (200, new JsonObject { ["object"] = "list", ["data"] = new JsonArray(_batches.Values.Select(b => (JsonNode)b.DeepClone()).ToArray()) }.ToJsonString());
            if (parts[1] == "batches" && method == "GET" && parts.Length == 3)
            {
                if (!_batches.TryGetValue(parts[2], out var batch)) return (404, "{\"error\":{\"message\":\"no such batch\"}}");
                var gets = _gets.AddOrUpdate(parts[2], 1, (_, g) => g + 1);
                if (batch["status"]!.GetValue<string>() is "validating" or "in_progress")
                {
                    if (gets >= PollsToFinish) Finish(batch);
                    else batch["status"] = "in_progress";
                }
                return (200, batch.ToJsonString());
            }
            return (404, "{\"error\":{\"message\":\"not found\"}}");
        }
    }

    private void Finish(JsonObject batch)
    {
        var n = batch["number"]!.GetValue<int>();
        var outcome = Outcome(n);
        var lines = _files[batch["input_file_id"]!.GetValue<string>()].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        var counts = batch["request_counts"]!.AsObject();
        counts["total"] = lines.Count;
        if (outcome == "failed")
        {
            batch["status"] = "failed";
            batch["errors"] = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["code"] = "invalid_request", ["message"] = "fake validation failure", ["line"] = 1 }) };
            return;
        }
        var output = new List<string>();
        var errors = new List<string>();
        for (var i = 0; i < lines.Count; i++)
        {
            var id = lines[i]["custom_id"]!.GetValue<string>();
            var unanswered = outcome switch
            {
                "partial" => i % 3 == 2 ? "server_error" : null,
                "expired" => i >= lines.Count / 2 ? "batch_expired" : null,
                "cancelled" => "batch_cancelled",
                _ => null,
            };
            if (unanswered is null)
            {
                Paid.AddOrUpdate(id, 1, (_, p) => p + 1);
                var body = lines[i]["body"]!;
                var completion = new JsonObject
                {
                    ["id"] = "chatcmpl-b" + n + "-" + i, ["object"] = "chat.completion", ["created"] = 1_700_000_000, ["model"] = body["model"]!.GetValue<string>() + "-2026",
                    ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer(body) }, ["finish_reason"] = "stop" }),
                    ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = 20, ["total_tokens"] = 120 },
                };
                output.Add(new JsonObject { ["id"] = "r" + i, ["custom_id"] = id, ["response"] = new JsonObject { ["status_code"] = 200, ["body"] = completion }, ["error"] = null }.ToJsonString());
            }
            else if (unanswered == "server_error")
                errors.Add(new JsonObject { ["id"] = "r" + i, ["custom_id"] = id, ["response"] = new JsonObject { ["status_code"] = 500, ["body"] = new JsonObject { ["error"] = new JsonObject { ["message"] = "boom", ["code"] = "server_error" } } }, ["error"] = null }.ToJsonString());
            else
                errors.Add(new JsonObject { ["id"] = "r" + i, ["custom_id"] = id, ["response"] = null, ["error"] = new JsonObject { ["code"] = unanswered, ["message"] = "not run" } }.ToJsonString());
        }
        batch["status"] = outcome == "partial" ? "completed" : outcome;
        counts["completed"] = output.Count;
        counts["failed"] = errors.Count;
        if (output.Count > 0) { var id = "file-" + Interlocked.Increment(ref _fileCount); _files[id] = string.Join("\n", output) + "\n"; batch["output_file_id"] = id; }
        if (errors.Count > 0) { var id = "file-" + Interlocked.Increment(ref _fileCount); _files[id] = string.Join("\n", errors) + "\n"; batch["error_file_id"] = id; }
    }

    /// <summary>The content of the part named <c>file</c> of a multipart body.</summary>
    private static string FilePart(string body, string contentType)
    {
        var boundary = "--" + contentType.Split("boundary=")[1].Trim('"');
        foreach (var part in body.Split(boundary))
        {
            var split = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (split < 0 || !part[..split].Contains("name=file", StringComparison.Ordinal) && !part[..split].Contains("name=\"file\"", StringComparison.Ordinal)) continue;
            var content = part[(split + 4)..];
            return content.EndsWith("\r\n", StringComparison.Ordinal) ? content[..^2] : content;
        }
        throw new InvalidOperationException("no file part in the upload");
    }
}
