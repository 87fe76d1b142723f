using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MoralGap.Tests.Llm;

/// <summary>A request the fake server received.</summary>
public sealed record FakeRequest(int Number, string Path, string? Authorization, string? ApiKeyHeader, string Model, string UserText, long? Seed, double? Temperature, string Body);

/// <summary>What the fake server answers.</summary>
public abstract record FakeReply
{
    /// <summary>A normal chat completion.</summary>
    public sealed record Answer(string Content, string FinishReason = "stop") : FakeReply;
    /// <summary>An HTTP error with optional headers and body.</summary>
    public sealed record Error(int Status, string Body = "{\"error\":{\"message\":\"fake error\",\"type\":\"server_error\"}}", IReadOnlyDictionary<string, string>? Headers = null) : FakeReply;
    /// <summary>Wait, then answer (the client should time out first).</summary>
    public sealed record Hang(TimeSpan Delay, FakeReply Then) : FakeReply;
    /// <summary>A 200 with a body that is not valid JSON.</summary>
    public sealed record Malformed(string Body = "{\"id\":\"chatcmpl-x\",\"choices\":[{\"message\":{\"content\":\"Evaluation: ACC") : FakeReply;
}

/// <summary>
/// A small OpenAI-compatible server on 127.0.0.1 (HttpListener) serving <c>POST /v1/chat/completions</c> and the Azure form
/// <c>/openai/deployments/{name}/chat/completions?api-version=…</c>, so tests drive the real OpenAI / Azure client path.
/// </summary>
public sealed class FakeOpenAIServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<FakeRequest, FakeReply> _handler;
    private int _count;

    public FakeOpenAIServer(Func<FakeRequest, FakeReply> handler)
    {
        _handler = handler;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }

    /// <summary>Base URL for OPENAI_BASE_URL.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>Endpoint for AZURE_OPENAI_ENDPOINT.</summary>
    public Uri AzureEndpoint => new($"http://127.0.0.1:{Port}/");

    /// <summary>The <c>/v1/files</c> and <c>/v1/batches</c> endpoints, when set.</summary>
    public FakeBatchService? Batches { get; set; }

    /// <summary>Every request received, in arrival order.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>Every reply sent with status 200 and a valid answer ("paid calls"), keyed by request.</summary>
    public ConcurrentQueue<FakeRequest> Answered { get; } = new();

    /// <summary>Everything written to the response streams (to check that no secret is echoed back unnoticed).</summary>
    public ConcurrentQueue<string> SentBodies { get; } = new();

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch { return; }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync().ConfigureAwait(false);
            var path = context.Request.Url!.AbsolutePath;
            if (Batches is not null && Batches.Handles(path))
            {
                var (status, reply) = Batches.Handle(context.Request.HttpMethod, path, context.Request.Url.Query, body,
                    context.Request.Headers["Authorization"], context.Request.ContentType);
                await WriteAsync(context, status, reply, null).ConfigureAwait(false);
                return;
            }
            if (context.Request.HttpMethod != "POST" || !(path.EndsWith("/chat/completions", StringComparison.Ordinal)))
            {
                await WriteAsync(context, 404, "{\"error\":{\"message\":\"not found\"}}", null).ConfigureAwait(false);
                return;
            }
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            var model = root.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
            if (path.StartsWith("/openai/deployments/", StringComparison.Ordinal))
                model = path.Split('/')[3];
            var user = string.Join("\n\n", root.GetProperty("messages").EnumerateArray()
                .Select(x => x.GetProperty("content") is { ValueKind: JsonValueKind.String } c ? c.GetString() : string.Join("", x.GetProperty("content").EnumerateArray().Select(p => p.GetProperty("text").GetString()))));
            long? seed = root.TryGetProperty("seed", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt64() : null;
            double? temperature = root.TryGetProperty("temperature", out var t) && t.ValueKind == JsonValueKind.Number ? t.GetDouble() : null;
            var request = new FakeRequest(Interlocked.Increment(ref _count), path + context.Request.Url.Query, context.Request.Headers["Authorization"],
                context.Request.Headers["api-key"], model, user, seed, temperature, body);
            Requests.Enqueue(request);
            await ReplyAsync(context, request, _handler(request)).ConfigureAwait(false);
        }
        catch (Exception)
        {
            try { context.Response.Abort(); } catch { }
        }
    }

    private async Task ReplyAsync(HttpListenerContext context, FakeRequest request, FakeReply reply)
    {
        switch (reply)
        {
            case FakeReply.Hang hang:
                try { await Task.Delay(hang.Delay, _stop.Token).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                await ReplyAsync(context, request, hang.Then).ConfigureAwait(false);
                return;
            case FakeReply.Error error:
                await WriteAsync(context, error.Status, error.Body, error.Headers).ConfigureAwait(false);
                return;
            case FakeReply.Malformed malformed:
                await WriteAsync(context, 200, malformed.Body, null).ConfigureAwait(false);
                return;
            case FakeReply.Answer answer:
                var completion = JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-" + request.Number,
                    @object = "chat.completion",
                    created = 1_700_000_000,
                    model = request.Model,
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = answer.Content }, finish_reason = answer.FinishReason } },
                    usage = new { prompt_tokens = request.UserText.Length / 4, completion_tokens = answer.Content.Length / 4, total_tokens = (request.UserText.Length + answer.Content.Length) / 4 },
                });
                if (await WriteAsync(context, 200, completion, null).ConfigureAwait(false)) Answered.Enqueue(request);
                return;
        }
    }

    private async Task<bool> WriteAsync(HttpListenerContext context, int status, string body, IReadOnlyDictionary<string, string>? headers)
    {
        try
        {
            SentBodies.Enqueue(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            if (headers is not null) foreach (var (k, v) in headers) context.Response.Headers[k] = v;
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
            return true;
        }
        catch (Exception)
        {
            return false; // the client went away (e.g. it timed out)
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch { }
    }
}
