namespace MoralGap.Data;

/// <summary>
/// Compressed inputs, chosen by file extension: files ending in <c>.gz</c> are read through gzip and files ending in
/// <c>.zst</c> through Zstandard (ZstdSharp, a managed port of the reference library), as Reddit archives are
/// published: Pushshift/Arctic Shift dumps are zstd with a 2 GB window (<c>--long=31</c>), which the decoder is allowed
/// here. Nothing is decompressed to disk. A damaged or truncated .zst is an error; .NET's gzip reader has no
/// end-of-stream check, so a truncated .gz shows only as a cut last line.
/// </summary>
public static class Decompression
{
    /// <summary>The bytes of the file as text: <paramref name="file"/> itself, or a gzip / zstd decoder over it (by extension).</summary>
    internal static Stream Open(string path, FileStream file)
    {
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) return new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        if (!path.EndsWith(".zst", StringComparison.OrdinalIgnoreCase)) return file;
        var zstd = new ZstdSharp.DecompressionStream(file, bufferSize: 1 << 17, checkEndOfStream: true, leaveOpen: false);
        zstd.SetParameter(ZstdSharp.Unsafe.ZSTD_dParameter.ZSTD_d_windowLogMax, 31);
        return zstd;
    }
}
