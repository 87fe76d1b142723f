using System.Text;

namespace MoralGap.Data;

/// <summary>
/// Line reading of the project's text inputs (JSON Lines, TSV, CSV sources): strict UTF-8 (a BOM accepted), CRLF or LF
/// line ends, streamed with 1-based line numbers, compressed files read through <see cref="Decompression"/>; invalid
/// UTF-8 raises a <see cref="DataFormatException"/> that names the file and line.
/// </summary>
public static class TextLines
{
    /// <summary>UTF-8 that throws on invalid bytes instead of silently replacing them.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Opens a text file as strict UTF-8 (BOM detected and skipped); <c>.gz</c> and <c>.zst</c> files through
    /// <see cref="Decompression"/>.
    /// </summary>
    public static StreamReader OpenText(string path) => OpenText(path, out _);

    /// <summary>As <see cref="OpenText(string)"/>, also giving the file stream underneath (its position is the compressed bytes read).</summary>
    internal static StreamReader OpenText(string path, out FileStream file)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No such file: {path}", path);
        file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return new StreamReader(Decompression.Open(path, file), StrictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
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
        using (var text = Decompression.Open(path, file))
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
}
