using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;

namespace MoralGap.Bench;

/// <summary>
/// The Batch API plan and the response cache at paper scale.
/// <para>Plan: 1,618 generated dilemmas (texts of 1,600 characters, about an AITA post) × 10 models × 32 samples =
/// 517,760 request lines built and split by <see cref="BatchPlanner"/> (with an empty SQLite cache consulted, as
/// <c>judge --batch</c> does), against a plain <see cref="FileStream"/> writing the same number of lines and bytes into
/// files split the same way. Each mode runs in its own child process (its own peak RSS). Goal: ≤ 3× the plain stream, ≤ 1 GB.</para>
/// <para>Cache: N answers (default 100,000) written one commit each (as live collection stores them) and read back by
/// key, in the SQLite cache and in the former folder cache, in the same process one after the other; and the SQLite
/// batch path (<see cref="ResponseCache.PutMany"/>, 1,000 a transaction).</para>
/// </summary>
public static class BatchBench
{
    private const int TextLength = 1_600;
    private static readonly JsonSerializerOptions ChildJson = new(JsonSerializerDefaults.Web);

    private sealed record Measured(string Mode, double Seconds, double CpuSeconds, long PeakRss, long Lines, long Bytes, int Files);

    public static int Run(int dilemmas, int models, int samples, int cacheCount)
    {
        var root = Path.Combine(Path.GetTempPath(), "moralgap-bench-batch-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine($"batch plan: {dilemmas:N0} dilemmas × {models} models × {samples} samples = {(long)dilemmas * models * samples:N0} requests; texts of {TextLength} characters");
            var plan = Child("plan", root, dilemmas, models, samples, 0, 0);
            var plain = Child("plain", root, dilemmas, models, samples, plan.Lines, plan.Bytes);
            Console.WriteLine($"  {"",-22} {"wall s",8} {"CPU s",8} {"peak RSS",10} {"lines",10} {"MB",8} {"files",6}");
            foreach (var m in new[] { plain, plan })
                Console.WriteLine($"  {m.Mode,-22} {m.Seconds,8:0.00} {m.CpuSeconds,8:0.00} {m.PeakRss / 1e6,8:0} MB {m.Lines,10:N0} {m.Bytes / 1e6,8:0.0} {m.Files,6}");
            Console.WriteLine($"  plan / plain stream: {plan.Seconds / plain.Seconds:0.00}× wall, peak RSS {plan.PeakRss / 1e6:0} MB (goal ≤ 3×, ≤ 1 GB)");

            Console.WriteLine($"response cache: {cacheCount:N0} answers written one commit each, then read back by key");
            CacheRound(Path.Combine(root, "cache"), cacheCount);
            return 0;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static Measured Child(string mode, string root, int dilemmas, int models, int samples, long lines, long bytes)
    {
        var psi = Program.ChildProcess(true, "batch-child", mode, root, dilemmas.ToString(), models.ToString(), samples.ToString(), lines.ToString(), bytes.ToString());
        using var process = Process.Start(psi)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"batch-child {mode} exited {process.ExitCode}: {output}");
        return JsonSerializer.Deserialize<Measured>(output.Trim().Split('\n')[^1], ChildJson)!;
    }

    /// <summary>One measured mode in this (child) process.</summary>
    public static int ChildMain(string mode, string root, int dilemmaCount, int modelCount, int samples, long lines, long bytes)
    {
        var folder = Path.Combine(root, mode);
        Directory.CreateDirectory(folder);
        var limits = new BatchLimits();
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Measured result;
        if (mode == "plan")
        {
            var filler = string.Concat(Enumerable.Repeat("My roommate keeps borrowing my things without asking and I finally said something. ", TextLength / 80 + 1))[..TextLength];
            var dilemmas = Enumerable.Range(0, dilemmaCount).Select(i => new Dilemma($"d{i:00000}", $"AITA number {i}", $"{i}: {filler}", "bench")).ToList();
            var models = Enumerable.Range(0, modelCount).Select(m => $"model-{m}").ToList();
            var cache = new ResponseCache(Path.Combine(folder, "cache"));
            var (files, summary) = BatchPlanner.Plan(dilemmas, models, "openai", "/v1/chat/completions", new JudgmentCollectionOptions { Samples = samples }, cache, limits,
                i => ($"input-{i + 1:0000}.jsonl", new FileStream(Path.Combine(folder, $"input-{i + 1:0000}.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16)));
            result = new Measured(mode, 0, 0, 0, summary.Requests, summary.Bytes, files.Count);
        }
        else
        {
            // The same lines and bytes, written from one buffer per line into files split at the same limits.
            var perLine = (int)(bytes / lines);
            var extra = bytes - perLine * lines;
            var buffer = Encoding.ASCII.GetBytes(new string('x', perLine + 1));
            buffer[^1] = (byte)'\n';
            int files = 0, inFile = 0;
            long inBytes = 0, written = 0;
            FileStream? stream = null;
            for (long i = 0; i < lines; i++)
            {
                var size = perLine + (i < extra ? 1 : 0);
                if (stream is null || inFile >= limits.MaxRequestsPerFile || inBytes + size > limits.MaxBytesPerFile)
                {
                    stream?.Dispose();
                    stream = new FileStream(Path.Combine(folder, $"plain-{++files:0000}.jsonl"), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
                    inFile = 0;
                    inBytes = 0;
                }
                stream.Write(buffer, buffer.Length - size, size);
                inFile++;
                inBytes += size;
                written += size;
            }
            stream?.Dispose();
            result = new Measured(mode, 0, 0, 0, lines, written, files);
        }
        var seconds = clock.Elapsed.TotalSeconds;
        proc.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(result with { Seconds = seconds, CpuSeconds = (proc.TotalProcessorTime - cpu0).TotalSeconds, PeakRss = Program.PeakRss() }, ChildJson));
        return 0;
    }

    private static void CacheRound(string folder, int count)
    {
        // Distinct keys: sample i % 32 of model (i / 32) % 10 on dilemma i / 320.
        CacheKey Key(int i) => new("openai", "model-" + (i / 32 % 10), [new CacheMessage("system", "You judge moral dilemmas."), new CacheMessage("user", $"Dilemma {i / 320}: " + new string('x', 400))],
            1.0, i % 32, "{\"maxOutputTokens\":300}");
        var answer = new CachedResponse("Evaluation: UNACCEPTABLE\nRationale: " + new string('r', 300), "stop", "model-2026", 700, 80, DateTimeOffset.UnixEpoch);
        var keys = Enumerable.Range(0, count).Select(Key).ToArray();
        (double Write, double Read) Time(Action<CacheKey> put, Func<CacheKey, CachedResponse?> get)
        {
            var w = Stopwatch.StartNew();
            foreach (var k in keys) put(k);
            var write = w.Elapsed.TotalSeconds;
            var r = Stopwatch.StartNew();
            foreach (var k in keys) if (get(k) is null) throw new InvalidOperationException("an answer was not read back");
            return (write, r.Elapsed.TotalSeconds);
        }
        var sqlite = new ResponseCache(Path.Combine(folder, "sqlite"));
        var s = Time(k => sqlite.Put(k, answer), sqlite.TryGet);
        var files = new FolderResponseCache(Path.Combine(folder, "files"));
        var f = Time(k => files.Put(k, answer), files.TryGet);
        var many = new ResponseCache(Path.Combine(folder, "sqlite-many"));
        var m = Stopwatch.StartNew();
        foreach (var chunk in keys.Chunk(1000)) many.PutMany(chunk.Select(k => (k, answer)).ToArray());
        var manySeconds = m.Elapsed.TotalSeconds;
        var count0 = Stopwatch.StartNew();
        var n1 = sqlite.Count();
        var sqliteCount = count0.Elapsed.TotalSeconds;
        count0.Restart();
        var n2 = files.Count();
        var filesCount = count0.Elapsed.TotalSeconds;
        long Size(string dir) => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(p => new FileInfo(p).Length);
        Console.WriteLine($"  {"",-30} {"write s",8} {"µs/write",9} {"read s",8} {"µs/read",8} {"count s",8} {"MB",7} {"files",8}");
        Console.WriteLine($"  {"folder cache (one file each)",-30} {f.Write,8:0.00} {f.Write / count * 1e6,9:0} {f.Read,8:0.00} {f.Read / count * 1e6,8:0} {filesCount,8:0.000} {Size(files.Folder) / 1e6,7:0} {Directory.EnumerateFiles(files.Folder, "*", SearchOption.AllDirectories).Count(),8:N0}");
        Console.WriteLine($"  {"SQLite, one commit each",-30} {s.Write,8:0.00} {s.Write / count * 1e6,9:0} {s.Read,8:0.00} {s.Read / count * 1e6,8:0} {sqliteCount,8:0.000} {Size(sqlite.Folder) / 1e6,7:0} {Directory.EnumerateFiles(sqlite.Folder).Count(),8:N0}");
        Console.WriteLine($"  {"SQLite, 1,000 a transaction",-30} {manySeconds,8:0.00} {manySeconds / count * 1e6,9:0}");
        Console.WriteLine($"  SQLite / folder: write {s.Write / f.Write:0.00}×, read {s.Read / f.Read:0.00}×; counted {n1:N0} and {n2:N0}");
        var scale = 517_760.0 / count;
        Console.WriteLine($"  extrapolated linearly to 517,760 answers (not measured): folder write {f.Write * scale / 60:0.0} min, SQLite write {s.Write * scale / 60:0.0} min one commit each, {manySeconds * scale:0} s in transactions of 1,000");
    }

}
