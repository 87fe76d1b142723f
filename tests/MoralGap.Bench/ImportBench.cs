using System.Diagnostics;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Tests.Data;

namespace MoralGap.Bench;

/// <summary>
/// <c>import [MB …]</c>: imports generated Reddit-dump-shaped inputs (Pushshift fields, interleaved comments; see
/// RedditDumpGenerator) of each size with <see cref="Importers.ImportTo"/> (streaming to a dataset folder), and, as
/// references measured in the same run on the same files:
///   parse-only — read every line and parse it with System.Text.Json, nothing else (the floor of any JSONL importer);
///   in-memory  — <see cref="Importers.Import(ImportFormat, IReadOnlyList{string}, ImportOptions?)"/>, which holds
///                every kept judgment (the importer before streaming);
///   stream-start — the streaming import with <see cref="VerdictRule.Start"/> (a verdict must open the comment), so the
///                cost of the default Scruples reference rule shows as a throughput ratio (goal ≥ 0.8×).
/// Each run is a separate child process so its peak RSS (VmHWM) is its own. Prints MB/s, peak RSS and the ratios.
/// </summary>
internal static class ImportBench
{
    private static string WorkDir => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "bench-data")).FullName;

    private sealed record Measured(string Mode, double Seconds, double CpuSeconds, long PeakRss, long Dilemmas, long Judgments);

    public static int Run(IReadOnlyList<int> sizesMb, bool keepFiles)
    {
        Console.WriteLine($"Import benchmark: Reddit-dump-shaped JSONL, options = paper (≥ 32 human judgments, subsample 32); cores {Environment.ProcessorCount}");
        var rows = new List<(int Mb, long Bytes, Measured Parse, Measured Stream, Measured Memory, Measured StreamStart)>();
        foreach (var mb in sizesMb)
        {
            var subs = Path.Combine(WorkDir, $"RS-{mb}MB.jsonl");
            var coms = Path.Combine(WorkDir, $"RC-{mb}MB.jsonl");
            if (!File.Exists(coms) || !File.Exists(subs))
            {
                var sw = Stopwatch.StartNew();
                var t = RedditDumpGenerator.Write(subs, coms, mb * 1_000_000L, seed: 1);
                Console.WriteLine($"generated {mb} MB: {t.Submissions:N0} submissions, {t.Comments:N0} comments, {t.Bytes / 1e6:N0} MB in {sw.Elapsed.TotalSeconds:0.0} s");
            }
            var bytes = new FileInfo(subs).Length + new FileInfo(coms).Length;
            var parse = Child("parse", subs, coms);
            var stream = Child("stream", subs, coms);
            var memory = Child("memory", subs, coms);
            var streamStart = Child("stream-start", subs, coms);
            if (stream.Judgments != memory.Judgments || stream.Dilemmas != memory.Dilemmas)
            {
                Console.Error.WriteLine($"MISMATCH at {mb} MB: streamed {stream.Dilemmas}/{stream.Judgments}, in memory {memory.Dilemmas}/{memory.Judgments}");
                return 1;
            }
            rows.Add((mb, bytes, parse, stream, memory, streamStart));
            Print(rows[^1]);
            if (!keepFiles) { File.Delete(subs); File.Delete(coms); }
        }
        if (rows.Count >= 2)
        {
            var (a, b) = (rows[0], rows[^1]);
            Console.WriteLine($"\nInput {b.Bytes / (double)a.Bytes:0.0}× larger ({a.Mb} → {b.Mb} MB): peak RSS streaming {Mb(a.Stream.PeakRss)} → {Mb(b.Stream.PeakRss)} " +
                $"({b.Stream.PeakRss / (double)a.Stream.PeakRss:0.00}×), in-memory {Mb(a.Memory.PeakRss)} → {Mb(b.Memory.PeakRss)} ({b.Memory.PeakRss / (double)a.Memory.PeakRss:0.00}×)");
        }
        return 0;
    }

    private static void Print((int Mb, long Bytes, Measured Parse, Measured Stream, Measured Memory, Measured StreamStart) r)
    {
        double Rate(Measured x) => r.Bytes / 1e6 / x.Seconds;
        Console.WriteLine($"\n{r.Bytes / 1e6:N0} MB input → {r.Stream.Dilemmas:N0} dilemmas, {r.Stream.Judgments:N0} judgments kept");
        Console.WriteLine($"  {"",-12} {"wall s",8} {"CPU s",8} {"MB/s",8} {"peak RSS",10}");
        foreach (var x in new[] { r.Parse, r.Stream, r.Memory, r.StreamStart })
            Console.WriteLine($"  {x.Mode,-12} {x.Seconds,8:0.0} {x.CpuSeconds,8:0.0} {Rate(x),8:0.0} {Mb(x.PeakRss),10}");
        Console.WriteLine($"  streaming speed = {Rate(r.Stream) / Rate(r.Parse):0.00}× parse-only (CPU {r.Parse.CpuSeconds / r.Stream.CpuSeconds:0.00}×), " +
            $"{Rate(r.Stream) / Rate(r.Memory):0.00}× in-memory; peak RSS = {r.Stream.PeakRss / (double)r.Memory.PeakRss:0.00}× in-memory");
        Console.WriteLine($"  verdict rule: streaming with the reference rule = {Rate(r.Stream) / Rate(r.StreamStart):0.00}× the start rule's MB/s " +
            $"(CPU {r.StreamStart.CpuSeconds / r.Stream.CpuSeconds:0.00}×; goal ≥ 0.8×); judgments kept {r.Stream.Judgments:N0} vs {r.StreamStart.Judgments:N0}");
    }

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N0} MiB";

    private static Measured Child(string mode, string subs, string coms)
    {
        using var p = Process.Start(Program.ChildProcess(true, "import-child", mode, subs, coms))!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"import-child {mode} failed ({p.ExitCode}): {output}");
        return JsonSerializer.Deserialize<Measured>(output.Trim().Split('\n')[^1])!;
    }

    /// <summary>One measured run in this (child) process; prints one JSON line.</summary>
    public static int ChildMain(string mode, string subs, string coms)
    {
        var proc = Process.GetCurrentProcess();
        var cpu0 = proc.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long dilemmas = 0, judgments = 0;
        switch (mode)
        {
            case "parse":
                foreach (var path in new[] { subs, coms })
                    foreach (var (line, text) in TextLines.ReadLines(path))
                    {
                        using var doc = JsonDocument.Parse(text);
                        judgments += doc.RootElement.ValueKind == JsonValueKind.Object ? 1 : 0;
                    }
                break;
            case "stream" or "stream-start":
            {
                var outDir = Path.Combine(Path.GetDirectoryName(coms)!, "out-" + Environment.ProcessId);
                var options = mode == "stream" ? ImportOptions.Paper : ImportOptions.Paper with { VerdictRule = VerdictRule.Start };
                var s = Importers.ImportTo(outDir, ImportFormat.Reddit, [subs, coms], options);
                (dilemmas, judgments) = (s.Dilemmas, s.Judgments);
                Directory.Delete(outDir, true);
                break;
            }
            case "memory":
            {
                var r = Importers.Import(ImportFormat.Reddit, [subs, coms], ImportOptions.Paper);
                (dilemmas, judgments) = (r.Dilemmas.Count, r.Judgments.Count);
                break;
            }
            default: throw new ArgumentException("mode: parse | stream | memory | stream-start");
        }
        var seconds = sw.Elapsed.TotalSeconds;
        proc.Refresh();
        Console.WriteLine(JsonSerializer.Serialize(new Measured(mode, seconds, (proc.TotalProcessorTime - cpu0).TotalSeconds, Program.PeakRss(), dilemmas, judgments)));
        return 0;
    }

}
