using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoralGap.Data;

/// <summary>
/// JSON Lines files (one JSON object a line, https://jsonlines.org): streaming reads that name file, line and field on
/// error, and atomic writes (a temp file beside the target, then a rename) so a crash never leaves half a file.
/// Built on System.Text.Json; input must be UTF-8 (a BOM is accepted), CRLF or LF line ends, blank lines ignored.
/// </summary>
public static class JsonlStore
{
    /// <summary>
    /// The serializer options of every dataset file: camelCase names, enums as strings (no numbers), required
    /// constructor parameters and nullable annotations enforced, compact lines, non-ASCII text kept readable.
    /// </summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>UTF-8 that throws on invalid bytes instead of silently replacing them.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Opens a text file as strict UTF-8 (BOM detected and skipped). Files ending in <c>.gz</c> are read through
    /// gzip and files ending in <c>.zst</c> through Zstandard (ZstdSharp, a managed port of the reference library),
    /// as Reddit archives are published: Pushshift/Arctic Shift dumps are zstd with a 2 GB window (<c>--long=31</c>),
    /// which the decoder is allowed here. Nothing is decompressed to disk. A damaged or truncated .zst is an error;
    /// .NET's gzip reader has no end-of-stream check, so a truncated .gz fails only on its cut last line (not valid JSON).
    /// </summary>
    public static StreamReader OpenText(string path) => OpenText(path, out _);

    /// <summary>As <see cref="OpenText(string)"/>, also giving the file stream underneath (its position is the compressed bytes read).</summary>
    internal static StreamReader OpenText(string path, out FileStream file)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new StreamReader(Decompressed(path, file), StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
    }

    /// <summary>The bytes of the file as text: <paramref name="file"/> itself, or a gzip / zstd decoder over it (by extension).</summary>
    internal static Stream Decompressed(string path, FileStream file)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        if (!path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase)) return file;
        var zstd = new ZstdSharp.DecompressionStream(file, bufferSize: 1 << 17, checkEndOfStream: true, leaveOpen: false);
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
        return zstd;
    }

    /// <summary>
    /// The non-blank lines of a UTF-8 text file with their 1-based line numbers, streamed. A leading BOM is removed;
    /// invalid UTF-8 raises a <see cref="DataFormatException"/> naming the exact line.
    /// </summary>
    public static IEnumerable<(long Line, string Text)> ReadLines(string path)
    {
        foreach (var (line, text, _) in ReadLinesAt(path)) yield return (line, text);
    }

    /// <summary>As <see cref="ReadLines"/>, with the byte position reached in the file (approximate: the reader buffers 64 KB ahead), for progress.</summary>
    internal static IEnumerable<(long Line, string Text, long Position)> ReadLinesAt(string path)
    {
        using var reader = OpenText(path, out var file);
        long line = 0;
        while (true)
        {
            string? text;
            try { text = reader.ReadLine(); }
            catch (DecoderFallbackException e) { throw InvalidUtf8(path, e); }
            catch (Exception e) when (e is InvalidDataException or ZstdSharp.ZstdException or EndOfStreamException)
            {
                throw new DataFormatException(path, line + 1, null, $"the compressed file is damaged or truncated ({e.Message})", e);
            }
            if (text is null) yield break;
            line++;
            if (line == 1 && text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
            if (string.IsNullOrWhiteSpace(text)) continue;
            yield return (line, text, file.Position);
        }
    }

    /// <summary>Each non-blank line parsed as a JSON object (not deserialized), with its line number.</summary>
    public static IEnumerable<(long Line, JsonElement Element)> ReadElements(string path)
    {
        foreach (var (line, text) in ReadLines(path))
            yield return (line, ParseObject(path, line, text).RootElement);
    }

    /// <summary>Parses one line as a JSON object; errors name file and line. The caller owns (and may dispose) the document.</summary>
    internal static JsonDocument ParseObject(string path, long line, string text)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException ex) { throw new DataFormatException(path, line, null, $"not valid JSON ({Trim(ex.Message)})", ex); }
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = doc.RootElement.ValueKind;
            doc.Dispose();
            throw new DataFormatException(path, line, null, $"expected a JSON object, found {kind}");
        }
        return doc;
    }

    /// <summary>Each non-blank line deserialized as <typeparamref name="T"/> with <see cref="Options"/>, streamed.</summary>
    public static IEnumerable<T> Read<T>(string path, JsonSerializerOptions? options = null)
    {
        foreach (var (line, text) in ReadLines(path))
        {
            T? item;
            try { item = JsonSerializer.Deserialize<T>(text, options ?? Options); }
            catch (JsonException ex) { throw new DataFormatException(path, line, FieldOf(ex), Trim(ex.Message), ex); }
            catch (ArgumentException ex) { throw new DataFormatException(path, line, null, ex.Message, ex); }
            if (item is null) throw new DataFormatException(path, line, null, "null instead of an object");
            yield return item;
        }
    }

    /// <summary>As <see cref="Read{T}"/>, as an async stream (reads are synchronous per line; for <c>await foreach</c> in notebooks).</summary>
    public static async IAsyncEnumerable<T> ReadAsync<T>(string path, JsonSerializerOptions? options = null)
    {
        foreach (var item in Read<T>(path, options))
        {
            yield return item;
            await Task.Yield();
        }
    }

    /// <summary>Writes one JSON line per item (LF line ends, UTF-8 without BOM) atomically; returns the number of lines.</summary>
    public static int Write<T>(string path, IEnumerable<T> items, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        var n = 0;
        WriteAtomic(path, stream =>
        {
            using var w = new StreamWriter(stream, StrictUtf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
            foreach (var item in items)
            {
                w.Write(JsonSerializer.Serialize(item, options ?? Options));
                w.Write('\n');
                n++;
            }
        });
        return n;
    }

    /// <summary>Writes a whole text file atomically (UTF-8 without BOM).</summary>
    public static void WriteAllTextAtomic(string path, string text) =>
        WriteAtomic(path, s => { var b = StrictUtf8.GetBytes(text); s.Write(b, 0, b.Length); });

    /// <summary>Writes through a temp file in the same folder, flushes it, then renames it over <paramref name="path"/>.</summary>
    public static void WriteAtomic(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var s = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(s);
                s.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    /// <summary>Builds the error for invalid UTF-8, locating the first bad byte's line by re-reading the file.</summary>
    internal static DataFormatException InvalidUtf8(string path, Exception inner)
    {
        var (line, offset) = FindInvalidUtf8(path);
        return new DataFormatException(path, line, null, $"invalid UTF-8 byte at offset {offset} (the file must be UTF-8)", inner);
    }

    /// <summary>1-based line and byte offset of the first invalid UTF-8 sequence, or (0, -1) when the file is valid.</summary>
    internal static (long Line, long Offset) FindInvalidUtf8(string path)
    {
        byte[] bytes;
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        using (var text = Decompressed(path, file))
        using (var all = new MemoryStream())
        {
            text.CopyTo(all); // error path only; offsets count uncompressed bytes
            bytes = all.ToArray();
        }
        ReadOnlySpan<byte> span = bytes;
        long line = 1;
        var i = 0;
        while (i < span.Length)
        {
            if (span[i] == (byte)'\n') { line++; i++; continue; }
            var status = System.Buffers.OperationStatus.Done;
            status = System.Text.Rune.DecodeFromUtf8(span[i..], out _, out var used);
            if (status != System.Buffers.OperationStatus.Done) return (line, i);
            i += used;
        }
        return (0, -1);
    }

    /// <summary>The field a JsonException is about: its path, or the first missing required property named in its message.</summary>
    internal static string? FieldOf(JsonException ex)
    {
        var f = FieldOf(ex.Path);
        if (f is not null) return f;
        var m = System.Text.RegularExpressions.Regex.Match(ex.Message, @"missing required properties including: '([^']+)'");
        return m.Success ? m.Groups[1].Value : null;
    }

    /// <summary>"$.label_scores.AUTHOR" → "label_scores.AUTHOR"; null for the root.</summary>
    internal static string? FieldOf(string? jsonPath)
    {
        if (string.IsNullOrEmpty(jsonPath) || jsonPath == "$") return null;
        var p = jsonPath.StartsWith("$.") ? jsonPath[2..] : jsonPath.TrimStart('$');
        return p.Length == 0 ? null : p;
    }

    private static string Trim(string message)
    {
        var i = message.IndexOf(" Path:", StringComparison.Ordinal);
        return i > 0 ? message[..i] : message;
    }
}
