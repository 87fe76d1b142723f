using System.Text.Json;
using MoralGap.Llm;

namespace MoralGap.Tests.Llm;

public class ResponseCacheTests
{
    private static CacheKey Key(int sample = 0, string model = "m", double? temperature = 1.0, string provider = "openai") =>
        new(provider, model, [new CacheMessage("system", "be fair"), new CacheMessage("user", "judge this")], temperature, sample, "{\"maxOutputTokens\":300}");

    private static string Folder() => Path.Combine(Path.GetTempPath(), "moralgap-tests", "cache-" + Guid.NewGuid().ToString("N")[..8]);

    private static CachedResponse Answer(string text) => new(text, "stop", null, 1, 1, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Stores_and_reads_back_an_answer_in_one_sqlite_file()
    {
        var cache = new ResponseCache(Folder());
        Assert.Null(cache.TryGet(Key()));
        var answer = new CachedResponse("Evaluation: ACCEPTABLE\nRationale: fine.", "stop", "m-2024", 120, 14, DateTimeOffset.UnixEpoch);
        Assert.Equal(answer, cache.Put(Key(), answer));
        Assert.Equal(answer, new ResponseCache(cache.Folder).TryGet(Key()));
        Assert.Equal(1, cache.Count());
        Assert.True(cache.Contains(Key().Hash()));
        Assert.Equal([Key().Hash()], cache.Stored([Key().Hash(), Key(1).Hash()]));
        Assert.Equal(Key().Canonical(), Assert.Single(cache.Entries()).Key.Canonical());
        Assert.True(File.Exists(Path.Combine(cache.Folder, ResponseCache.DatabaseFileName)));
        // WAL mode: readers do not block the writer of another process.
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + cache.DatabasePath);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
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
    public void The_first_answer_stored_for_a_key_is_kept()
    {
        var cache = new ResponseCache(Folder());
        Assert.Equal("first", cache.Put(Key(), Answer("first")).Text);
        Assert.Equal("first", cache.Put(Key(), Answer("second")).Text);
        Assert.Equal("first", cache.TryGet(Key())!.Text);
        Assert.Equal(1, cache.Writes);
    }

    [Fact]
    public void Concurrent_writers_of_the_same_keys_leave_one_complete_answer_each()
    {
        var folder = Folder();
        var caches = Enumerable.Range(0, 4).Select(_ => new ResponseCache(folder)).ToArray();
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var cache = caches[i % caches.Length];
            var key = Key(sample: i % 25);
            var stored = cache.Put(key, Answer(new string('a', 5000) + i));
            var read = cache.TryGet(key);
            Assert.NotNull(read);
            Assert.Equal(stored, read);
            Assert.StartsWith(new string('a', 5000), read.Text);
        });
        Assert.Equal(25, caches[0].Count());
        Assert.Equal(25, caches.Sum(c => c.Writes));
    }

    [Fact]
    public void An_older_folder_cache_is_migrated_once_with_collector_keys_reachable_under_the_one_key()
    {
        var folder = Folder();
        // Files as the former folder cache wrote them: judgment collection (seed = run seed·1,000,000 + sample), a chat-client
        // request with a hashed seed (its sample cannot be known), a chat-client request with options and no seed, and junk.
        void Old(string name, string key, string text)
        {
            var dir = Path.Combine(folder, name[..2]);
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, name + ".json"), JsonSerializer.Serialize(new
            {
                version = 1, key, response = new { text, finishReason = "stop", responseModelId = (string?)null, inputTokens = 3, outputTokens = 4, createdUtc = DateTimeOffset.UnixEpoch },
            }));
        }
        const string messages = "[{\"role\":\"system\",\"text\":\"be fair\"},{\"role\":\"user\",\"text\":\"judge this\"}]";
        Old("aa01", $"{{\"provider\":\"openai\",\"model\":\"m\",\"messages\":{messages},\"temperature\":1,\"maxOutputTokens\":300,\"seed\":1000002,\"sampleIndex\":2}}", "collected");
        Old("bb02", $"{{\"provider\":\"openai\",\"model\":\"m\",\"messages\":{messages},\"temperature\":0.699999988079071,\"maxOutputTokens\":null,\"seed\":184467,\"sampleIndex\":0}}", "hashed seed");
        Old("cc03", "{\"provider\":\"openai\",\"model\":\"m\",\"messages\":[{\"role\":\"moralgap.chat-options\",\"text\":\"{\\\"topP\\\":0.5}\"},{\"role\":\"user\",\"text\":\"x\"}],\"temperature\":0,\"maxOutputTokens\":null,\"seed\":null,\"sampleIndex\":0}", "options");
        Directory.CreateDirectory(Path.Combine(folder, "dd"));
        File.WriteAllText(Path.Combine(folder, "dd", "dd04.json"), "{\"version\":1,\"key\":");

        var cache = new ResponseCache(folder);
        Assert.Equal(new CacheMigration(4, 2, 1, 1), cache.Migration);
        Assert.Equal(3, cache.Count());
        Assert.Equal("collected", cache.TryGet(Key(sample: 2))!.Text);
        var optionsKey = CacheKey.For("openai", "m", [new(Microsoft.Extensions.AI.ChatRole.User, "x")], new() { Temperature = 0, TopP = 0.5f });
        Assert.Equal("options", cache.TryGet(optionsKey)!.Text);
        // Once: a second opening reads nothing again, and the files are left in place.
        Assert.Equal(new CacheMigration(0, 0, 0, 0), new ResponseCache(folder).Migration);
        Assert.Equal(4, FolderResponseCache.AnswerFiles(folder).Count());
    }

    [Fact]
    public async Task A_claimed_key_makes_a_second_claimant_wait_for_the_answer_and_an_abandoned_lease_expires()
    {
        var folder = Folder();
        var a = new ResponseCache(folder) { LeaseDuration = TimeSpan.FromSeconds(30), WaitInterval = TimeSpan.FromMilliseconds(20) };
        var b = new ResponseCache(folder) { LeaseDuration = TimeSpan.FromSeconds(30), WaitInterval = TimeSpan.FromMilliseconds(20) };
        var first = await a.ClaimAsync(Key());
        Assert.NotNull(first.Lease);
        var second = b.ClaimAsync(Key());
        await Task.Delay(200);
        Assert.False(second.IsCompleted);                       // waits: someone is buying this answer
        a.Put(Key(), Answer("bought once"));
        first.Lease!.Dispose();
        var got = await second;
        Assert.Equal("bought once", got.Answer!.Text);
        Assert.Null(got.Lease);

        // Released without an answer (the call failed): the waiting claimant takes the lease.
        var failing = await a.ClaimAsync(Key(1));
        var waiting = b.ClaimAsync(Key(1));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        failing.Lease!.Dispose();
        using (var taken = (await waiting).Lease) Assert.NotNull(taken);

        // A lease nobody renews (its process died: a row left behind, expiring in 300 ms) is taken over once it expires.
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + a.DatabasePath))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO leases(hash, owner, expires_ms) VALUES ($h, 'a process that died', $e)";
            command.Parameters.AddWithValue("$h", Key(2).Hash());
            command.Parameters.AddWithValue("$e", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 300);
            command.ExecuteNonQuery();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using (var after = (await b.ClaimAsync(Key(2))).Lease) Assert.NotNull(after);
        Assert.InRange(clock.Elapsed.TotalMilliseconds, 150, 10_000);
    }
}
