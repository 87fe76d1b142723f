using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MoralGap.Data;

/// <summary>
/// JSON Lines files (one JSON object a line, https://jsonlines.org): streaming reads that name file, line and field on
/// error, and atomic writes (a temp file beside the target, then a rename) so a crash never leaves half a file.
/// Built on System.Text.Json; the lines come from <see cref="TextLines.ReadLines"/> (UTF-8, a BOM accepted, CRLF or LF
/// line ends, blank lines ignored, .gz and .zst read through <see cref="Decompression"/>).
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

    /// <summary>Each non-blank line parsed as a JSON object (not deserialized), with its line number.</summary>
    public static IEnumerable<(long Line, JsonElement Element)> ReadElements(string path)
    {
        foreach (var (line, text) in TextLines.ReadLines(path))
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
        foreach (var (line, text) in TextLines.ReadLines(path))
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
            using var w = new StreamWriter(stream, TextLines.StrictUtf8, bufferSize: 1 << 16, leaveOpen: true) { NewLine = "\n" };
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
        WriteAtomic(path, s => { var b = TextLines.StrictUtf8.GetBytes(text); s.Write(b, 0, b.Length); });

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
