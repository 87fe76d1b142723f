using System.IO.Compression;
using MoralGap.Data;

namespace MoralGap.Tests.Data;

/// <summary>Reddit archives come compressed (Pushshift / Arctic Shift: zstd with a 2 GB window); they import without unpacking.</summary>
public class CompressedInputTests
{
    private static void Gzip(string from, string to)
    {
        using var input = File.OpenRead(from);
        using var output = new GZipStream(File.Create(to), CompressionLevel.Fastest);
        input.CopyTo(output);
    }

    /// <summary>Compresses like <c>zstd --long=31</c>: a streamed frame declaring a 2 GB window, which a default decoder refuses.</summary>
    private static void Zstd(string from, string to, int windowLog = 31)
    {
        using var input = File.OpenRead(from);
        using var output = new ZstdSharp.CompressionStream(File.Create(to), level: 3, bufferSize: 0, leaveOpen: false);
        output.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_windowLog, windowLog);
        output.SetParameter(ZstdSharp.Unsafe.ZSTD_cParameter.ZSTD_c_enableLongDistanceMatching, 1);
        input.CopyTo(output);
    }

    private static string Counts(FilterReport r) =>
        $"{r.DilemmasRead}/{r.DilemmasKept}/{r.JudgmentsRead}/{r.JudgmentsKept} " + string.Join("; ", r.Reasons.Select(x => $"{x.Reason}={x.Count}"));

    [Fact]
    public void GzipAndLongWindowZstdDumpsImportLikeThePlainFiles()
    {
        using var f = new Fixture();
        var (subs, coms) = (f.PathOf("RS.jsonl"), f.PathOf("RC.jsonl"));
        RedditDumpGenerator.Write(subs, coms, targetBytes: 1_000_000, seed: 9, commentsPerSubmission: 100);
        var plain = Importers.ImportTo(f.PathOf("plain"), ImportFormat.Reddit, [subs, coms], ImportOptions.Paper);
        Gzip(subs, subs + ".gz");
        Gzip(coms, coms + ".gz");
        Zstd(subs, subs + ".zst");
        Zstd(coms, coms + ".zst");
        Assert.True(new FileInfo(coms + ".zst").Length < new FileInfo(coms).Length / 3);

        var gz = Importers.ImportTo(f.PathOf("gz"), ImportFormat.Reddit, [subs + ".gz", coms + ".gz"], ImportOptions.Paper);
        var zst = Importers.ImportTo(f.PathOf("zst"), ImportFormat.Reddit, [subs + ".zst", coms + ".zst"], ImportOptions.Paper);
        Assert.Equal(Counts(plain.Report), Counts(gz.Report));
        Assert.Equal(Counts(plain.Report), Counts(zst.Report));
        Assert.Equal(File.ReadAllText(Path.Combine(f.PathOf("plain"), DilemmaDataset.JudgmentsFile)),
            File.ReadAllText(Path.Combine(f.PathOf("zst"), DilemmaDataset.JudgmentsFile)));
        Assert.Equal(File.ReadAllText(Path.Combine(f.PathOf("plain"), DilemmaDataset.JudgmentsFile)),
            File.ReadAllText(Path.Combine(f.PathOf("gz"), DilemmaDataset.JudgmentsFile)));
    }

    [Theory]
    [InlineData(".zst")]
    [InlineData(".gz")]
    public void ATruncatedArchiveIsAnErrorNotAShorterDataset(string extension)
    {
        using var f = new Fixture();
        var (subs, coms) = (f.PathOf("RS.jsonl"), f.PathOf("RC.jsonl"));
        RedditDumpGenerator.Write(subs, coms, targetBytes: 300_000, seed: 4);
        var packed = coms + extension;
        if (extension == ".gz") Gzip(coms, packed); else Zstd(coms, packed);
        var bytes = File.ReadAllBytes(packed);
        File.WriteAllBytes(packed, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<DataFormatException>(() => Importers.ImportTo(f.PathOf("out"), ImportFormat.Reddit, [subs, packed], ImportOptions.KeepAll));
        Assert.Contains("RC.jsonl" + extension, e.Message);
        // zstd checks the end of its stream; .NET's gzip reader does not, so a cut .gz fails on its cut last line.
        Assert.Contains(extension == ".zst" ? "damaged or truncated" : "not valid JSON", e.Message);
        Assert.False(Directory.Exists(f.PathOf("out")));
    }

    [Fact]
    public void InvalidUtf8InsideAnArchiveNamesItsLine()
    {
        using var f = new Fixture();
        byte[] good = "{\"id\":\"a\",\"title\":\"T\",\"text\":\"ok\",\"label_scores\":{\"AUTHOR\":1}}\n"u8.ToArray();
        byte[] bad = [.. "{\"id\":\"b\",\"title\":\"T\",\"text\":\"bad "u8, 0xFF, .. " byte\",\"label_scores\":{\"AUTHOR\":1}}\n"u8];
        var text = f.WriteBytes("s.jsonl", [.. good, .. bad]);
        Gzip(text, text + ".gz");
        var e = Assert.Throws<DataFormatException>(() => Importers.Import(ImportFormat.Scruples, [text + ".gz"], ImportOptions.KeepAll));
        Assert.Equal(2, e.Line);
        Assert.Contains("invalid UTF-8", e.Message);
    }
}
