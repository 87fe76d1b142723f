using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace MoralGap.Llm;

/// <summary>A stored LLM answer.</summary>
/// <param name="Text">The answer text exactly as received.</param>
/// <param name="FinishReason">The finish reason (<c>stop</c>, <c>length</c>, <c>content_filter</c>…), if any.</param>
/// <param name="ResponseModelId">The model id the server reported, if any.</param>
/// <param name="InputTokens">Prompt tokens reported by the server, if any.</param>
/// <param name="OutputTokens">Completion tokens reported by the server, if any.</param>
/// <param name="CreatedUtc">When the answer was received.</param>
public sealed record CachedResponse(
    string Text,
    string? FinishReason,
    string? ResponseModelId,
    long? InputTokens,
    long? OutputTokens,
    DateTimeOffset CreatedUtc);

/// <summary>What <see cref="ResponseCache.ClaimAsync"/> obtained: the stored answer, or the right to buy it.</summary>
/// <param name="Answer">The answer already stored (someone else bought it), or null.</param>
/// <param name="Lease">The lease to hold while calling (renewed until disposed), when there was no answer.</param>
public sealed record CacheClaim(CachedResponse? Answer, CacheLease? Lease);

/// <summary>How the folder cache of an older version was read into the database (once, when first opened).</summary>
/// <param name="Files">Answer files found.</param>
/// <param name="Migrated">Answers stored under the current key.</param>
/// <param name="KeptUnderOldKey">Answers whose sample index cannot be known (a hashed request seed), kept under their old key: stored, never lost, but no current request reads them.</param>
/// <param name="Unreadable">Files that are not cache entries (left in place, reported).</param>
public sealed record CacheMigration(int Files, int Migrated, int KeptUnderOldKey, int Unreadable);

/// <summary>
/// The store of LLM answers, so that no paid call is ever made twice: one SQLite database file
/// (<c>{Folder}/responses.db</c>, WAL mode) with one row per answer under the hash of its <see cref="CacheKey"/>, the one
/// key every chapter, verb and batch shares. Each row holds the canonical key and the answer, never an API key.
/// </summary>
/// <remarks>
/// <para><b>Written before use.</b> <see cref="Put"/> commits (synchronous = FULL) before it returns; callers store an
/// answer before they parse or show it, so a crash or a kill at any moment keeps every answer received. SQLite's
/// transactions make a row either absent or complete.</para>
/// <para><b>Never paid twice, across processes.</b> Several processes (a chapter in an editor and a terminal run) may share
/// the file. Before calling, a caller <see cref="ClaimAsync">claims</see> the key: it gets the stored answer, or a lease
/// (a row naming its owner and an expiry, renewed every third of <see cref="LeaseDuration"/> while the call runs), or it
/// waits while another live lease exists. A lease whose process died stops being renewed and expires, and the next
/// claimant takes it over (at once when that process ran on the same machine and is gone). The first answer stored for a key is kept; a later one is ignored.</para>
/// <para><b>Scale.</b> One file instead of one file per answer: the paper's 517,760 judgments are one file to copy or back
/// up, fast to count and list on every file system.</para>
/// <para><b>Migration.</b> A folder written by an older version (one JSON file per answer, <see cref="FolderResponseCache"/>)
/// is read into the database the first time it is opened (<see cref="Migration"/>); the files are left in place.</para>
/// <para>SQLite's native library comes from Microsoft.Data.Sqlite's bundle (SQLitePCLRaw e_sqlite3), which ships
/// builds for Linux, Windows and macOS (x64 and arm64).</para>
/// </remarks>
public sealed class ResponseCache
{
    /// <summary>The database file name inside the cache folder.</summary>
    public const string DatabaseFileName = "responses.db";

    private const int SchemaVersion = 1;
    private readonly string _connectionString;
    private long _writes;

    /// <summary>Opens (and creates, if needed) the cache in <paramref name="folder"/>; migrates an older folder cache once.</summary>
    /// <param name="folder">The cache folder (the database is <c>responses.db</c> inside it).</param>
    public ResponseCache(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        DatabasePath = Path.Combine(Folder, DatabaseFileName);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 60, // seconds a command waits for another writer's lock
        }.ToString();
        using (var connection = Open())
        {
            Execute(connection, "PRAGMA journal_mode = WAL;");
            // A rowid table with the hash as its unique key: answer rows (about 1 KB with their key) are too large for a
            // WITHOUT ROWID table, which spilled each into its own overflow page (4.7 KB a row, measured at 100,000 rows).
            Execute(connection, """
                CREATE TABLE IF NOT EXISTS responses(
                  hash TEXT NOT NULL PRIMARY KEY, key TEXT NOT NULL, text TEXT NOT NULL, finish_reason TEXT, response_model TEXT,
                  input_tokens INTEGER, output_tokens INTEGER, created_utc TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS leases(hash TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL, expires_ms INTEGER NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS meta(name TEXT NOT NULL PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                """);
            var version = Scalar(connection, "SELECT value FROM meta WHERE name = 'schema'");
            if (version is null) Execute(connection, $"INSERT OR IGNORE INTO meta(name, value) VALUES ('schema', '{SchemaVersion}')");
            else if (version.ToString() != SchemaVersion.ToString(CultureInfo.InvariantCulture))
                throw new InvalidOperationException($"{DatabasePath}: response cache schema {version}, this version reads schema {SchemaVersion}.");
        }
        Migration = MigrateFolder();
    }

    /// <summary>The cache folder.</summary>
    public string Folder { get; }

    /// <summary>The SQLite database file.</summary>
    public string DatabasePath { get; }

    /// <summary>How long a claim lasts without renewal (a dead process's claim expires after it). Default 60 s.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often a waiting claimant looks again for the answer or an expired lease. Default 200 ms.</summary>
    public TimeSpan WaitInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Answers this instance stored (rows it inserted).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>What opening this folder migrated from an older folder cache (all zero when there was nothing to migrate).</summary>
    public CacheMigration Migration { get; }

    /// <summary>The stored answer for <paramref name="key"/>, or <c>null</c>.</summary>
    public CachedResponse? TryGet(CacheKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, text, finish_reason, response_model, input_tokens, output_tokens, created_utc FROM responses WHERE hash = $hash";
        command.Parameters.AddWithValue("$hash", key.Hash());
        using var reader = command.ExecuteReader();
        if (!reader.Read()) return null;
        if (reader.GetString(0) != key.Canonical())
            throw new InvalidOperationException($"{DatabasePath}: the row of hash {key.Hash()} holds another key (a SHA-256 collision or a damaged file).");
        return ReadResponse(reader, 1);
    }

    /// <summary>True when an answer is stored under <paramref name="hash"/> (<see cref="CacheKey.Hash"/>).</summary>
    public bool Contains(string hash)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM responses WHERE hash = $hash";
        command.Parameters.AddWithValue("$hash", hash);
        return command.ExecuteScalar() is not null;
    }

    /// <summary>The hashes among <paramref name="hashes"/> that have a stored answer (looked up 500 at a time).</summary>
    public HashSet<string> Stored(IEnumerable<string> hashes)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var found = new HashSet<string>(StringComparer.Ordinal);
        using var connection = Open();
        foreach (var chunk in hashes.Chunk(500))
        {
            using var command = connection.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "$h" + i.ToString(CultureInfo.InvariantCulture);
                command.Parameters.AddWithValue(names[i], chunk[i]);
            }
            command.CommandText = $"SELECT hash FROM responses WHERE hash IN ({string.Join(',', names)})";
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add(reader.GetString(0));
        }
        return found;
    }

    /// <summary>
    /// Stores <paramref name="response"/> for <paramref name="key"/> and commits before returning. When an answer is already
    /// stored for the key, that first answer is kept and returned; otherwise <paramref name="response"/> is. Releases any
    /// lease on the key.
    /// </summary>
    public CachedResponse Put(CacheKey key, CachedResponse response)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        return PutMany([(key, response)])[0];
    }

    /// <summary>Stores many answers in one transaction (a downloaded batch); returns what is stored for each, in order.</summary>
    public IReadOnlyList<CachedResponse> PutMany(IReadOnlyList<(CacheKey Key, CachedResponse Response)> answers)
    {
        ArgumentNullException.ThrowIfNull(answers);
        var stored = new CachedResponse[answers.Count];
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT OR IGNORE INTO responses(hash, key, text, finish_reason, response_model, input_tokens, output_tokens, created_utc)
            VALUES ($hash, $key, $text, $finish, $model, $in, $out, $created)
            """;
        var p = new[] { "$hash", "$key", "$text", "$finish", "$model", "$in", "$out", "$created" }.Select(n => insert.Parameters.Add(n, SqliteType.Text)).ToArray();
        p[5].SqliteType = p[6].SqliteType = SqliteType.Integer;
        using var release = connection.CreateCommand();
        release.Transaction = transaction;
        release.CommandText = "DELETE FROM leases WHERE hash = $hash";
        var releaseHash = release.Parameters.Add("$hash", SqliteType.Text);
        using var existing = connection.CreateCommand();
        existing.Transaction = transaction;
        existing.CommandText = "SELECT key, text, finish_reason, response_model, input_tokens, output_tokens, created_utc FROM responses WHERE hash = $hash";
        var existingHash = existing.Parameters.Add("$hash", SqliteType.Text);
        long inserted = 0;
        for (var i = 0; i < answers.Count; i++)
        {
            var (key, response) = answers[i];
            var hash = key.Hash();
            p[0].Value = hash;
            p[1].Value = key.Canonical();
            p[2].Value = response.Text ?? "";
            p[3].Value = (object?)response.FinishReason ?? DBNull.Value;
            p[4].Value = (object?)response.ResponseModelId ?? DBNull.Value;
            p[5].Value = (object?)response.InputTokens ?? DBNull.Value;
            p[6].Value = (object?)response.OutputTokens ?? DBNull.Value;
            p[7].Value = response.CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            if (insert.ExecuteNonQuery() == 1)
            {
                inserted++;
                stored[i] = response;
            }
            else
            {
                existingHash.Value = hash;
                using var reader = existing.ExecuteReader();
                reader.Read();
                stored[i] = ReadResponse(reader, 1);
            }
            releaseHash.Value = hash;
            release.ExecuteNonQuery();
        }
        transaction.Commit();
        Interlocked.Add(ref _writes, inserted);
        return stored;
    }

    /// <summary>
    /// Claims <paramref name="key"/> before buying its answer: returns the stored answer if there is one, else a lease
    /// (renewed until disposed) when no other live lease exists; while another process or caller holds a live lease,
    /// waits for its answer, or for the lease to be released or to expire (then claims it).
    /// </summary>
    public async Task<CacheClaim> ClaimAsync(CacheKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = key.Hash();
        var owner = $"{LocalProcess}/{Guid.NewGuid():N}";
        while (true)
        {
            if (TryGet(key) is { } stored) return new CacheClaim(stored, null);
            if (TryTakeLease(hash, owner)) return new CacheClaim(null, new CacheLease(this, hash, owner));
            await Task.Delay(WaitInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>This process as a lease owner names it: machine, process id and start time.</summary>
    private static readonly string LocalProcess = ProcessName(Environment.ProcessId, Environment.MachineName, System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime().Ticks);

    private static string ProcessName(int pid, string machine, long startTicks) =>
        string.Create(CultureInfo.InvariantCulture, $"{machine}/{pid}/{startTicks}");

    /// <summary>
    /// True when <paramref name="owner"/> names a process of this machine that no longer runs (a killed run): its lease
    /// is dead now, not only when it expires, so a rerun right after a kill does not wait out the lease.
    /// </summary>
    private static bool OwnerIsDeadHere(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length < 4 || parts[0] != Environment.MachineName || !int.TryParse(parts[1], CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var ticks)) return false;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            // Exited, or its id reused by a later process. Linux derives start times from the boot time, which .NET
            // recomputes on each call, so two readings of one process differ slightly: allow 2 s.
            return process.HasExited || Math.Abs(process.StartTime.ToUniversalTime().Ticks - ticks) > TimeSpan.TicksPerSecond * 2;
        }
        catch (ArgumentException)
        {
            return true; // no process with that id
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false; // cannot tell: wait for the lease to expire
        }
    }

    /// <summary>Takes the lease on <paramref name="hash"/> unless an answer or another live lease exists.</summary>
    private bool TryTakeLease(string hash, string owner)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var holder = connection.CreateCommand())
        {
            holder.Transaction = transaction;
            holder.CommandText = "SELECT owner FROM leases WHERE hash = $hash";
            holder.Parameters.AddWithValue("$hash", hash);
            if (holder.ExecuteScalar() is string current && OwnerIsDeadHere(current))
            {
                holder.CommandText = "DELETE FROM leases WHERE hash = $hash";
                holder.ExecuteNonQuery();
            }
        }
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO leases(hash, owner, expires_ms)
            SELECT $hash, $owner, $expires
            WHERE NOT EXISTS (SELECT 1 FROM responses WHERE hash = $hash)
            ON CONFLICT(hash) DO UPDATE SET owner = excluded.owner, expires_ms = excluded.expires_ms
            WHERE leases.expires_ms < $now
            """;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$expires", now + (long)LeaseDuration.TotalMilliseconds);
        command.Parameters.AddWithValue("$now", now);
        var taken = command.ExecuteNonQuery() == 1;
        transaction.Commit();
        return taken;
    }

    internal bool RenewLease(string hash, string owner)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE leases SET expires_ms = $expires WHERE hash = $hash AND owner = $owner";
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$expires", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)LeaseDuration.TotalMilliseconds);
        return command.ExecuteNonQuery() == 1;
    }

    internal void ReleaseLease(string hash, string owner)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM leases WHERE hash = $hash AND owner = $owner";
        command.Parameters.AddWithValue("$hash", hash);
        command.Parameters.AddWithValue("$owner", owner);
        command.ExecuteNonQuery();
    }

    /// <summary>Number of stored answers.</summary>
    public int Count()
    {
        using var connection = Open();
        return Convert.ToInt32(Scalar(connection, "SELECT COUNT(*) FROM responses"), CultureInfo.InvariantCulture);
    }

    /// <summary>Every stored answer with its key, in hash order (streamed).</summary>
    public IEnumerable<(CacheKey Key, CachedResponse Response)> Entries()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT key, text, finish_reason, response_model, input_tokens, output_tokens, created_utc FROM responses ORDER BY hash";
        using var reader = command.ExecuteReader();
        while (reader.Read()) yield return (CacheKey.Parse(reader.GetString(0)), ReadResponse(reader, 1));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA synchronous = FULL;");
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static CachedResponse ReadResponse(SqliteDataReader r, int first) => new(
        r.GetString(first),
        r.IsDBNull(first + 1) ? null : r.GetString(first + 1),
        r.IsDBNull(first + 2) ? null : r.GetString(first + 2),
        r.IsDBNull(first + 3) ? null : r.GetInt64(first + 3),
        r.IsDBNull(first + 4) ? null : r.GetInt64(first + 4),
        DateTimeOffset.Parse(r.GetString(first + 5), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));

    /// <summary>Reads the folder cache of an older version into the database, once (a meta row records it).</summary>
    private CacheMigration MigrateFolder()
    {
        using (var connection = Open())
            if (Scalar(connection, "SELECT value FROM meta WHERE name = 'folder-migrated'") is not null) return new CacheMigration(0, 0, 0, 0);
        var files = FolderResponseCache.AnswerFiles(Folder).ToList();
        int migrated = 0, kept = 0, unreadable = 0;
        var rows = new List<(CacheKey, CachedResponse)>();
        var verbatim = new List<(string Hash, string Key, CachedResponse Response)>();
        foreach (var file in files)
        {
            try
            {
                var (oldKey, response) = FolderResponseCache.ReadFile(file);
                if (CurrentKey(oldKey) is { } key) { rows.Add((key, response)); migrated++; }
                else { verbatim.Add((Path.GetFileNameWithoutExtension(file), oldKey, response)); kept++; }
            }
            catch (Exception e) when (e is JsonException or IOException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                unreadable++;
            }
        }
        if (rows.Count > 0) PutMany(rows);
        using (var connection = Open())
        using (var transaction = connection.BeginTransaction(deferred: false))
        {
            foreach (var (hash, key, r) in verbatim)
            {
                using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = """
                    INSERT OR IGNORE INTO responses(hash, key, text, finish_reason, response_model, input_tokens, output_tokens, created_utc)
                    VALUES ($hash, $key, $text, $finish, $model, $in, $out, $created)
                    """;
                command.Parameters.AddWithValue("$hash", "v1-" + hash);
                command.Parameters.AddWithValue("$key", key);
                command.Parameters.AddWithValue("$text", r.Text ?? "");
                command.Parameters.AddWithValue("$finish", (object?)r.FinishReason ?? DBNull.Value);
                command.Parameters.AddWithValue("$model", (object?)r.ResponseModelId ?? DBNull.Value);
                command.Parameters.AddWithValue("$in", (object?)r.InputTokens ?? DBNull.Value);
                command.Parameters.AddWithValue("$out", (object?)r.OutputTokens ?? DBNull.Value);
                command.Parameters.AddWithValue("$created", r.CreatedUtc.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
                command.ExecuteNonQuery();
            }
            using var mark = connection.CreateCommand();
            mark.Transaction = transaction;
            mark.CommandText = "INSERT OR REPLACE INTO meta(name, value) VALUES ('folder-migrated', $value)";
            mark.Parameters.AddWithValue("$value", $"{files.Count} files: {migrated} migrated, {kept} kept under their old key, {unreadable} unreadable, {DateTimeOffset.UtcNow:O}");
            mark.ExecuteNonQuery();
            transaction.Commit();
        }
        return new CacheMigration(files.Count, migrated, kept, unreadable);
    }

    /// <summary>
    /// The current key of an older folder-cache key (provider, model, messages, temperature, maxOutputTokens, seed,
    /// sampleIndex; options as a first <c>moralgap.chat-options</c> message), or null when its sample index cannot be known:
    /// judgment collection sent seed = run seed·1,000,000 + sample and stored the sample index, so its answers keep their
    /// index; other stages sent a hashed seed with sample index 0.
    /// </summary>
    internal static CacheKey? CurrentKey(string oldCanonical)
    {
        var old = JsonNode.Parse(oldCanonical)!.AsObject();
        if (old.ContainsKey("options")) return CacheKey.Parse(oldCanonical); // already current
        var seed = old["seed"]?.GetValue<long>();
        var sample = old["sampleIndex"]!.GetValue<int>();
        if (seed is not null && seed % 1_000_000 != sample) return null;
        var messages = old["messages"]!.AsArray().Select(m => new CacheMessage(m!["role"]!.GetValue<string>(), m["text"]!.GetValue<string>())).ToList();
        var options = new SortedDictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (messages.Count > 0 && messages[0].Role == "moralgap.chat-options")
        {
            foreach (var (name, value) in JsonNode.Parse(messages[0].Text)!.AsObject()) options[name] = value?.DeepClone();
            messages.RemoveAt(0);
        }
        if (old["maxOutputTokens"]?.GetValue<int>() is { } max) options["maxOutputTokens"] = max;
        var optionsJson = options.Count == 0 ? null : new JsonObject(options.Select(kv => KeyValuePair.Create(kv.Key, kv.Value))).ToJsonString();
        return new CacheKey(old["provider"]!.GetValue<string>(), old["model"]!.GetValue<string>(), messages,
            CacheKey.NormalTemperature(old["temperature"]?.GetValue<double>()), sample, optionsJson);
    }
}

/// <summary>
/// The right to buy one answer (<see cref="ResponseCache.ClaimAsync"/>): renewed every third of the lease duration until
/// disposed, released on dispose (and by <see cref="ResponseCache.Put"/>). If its process dies, it expires.
/// </summary>
public sealed class CacheLease : IDisposable
{
    private readonly ResponseCache _cache;
    private readonly string _hash, _owner;
    private readonly Timer _renew;
    private int _disposed;

    internal CacheLease(ResponseCache cache, string hash, string owner)
    {
        _cache = cache;
        _hash = hash;
        _owner = owner;
        var every = cache.LeaseDuration / 3;
        _renew = new Timer(_ =>
        {
            try { _cache.RenewLease(_hash, _owner); }
            catch (SqliteException) { /* renewed at the next tick; the lease lasts three ticks */ }
        }, null, every, every);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _renew.Dispose();
        _cache.ReleaseLease(_hash, _owner);
    }
}
