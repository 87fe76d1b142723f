using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace MoralGap.Values;

/// <summary>
/// An on-disk cache of sentence embeddings keyed by text: SHA-256 of the UTF-8 text → vector.
/// </summary>
/// <remarks>
/// <para>File format (little-endian), written by this class only:</para>
/// <code>
/// header : "MGVEC001" (8 ASCII bytes) · int32 dimension · int32 n · n UTF-8 bytes of the model name
/// record : 32-byte SHA-256 of the text · dimension × float32
/// </code>
/// <para>
/// New vectors are <b>appended</b> as whole records in one write and flushed to disk (<see cref="Append"/>);
/// a record torn by a crash leaves a tail shorter than a record, which <see cref="Open"/> ignores and counts in
/// <see cref="TornBytes"/> (and the next append truncates it). <see cref="Compact"/> rewrites the whole file
/// atomically (temporary file + rename) with records sorted by key, so the same set of texts always gives the
/// same bytes. A file for another model or dimension is refused with an error naming the file.
/// </para>
/// <para>
/// Why our own format: no maintained .NET package offers a small append-safe vector store; a fixed-size binary
/// record is ~1.5 KB per text and loads with one sequential read.
/// </para>
/// </remarks>
public sealed class VectorCache
{
    private static readonly byte[] Magic = "MGVEC001"u8.ToArray();
    private const int KeyBytes = 32;

    private readonly Dictionary<Key, float[]> vectors = new();
    private readonly object gate = new();
    private readonly int headerBytes;

    private VectorCache(string path, string modelName, int dimension)
    {
        Path = path;
        ModelName = modelName;
        Dimension = dimension;
        headerBytes = Magic.Length + 8 + Encoding.UTF8.GetByteCount(modelName);
    }

    /// <summary>The cache file.</summary>
    public string Path { get; }

    /// <summary>The name of the model whose vectors this file holds (checked on open).</summary>
    public string ModelName { get; }

    /// <summary>Vector length.</summary>
    public int Dimension { get; }

    /// <summary>Number of cached vectors.</summary>
    public int Count { get { lock (gate) return vectors.Count; } }

    /// <summary>Bytes at the end of the file that did not form a whole record when it was opened (a torn append); 0 normally.</summary>
    public long TornBytes { get; private set; }

    private int RecordBytes => KeyBytes + 4 * Dimension;

    /// <summary>Opens (or starts) the cache at <paramref name="path"/> for vectors of <paramref name="modelName"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a cache file, or belongs to another model or dimension.</exception>
    public static VectorCache Open(string path, string modelName, int dimension)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        var cache = new VectorCache(System.IO.Path.GetFullPath(path), modelName, dimension);
        if (File.Exists(cache.Path)) cache.Load();
        return cache;
    }

    /// <summary>The key of <paramref name="text"/>: SHA-256 of its UTF-8 bytes.</summary>
    public static byte[] KeyOf(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The cached vector of <paramref name="text"/>, if any.</summary>
    public bool TryGet(string text, out float[] vector)
    {
        var key = new Key(KeyOf(text));
        lock (gate) return vectors.TryGetValue(key, out vector!);
    }

    /// <summary>
    /// Adds vectors and appends the new ones to the file in a single write, flushed to disk.
    /// Texts already cached are skipped (the model is deterministic, so their vectors are the same).
    /// </summary>
    public void Append(IReadOnlyList<string> texts, IReadOnlyList<float[]> vectorsToAdd)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(vectorsToAdd);
        if (texts.Count != vectorsToAdd.Count)
            throw new ArgumentException($"{texts.Count} texts but {vectorsToAdd.Count} vectors.", nameof(vectorsToAdd));
        lock (gate)
        {
            using var buffer = new MemoryStream();
            for (var i = 0; i < texts.Count; i++)
            {
                var v = vectorsToAdd[i] ?? throw new ArgumentException($"Vector {i} is null.", nameof(vectorsToAdd));
                if (v.Length != Dimension)
                    throw new ArgumentException($"Vector {i} has length {v.Length}, the cache holds {Dimension}.", nameof(vectorsToAdd));
                var keyBytes = KeyOf(texts[i]);
                var key = new Key(keyBytes);
                if (!vectors.TryAdd(key, (float[])v.Clone())) continue;
                WriteRecord(buffer, keyBytes, v);
            }
            if (buffer.Length == 0) return;
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            using var fs = new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            if (fs.Length == 0) WriteHeader(fs);
            else
            {
                // Drop a torn tail left by an interrupted append, so records stay aligned.
                var whole = headerBytes + (fs.Length - headerBytes) / RecordBytes * RecordBytes;
                if (whole != fs.Length) fs.SetLength(whole);
                fs.Seek(0, SeekOrigin.End);
            }
            buffer.Position = 0;
            buffer.CopyTo(fs);
            fs.Flush(flushToDisk: true);
            TornBytes = 0;
        }
    }

    /// <summary>
    /// Rewrites the file atomically (temporary file in the same folder, then rename) with records sorted by key,
    /// so the file's bytes depend only on the set of cached texts.
    /// </summary>
    public void Compact()
    {
        lock (gate)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
            var tmp = Path + "." + Environment.ProcessId + ".tmp";
            using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                WriteHeader(fs);
                foreach (var (key, v) in vectors.OrderBy(kv => kv.Key))
                    WriteRecord(fs, key.Bytes, v);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, Path, overwrite: true);
            TornBytes = 0;
        }
    }

    private void WriteHeader(Stream s)
    {
        var name = Encoding.UTF8.GetBytes(ModelName);
        var h = new byte[headerBytes];
        Magic.CopyTo(h, 0);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(8), Dimension);
        BinaryPrimitives.WriteInt32LittleEndian(h.AsSpan(12), name.Length);
        name.CopyTo(h, 16);
        s.Write(h);
    }

    private void WriteRecord(Stream s, byte[] key, float[] v)
    {
        var r = new byte[RecordBytes];
        key.CopyTo(r, 0);
        for (var j = 0; j < v.Length; j++)
            BinaryPrimitives.WriteSingleLittleEndian(r.AsSpan(KeyBytes + 4 * j), v[j]);
        s.Write(r);
    }

    private void Load()
    {
        var bytes = File.ReadAllBytes(Path);
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{Path}: not a MoralGap vector cache (expected the header \"MGVEC001\").");
        var dim = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(8));
        var nameLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        if (nameLength < 0 || 16 + nameLength > bytes.Length)
            throw new InvalidDataException($"{Path}: header is damaged (model name length {nameLength}).");
        var name = Encoding.UTF8.GetString(bytes, 16, nameLength);
        if (name != ModelName || dim != Dimension)
            throw new InvalidDataException(
                $"{Path}: holds vectors of model '{name}' (dimension {dim}), not '{ModelName}' (dimension {Dimension}); use another cache file.");
        var body = bytes.Length - headerBytes;
        var n = body / RecordBytes;
        TornBytes = body - n * RecordBytes;
        for (var i = 0; i < n; i++)
        {
            var at = headerBytes + i * RecordBytes;
            var key = bytes.AsSpan(at, KeyBytes).ToArray();
            var v = new float[Dimension];
            for (var j = 0; j < Dimension; j++)
                v[j] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(at + KeyBytes + 4 * j));
            vectors[new Key(key)] = v;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"VectorCache({Count} vectors of {ModelName}, {Path})";

    private readonly struct Key(byte[] bytes) : IEquatable<Key>, IComparable<Key>
    {
        public byte[] Bytes { get; } = bytes;
        public bool Equals(Key other) => Bytes.AsSpan().SequenceEqual(other.Bytes);
        public override bool Equals(object? obj) => obj is Key k && Equals(k);
        public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes);
        public int CompareTo(Key other) => Bytes.AsSpan().SequenceCompareTo(other.Bytes);
    }
}
