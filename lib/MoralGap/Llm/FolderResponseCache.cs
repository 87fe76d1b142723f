using System.Text;
using System.Text.Json;

namespace MoralGap.Llm;

/// <summary>
/// The former response cache, one JSON file per answer, kept to read (and migrate into <see cref="ResponseCache"/>)
/// folders written before the cache became one SQLite file, and as the reference the cache benchmark measures against.
/// Each answer is written (temp file + atomic rename) before use. Files live at <c>{Folder}/{hash[0..2]}/{hash}.json</c>, named by the SHA-256 of the
/// <see cref="CacheKey"/>; each holds the canonical key and the answer, never an API key. Several processes may share a
/// folder: a reader sees either no file or a complete one, and two writers of the same key both leave a valid answer.
/// </summary>
public sealed class FolderResponseCache
{
    private static readonly JsonSerializerOptions FileJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Opens (and creates, if needed) a cache folder.</summary>
    public FolderResponseCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>The file that holds (or will hold) the answer for <paramref name="key"/>.</summary>
    public string PathFor(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = key.Hash();
        return Path.Combine(Folder, hash[..2], hash + ".json");
    }

    /// <summary>The stored answer for <paramref name="key"/>, or <c>null</c>.</summary>
    public CachedResponse? TryGet(CacheKey key)
    {
        var path = PathFor(key);
        string text;
        try
        {
            text = File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(text, FileJson);
            if (entry?.Response is null || entry.Key != key.Canonical()) throw new JsonException("key mismatch or empty entry");
            return entry.Response;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="response"/> for <paramref name="key"/> atomically (temp file, flush, rename).</summary>
    public void Put(CacheKey key, CachedResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var path = PathFor(key);
        var dir = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(dir);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new Entry(1, key.Canonical(), response), FileJson);
        var temp = Path.Combine(dir, $".{Path.GetFileNameWithoutExtension(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    File.Move(temp, path, overwrite: true);
                    break;
                }
                catch (IOException) when (attempt < 5)
                {
                    // Windows refuses to replace a file another process is reading: wait a moment and try again.
                    if (File.Exists(path)) break; // another writer already stored an equally valid answer
                    Thread.Sleep(10 * (attempt + 1));
                }
                catch (UnauthorizedAccessException) when (attempt < 5)
                {
                    if (File.Exists(path)) break;
                    Thread.Sleep(10 * (attempt + 1));
                }
            }
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Number of stored answers in the folder.</summary>
    public int Count() => AnswerFiles(Folder).Count();

    /// <summary>The answer files of a folder cache (<c>{hash[0..2]}/{hash}.json</c>).</summary>
    public static IEnumerable<string> AnswerFiles(string folder) =>
        !Directory.Exists(folder) ? [] : Directory.EnumerateDirectories(folder).Where(d => Path.GetFileName(d).Length == 2)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.json"));

    /// <summary>Reads one answer file: the canonical key text it was stored under and the answer.</summary>
    /// <exception cref="JsonException">The file is not a cache entry.</exception>
    public static (string Key, CachedResponse Response) ReadFile(string path)
    {
        var entry = JsonSerializer.Deserialize<Entry>(File.ReadAllText(path, Encoding.UTF8), FileJson);
        if (entry?.Response is null || string.IsNullOrEmpty(entry.Key)) throw new JsonException("not a cache entry");
        return (entry.Key, entry.Response);
    }

    private sealed record Entry(int Version, string Key, CachedResponse Response);
}
