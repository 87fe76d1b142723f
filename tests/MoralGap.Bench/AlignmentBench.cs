using System.Diagnostics;
using System.Text.Json;
using MoralGap.Data;
using MoralGap.Judging;

namespace MoralGap.Bench;

/// <summary>
/// <c>alignment [dilemmas=500] [models=10] [conditions=7] [samples=32] [--keep]</c>: generates (seeded, deterministic) a
/// text-less dataset folder in the shape a <c>scruples-votes</c> import plus <c>import-judgments</c> of recorded logs
/// leaves behind — human votes (32–60 per dilemma from a planted p), then per model and condition <c>samples</c>
/// judgments per dilemma: <c>vanilla</c> and other verdict conditions, and <c>elicit</c> whose answers are stated shares;
/// a few answers unreadable (null) — written with the library's own writer (<see cref="JsonlStore.Write{T}"/>, the
/// serializer options import-judgments uses). Then measures, each mode in its own child process (its own peak RSS; a
/// warm-up run, then the measured run), in 3 interleaved rounds, best of 3:
///   parse     — one pass over judgments.jsonl deserializing each line to <see cref="Judgment"/>, discarded (the floor);
///   alignment — <see cref="AlignmentStudy.Compute(string, AlignmentOptions?)"/> end to end (tally + statistics);
///   split     — <see cref="AlignmentTally.Read"/>, then <see cref="AlignmentStudy.Compute(AlignmentTally, AlignmentOptions?)"/>
///               timed apart, so the reader sees where the time goes.
/// </summary>
internal static class AlignmentBench
{
    /// <summary>Rounds of (parse, alignment, split) children; runs inside each child: a warm-up, then the measured run.</summary>
    private const int Rounds = 3, Runs = 2;

    /// <summary>One run inside a child: wall and CPU seconds, managed bytes allocated; split runs also give the tally part.</summary>
    private sealed record Timing(double Seconds, double CpuSeconds, long Allocated, double TallySeconds = double.NaN, double TallyCpuSeconds = double.NaN);

    private sealed record Measured(string Mode, List<Timing> Runs, long PeakRss, long Judgments, int Rows, int Pairs, string Check);

    public static int Run(int dilemmas, int models, int conditions, int samples, bool keep)
    {
        if (dilemmas < 3 || models < 1 || conditions < 2 || samples < 1)
        {
            Console.Error.WriteLine("alignment: need dilemmas ≥ 3, models ≥ 1, conditions ≥ 2 (vanilla and elicit), samples ≥ 1");
            return 2;
        }
        var folder = Path.Combine(Path.GetTempPath(), $"moralgap-alignment-bench-{dilemmas}-{models}-{conditions}-{samples}");
        Console.WriteLine($"Alignment benchmark: {dilemmas} dilemmas, {models} models × {conditions} conditions × {samples} samples; cores {Environment.ProcessorCount}; load average {LoadAverage()}");
        if (!keep || !File.Exists(Path.Combine(folder, DatasetManifest.FileName)))
        {
            var sw = Stopwatch.StartNew();
            var (humans, modelJudgments) = Generate(folder, dilemmas, models, conditions, samples, seed: 1);
            Console.WriteLine($"generated in {sw.Elapsed.TotalSeconds:0.0} s: {humans:N0} human votes, {modelJudgments:N0} model judgments");
        }
        else Console.WriteLine("reusing the generated folder (--keep)");
        var jPath = Path.Combine(folder, DilemmaDataset.JudgmentsFile);
        long bytes = new FileInfo(jPath).Length;
        long lines = DatasetManifest.Read(folder).Files[DilemmaDataset.JudgmentsFile];
        Console.WriteLine($"{folder}: judgments.jsonl {bytes / 1e6:N1} MB, {lines:N0} lines ({bytes / (double)lines:0} bytes a line); dilemmas.jsonl {new FileInfo(Path.Combine(folder, DilemmaDataset.DilemmasFile)).Length / 1e3:N1} kB");
        Console.WriteLine($"(each measurement is a child process: one warm-up run (JIT, shown as cold) then the measured run; {Rounds} rounds of parse,");
        Console.WriteLine(" alignment, split interleaved so load changes hit all three alike; best = the round with least wall time)");

        var measured = new Dictionary<string, List<Measured>> { ["parse"] = [], ["alignment"] = [], ["split"] = [] };
        for (var round = 1; round <= Rounds; round++)
            foreach (var mode in measured.Keys)
            {
                var m = Child(mode, folder);
                measured[mode].Add(m);
                var (cold, warm) = (m.Runs[0], m.Runs[^1]);
                Console.WriteLine($"round {round} {mode,-9} wall / CPU s: {warm.Seconds:0.000} / {warm.CpuSeconds:0.000}" +
                    (double.IsNaN(warm.TallySeconds) ? "" : $" (tally {warm.TallySeconds:0.000} / {warm.TallyCpuSeconds:0.000})") +
                    $"   cold {cold.Seconds:0.000} / {cold.CpuSeconds:0.000}   peak RSS {Mb(m.PeakRss)}   load {LoadAverage().Split(' ')[0]}");
            }
        var parse = measured["parse"][0] with { PeakRss = measured["parse"].Max(m => m.PeakRss) };
        var alignment = measured["alignment"][0] with { PeakRss = measured["alignment"].Max(m => m.PeakRss) };
        var split = measured["split"][0] with { PeakRss = measured["split"].Max(m => m.PeakRss) };

        bool ok = parse.Judgments == lines && alignment.Judgments == lines && split.Judgments == lines
            && alignment.Rows == models * conditions && alignment.Pairs == models * (conditions - 1) && alignment.Check == split.Check;
        bool same = measured.Values.All(ms => ms.All(m => m.Judgments == ms[0].Judgments && m.Check == ms[0].Check));
        ok &= same;
        var p = Best(measured["parse"]); var a = Best(measured["alignment"]); var s = Best(measured["split"]);
        Console.WriteLine();
        Console.WriteLine($"  {"",-34} {"wall s",8} {"CPU s",8} {"µs/line",8} {"alloc MB",9} {"peak RSS",10}");
        Row("parse-only (deserialize + discard)", p.Seconds, p.CpuSeconds, p.Allocated, parse.PeakRss);
        Row("alignment end to end", a.Seconds, a.CpuSeconds, a.Allocated, alignment.PeakRss);
        Row("  split: AlignmentTally.Read", s.TallySeconds, s.TallyCpuSeconds, -1, -1);
        Row("  split: Compute(tally) (statistics)", s.Seconds - s.TallySeconds, s.CpuSeconds - s.TallyCpuSeconds, -1, -1);
        Row("  split: total", s.Seconds, s.CpuSeconds, s.Allocated, split.PeakRss);
        double ratio = a.Seconds / p.Seconds, cpuRatio = a.CpuSeconds / p.CpuSeconds;
        Console.WriteLine($"  alignment / parse-only: wall {ratio:0.00}×, CPU {cpuRatio:0.00}× (goal ≤ 2×: {(ratio <= 2 ? "met" : "NOT met")} on wall, {(cpuRatio <= 2 ? "met" : "NOT met")} on CPU)");
        Console.WriteLine($"  tally alone / parse-only: wall {s.TallySeconds / p.Seconds:0.00}×, CPU {s.TallyCpuSeconds / p.CpuSeconds:0.00}×; statistics = {(s.Seconds - s.TallySeconds) / s.Seconds:P0} of the split run's wall time");
        Console.WriteLine($"  results: {alignment.Rows} rows, {alignment.Pairs} paired comparisons, {alignment.Judgments:N0} judgments read; " +
            $"end-to-end and split reports {(alignment.Check == split.Check ? "identical" : "DIFFER")} (first row: {alignment.Check})");
        Console.WriteLine($"  load average now: {LoadAverage()} on {Environment.ProcessorCount} cores");
        if (!ok) Console.Error.WriteLine("MISMATCH: judgments read, row or pair counts, or reports differ (see above)");
        if (!keep) Directory.Delete(folder, recursive: true);
        return ok ? 0 : 1;

        void Row(string name, double wall, double cpu, long alloc, long rss) =>
            Console.WriteLine($"  {name,-34} {wall,8:0.000} {cpu,8:0.000} {wall * 1e6 / lines,8:0.00} {(alloc < 0 ? "" : $"{alloc / 1e6:N0}"),9} {(rss < 0 ? "" : Mb(rss)),10}");
    }

    /// <summary>The measured (warm) run of the round with the least wall time.</summary>
    private static Timing Best(List<Measured> rounds) => rounds.Select(m => m.Runs[^1]).MinBy(r => r.Seconds)!;

    private static string Mb(long bytes) => $"{bytes / 1048576.0:N0} MiB";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static readonly string[] ModelNames =
        ["gpt-4o", "gpt-4o-mini", "claude-3.5-sonnet", "claude-3-haiku", "llama-3.1-70b", "llama-3.1-8b", "mistral-large", "qwen2.5-72b", "gemini-1.5-pro", "deepseek-v3"];

    private static readonly string[] VerdictConditions = ["dmp_empirical", "dmp_uniform", "persona", "cot", "fewshot"];

    /// <summary>
    /// Writes the folder: dilemmas.jsonl (text-less, as a scruples-votes import), judgments.jsonl (human votes first, then
    /// each model's log appended, as import-judgments does) and manifest.json. Returns (human votes, model judgments).
    /// </summary>
    private static (long Humans, long Models) Generate(string folder, int dilemmaCount, int modelCount, int conditionCount, int samples, int seed)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var rng = new Random(seed);
        var ids = Enumerable.Range(0, dilemmaCount).Select(i => $"t3_{i + 0x10000:x6}").ToArray();
        var p = new double[dilemmaCount];
        var votes = new int[dilemmaCount];
        for (var d = 0; d < dilemmaCount; d++)
        {
            p[d] = rng.NextDouble();            // consensus max(p, 1 − p) spread over all bins
            votes[d] = 32 + rng.Next(29);        // 32–60 votes
        }
        var conditions = new List<string> { Judgment.Vanilla, "elicit" };
        for (var c = 0; conditions.Count < conditionCount; c++)
            conditions.Add(c < VerdictConditions.Length ? VerdictConditions[c] : $"cond{c}");
        var models = Enumerable.Range(0, modelCount).Select(m => m < ModelNames.Length ? ModelNames[m] : $"model-{m}").ToArray();
        // Each model: a slope and bias on the logit scale; each condition: a shift (dmp conditions closer to people).
        var slope = models.Select(_ => 0.5 + 0.8 * rng.NextDouble()).ToArray();
        var bias = models.Select(_ => 0.6 * Gaussian(rng)).ToArray();
        var shift = models.Select(_ => conditions.Select(c => c.StartsWith("dmp") ? 0.1 * Gaussian(rng) : 0.3 * Gaussian(rng)).ToArray()).ToArray();
        var spread = conditions.Select(c => c.StartsWith("dmp") ? 0.3 : c == "elicit" ? 0.4 : 0.7).ToArray();

        JsonlStore.Write(Path.Combine(folder, DilemmaDataset.DilemmasFile), ids.Select(id => new Dilemma(id, "", "", "scruples-votes")));
        long humans = 0, modelJudgments = 0;
        IEnumerable<Judgment> All()
        {
            for (var d = 0; d < dilemmaCount; d++)
                for (var k = 0; k < votes[d]; k++)
                {
                    humans++;
                    var yta = rng.NextDouble() < p[d];
                    var label = yta ? (rng.NextDouble() < 0.8 ? "YTA" : "ESH") : (rng.NextDouble() < 0.85 ? "NTA" : "NAH");
                    yield return new Judgment(ids[d], DilemmaDataset.Human, label, yta ? Verdict.Unacceptable : Verdict.Acceptable, "", k);
                }
            for (var m = 0; m < models.Length; m++)
                for (var d = 0; d < dilemmaCount; d++)
                {
                    var logit = Math.Log(Math.Clamp(p[d], 0.02, 0.98) / (1 - Math.Clamp(p[d], 0.02, 0.98)));
                    for (var c = 0; c < conditions.Count; c++)
                    {
                        var pm = 1 / (1 + Math.Exp(-(slope[m] * logit + bias[m] + shift[m][c] + spread[c] * Gaussian(rng))));
                        var share = conditions[c] == "elicit";
                        for (var s = 0; s < samples; s++)
                        {
                            modelJudgments++;
                            if (share)
                            {
                                double? v = rng.NextDouble() < 0.01 ? null : Math.Round(Math.Clamp(pm + 0.08 * Gaussian(rng), 0, 1), 2);
                                yield return new Judgment(ids[d], models[m], Judgment.ShareLabel, null, "", s, conditions[c], v);
                            }
                            else if (rng.NextDouble() < 0.004)
                                yield return new Judgment(ids[d], models[m], Judgment.UnreadableLabel, null, "", s, conditions[c]);
                            else
                            {
                                var u = rng.NextDouble() < pm;
                                yield return new Judgment(ids[d], models[m], u ? "UNACCEPTABLE" : "ACCEPTABLE", u ? Verdict.Unacceptable : Verdict.Acceptable, "", s, conditions[c]);
                            }
                        }
                    }
                }
        }
        var n = JsonlStore.Write(Path.Combine(folder, DilemmaDataset.JudgmentsFile), All());
        new DatasetManifest(DilemmaDataset.SchemaVersion, "alignment-bench",
                $"generated by MoralGap.Bench alignment (seed {seed}): {dilemmaCount} text-less dilemmas, human votes, {modelCount} models × {conditionCount} conditions × {samples} samples",
                new SortedDictionary<string, int>(StringComparer.Ordinal) { [DilemmaDataset.DilemmasFile] = dilemmaCount, [DilemmaDataset.JudgmentsFile] = n }, HasText: false)
            .Write(folder);
        return (humans, modelJudgments);
    }

    private static double Gaussian(Random rng) => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);

    /// <summary>The child's one-line report (NaN allowed: only split runs have a tally part).</summary>
    private static readonly JsonSerializerOptions ChildJson = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static Measured Child(string mode, string folder)
    {
        using var proc = Process.Start(Program.ChildProcess(true, "alignment-child", mode, folder))!;
        var output = proc.StandardOutput.ReadToEnd();
        proc.WaitForExit();
        if (proc.ExitCode != 0) throw new InvalidOperationException($"alignment-child {mode} failed ({proc.ExitCode}): {output}");
        return JsonSerializer.Deserialize<Measured>(output.Trim().Split('\n')[^1], ChildJson)!;
    }

    /// <summary>One mode, <see cref="Runs"/> runs (the first warms up the JIT), in this (child) process; prints one JSON line.</summary>
    public static int ChildMain(string mode, string folder)
    {
        var proc = Process.GetCurrentProcess();
        var runs = new List<Timing>();
        long judgments = 0;
        int rows = 0, pairs = 0;
        string check = "";
        for (var r = 0; r < Runs; r++)
        {
            GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
            long alloc0 = GC.GetTotalAllocatedBytes(true);
            proc.Refresh();
            var cpu0 = proc.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            double tallySeconds = double.NaN, tallyCpu = double.NaN;
            switch (mode)
            {
                case "parse":
                {
                    long n = 0;
                    foreach (var (_, text) in TextLines.ReadLines(Path.Combine(folder, DilemmaDataset.JudgmentsFile)))
                        if (JsonSerializer.Deserialize<Judgment>(text, JsonlStore.Options) is not null) n++;
                    judgments = n;
                    break;
                }
                case "alignment":
                {
                    var report = AlignmentStudy.Compute(folder, new AlignmentOptions());
                    (rows, pairs, check) = (report.Rows.Count, report.Paired.Count, CheckOf(report));
                    break;
                }
                case "split":
                {
                    var tally = AlignmentTally.Read(folder);
                    tallySeconds = sw.Elapsed.TotalSeconds;
                    proc.Refresh();
                    tallyCpu = (proc.TotalProcessorTime - cpu0).TotalSeconds;
                    var report = AlignmentStudy.Compute(tally, new AlignmentOptions());
                    (rows, pairs, check, judgments) = (report.Rows.Count, report.Paired.Count, CheckOf(report), tally.JudgmentsRead);
                    break;
                }
                default: throw new ArgumentException("mode: parse | alignment | split");
            }
            var seconds = sw.Elapsed.TotalSeconds;
            proc.Refresh();
            runs.Add(new Timing(seconds, (proc.TotalProcessorTime - cpu0).TotalSeconds, GC.GetTotalAllocatedBytes(true) - alloc0, tallySeconds, tallyCpu));
        }
        long peak = Program.PeakRss(); // before any untimed extra work
        if (mode == "alignment") judgments = AlignmentTally.Read(folder).JudgmentsRead;
        Console.WriteLine(JsonSerializer.Serialize(new Measured(mode, runs, peak, judgments, rows, pairs, check), ChildJson));
        return 0;
    }

    /// <summary>The first row and first pair of a report, to check that two ways of computing it agree.</summary>
    private static string CheckOf(AlignmentReport r) =>
        $"{r.Rows[0].Model}/{r.Rows[0].Condition} gap {r.Rows[0].MeanAbsGap} r {r.Rows[0].PearsonR} floor {r.Rows[0].NoiseFloor:0.000}" +
        (r.Paired.Count > 0 ? $"; {r.Paired[0].Condition} Δgap {r.Paired[0].Comparison.DeltaMeanAbsGap}" : "");

}
