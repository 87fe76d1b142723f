using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Bench;

/// <summary>
/// Throughput of <see cref="JudgmentCollector"/> through the real OpenAI client against a loopback OpenAI-compatible
/// server that answers every call after 100 ms, at concurrency 16: the ceiling is 16 / 0.1 s = 160 requests/s. Then the
/// same collection again from the response cache (no call made), in responses/s.
/// </summary>
internal static class JudgeBench
{
    private const int Concurrency = 16;
    private static readonly TimeSpan Latency = TimeSpan.FromMilliseconds(100);

    public static async Task<int> Run(int calls)
    {
        const int samples = 16;
        var dilemmas = Enumerable.Range(0, Math.Max(1, calls / samples))
            .Select(i => new Dilemma($"d{i:0000}", $"Story {i}", $"The main actor did thing number {i} and told nobody.", "bench")).ToArray();
        using var server = new LoopbackServer(Latency);
        var configuration = LlmConfiguration.FromEnvironment(new Dictionary<string, string?>
        {
            ["OPENAI_BASE_URL"] = $"http://127.0.0.1:{server.Port}/v1",
            ["OPENAI_API_KEY"] = "bench-key",
            ["MORALGAP_MODELS"] = "bench-model",
        });
        var root = Path.Combine(Path.GetTempPath(), "moralgap-bench-judge-" + Guid.NewGuid().ToString("N")[..8]);
        JudgmentCollectionOptions Options(string cache) => new()
        {
            Samples = samples, Concurrency = Concurrency, Cache = new ResponseCache(cache),
            Retry = new LlmRetryOptions(MaxRetries: 5, AttemptTimeout: TimeSpan.FromSeconds(30)),
        };
        try
        {
            // Warm-up (JIT, connection pool) in another cache folder.
            await JudgmentCollector.CollectAsync(dilemmas.Take(4), configuration, options: Options(Path.Combine(root, "warm")));
            var served0 = server.Served;

            var cache = Path.Combine(root, "cache");
            var sw = Stopwatch.StartNew();
            var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var live = await JudgmentCollector.CollectAsync(dilemmas, configuration, options: Options(cache));
            var liveSeconds = sw.Elapsed.TotalSeconds;
            var cpuLive = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
            var served = server.Served - served0;
            double rate = live.CallsMade / liveSeconds, limit = Concurrency / Latency.TotalSeconds;

            sw.Restart();
            var cached = await JudgmentCollector.CollectAsync(dilemmas, configuration, options: Options(cache));
            var cachedSeconds = sw.Elapsed.TotalSeconds;

            Console.WriteLine($"JudgmentCollector, OpenAI client → loopback HttpListener server, {Latency.TotalMilliseconds:0} ms per answer, concurrency {Concurrency}");
            Console.WriteLine($"  {dilemmas.Length} dilemmas × {samples} samples = {live.Judgments.Count} judgments");
            Console.WriteLine($"  live:   {live.CallsMade} calls ({served} served, {live.Outcomes.Sum(o => Math.Max(0, o.Attempts - 1))} retries) in {liveSeconds:0.00} s = {rate:0.0} req/s = {rate / limit:P0} of the {limit:0} req/s limit; client CPU {cpuLive:0.00} s ({cpuLive / live.CallsMade * 1000:0.00} ms/call)");
            Console.WriteLine($"  cached: {cached.CacheHits} hits, {cached.CallsMade} calls in {cachedSeconds:0.000} s = {cached.CacheHits / cachedSeconds:0} responses/s");
            Console.WriteLine($"  verdicts: {live.Judgments.Count(j => j.Verdict is not null)} live, {cached.Judgments.Count(j => j.Verdict is not null)} cached; identical: {live.Judgments.Select(j => j.Verdict).SequenceEqual(cached.Judgments.Select(j => j.Verdict))}");
            Console.WriteLine($"  load average now: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
            return cached.CallsMade == 0 && live.CallsMade == live.Judgments.Count ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A minimal OpenAI-compatible endpoint: every POST gets a fixed chat.completion after the latency.</summary>
    private sealed class LoopbackServer : IDisposable
    {
        private static readonly byte[] Body = Encoding.UTF8.GetBytes(
            "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\"," +
            "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Evaluation: ACCEPTABLE\\nRationale: It was fair.\"},\"finish_reason\":\"stop\"}]," +
            "\"usage\":{\"prompt_tokens\":200,\"completion_tokens\":12,\"total_tokens\":212}}");
        private readonly HttpListener _listener = new();
        private readonly TimeSpan _latency;
        private int _served;

        public LoopbackServer(TimeSpan latency)
        {
            _latency = latency;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = await _listener.GetContextAsync(); } catch { return; }
                    _ = Task.Run(() => ServeAsync(context));
                }
            });
        }

        public int Port { get; }
        public int Served => Volatile.Read(ref _served);

        private async Task ServeAsync(HttpListenerContext context)
        {
            try
            {
                await context.Request.InputStream.CopyToAsync(Stream.Null);
                await Task.Delay(_latency);
                context.Response.ContentType = "application/json";
                context.Response.ContentLength64 = Body.Length;
                await context.Response.OutputStream.WriteAsync(Body);
                context.Response.Close();
                Interlocked.Increment(ref _served);
            }
            catch { try { context.Response.Abort(); } catch { } }
        }

        public void Dispose() { try { _listener.Stop(); _listener.Close(); } catch { } }
    }
}
