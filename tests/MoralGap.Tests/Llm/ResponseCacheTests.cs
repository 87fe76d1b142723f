using MoralGap.Llm;

namespace MoralGap.Tests.Llm;

public class ResponseCacheTests
{
    private static CacheKey Key(int sample = 0, string model = "m", double? temperature = 1.0, string provider = "openai") =>
        new(provider, model, [new CacheMessage("system", "be fair"), new CacheMessage("user", "judge this")], temperature, sample, "{\"maxOutputTokens\":300}");

    private static string Folder() => Path.Combine(Path.GetTempPath(), "moralgap-tests", "cache-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void Stores_and_reads_back_an_answer()
    {
        var cache = new ResponseCache(Folder());
        Assert.Null(cache.TryGet(Key()));
        var answer = new CachedResponse("Evaluation: ACCEPTABLE\nRationale: fine.", "stop", "m-2024", 120, 14, DateTimeOffset.UnixEpoch);
        cache.Put(Key(), answer);
        Assert.Equal(answer, new ResponseCache(cache.Folder).TryGet(Key()));
        Assert.Equal(1, cache.Count());
        Assert.Empty(Directory.GetFiles(cache.Folder, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void Every_part_of_the_key_matters()
    {
        var hashes = new[] { Key(), Key(sample: 1), Key(model: "m2"), Key(temperature: 0.7), Key(provider: "azure:https://x/") }
            .Select(k => k.Hash()).ToList();
        Assert.Equal(hashes.Count, hashes.Distinct().Count());
        Assert.Equal(Key().Hash(), Key().Hash());
        Assert.Equal(64, hashes[0].Length);
    }

    [Fact]
    public void A_corrupt_file_is_a_miss_and_is_replaced_by_the_next_answer()
    {
        var cache = new ResponseCache(Folder());
        var path = cache.PathFor(Key());
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "{\"version\":1,\"key\":");
        Assert.Null(cache.TryGet(Key()));
        Assert.Equal(1, cache.Corrupt);
        cache.Put(Key(), new CachedResponse("x", null, null, null, null, DateTimeOffset.UnixEpoch));
        Assert.Equal("x", cache.TryGet(Key())!.Text);
    }

    [Fact]
    public void Concurrent_writers_of_the_same_keys_leave_only_complete_files()
    {
        var folder = Folder();
        var caches = Enumerable.Range(0, 4).Select(_ => new ResponseCache(folder)).ToArray();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var cache = caches[i % caches.Length];
            var key = Key(sample: i % 25);
            cache.Put(key, new CachedResponse(new string('a', 5000) + i, "stop", null, 1, 1, DateTimeOffset.UnixEpoch));
            var read = cache.TryGet(key);
            Assert.NotNull(read);
            Assert.StartsWith(new string('a', 5000), read.Text);
        });
        Assert.Equal(25, Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Length);
        Assert.All(caches, c => Assert.Equal(0, c.Corrupt));
    }
}
