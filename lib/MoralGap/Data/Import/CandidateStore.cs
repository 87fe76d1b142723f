using System.Text;
using System.Text.Json;

namespace MoralGap.Data;

/// <summary>
/// Where an import keeps its candidate dilemmas and judgments until the minimum and the subsampling are applied.
/// Dilemmas are numbered by the order they are added; judgments carry their dilemma's number.
/// </summary>
internal interface ICandidateStore : IDisposable
{
    void AddDilemma(Dilemma dilemma);
    void AddJudgment(int dilemma, Judgment judgment);
    /// <summary>The dilemmas in the order added (read once).</summary>
    IEnumerable<Dilemma> ReadDilemmas();
    /// <summary>The judgments with their dilemma's number; grouped by dilemma or in arrival order, depending on the store.</summary>
    IEnumerable<(int Dilemma, Judgment Judgment)> ReadJudgments();
}

/// <summary>Candidates in memory; judgments come back grouped by dilemma (in input order within each).</summary>
internal sealed class MemoryCandidateStore : ICandidateStore
{
    private readonly List<Dilemma> _dilemmas = [];
    private readonly List<List<Judgment>> _judgments = [];

    public void AddDilemma(Dilemma dilemma) { _dilemmas.Add(dilemma); _judgments.Add([]); }
    public void AddJudgment(int dilemma, Judgment judgment) => _judgments[dilemma].Add(judgment);
    public IEnumerable<Dilemma> ReadDilemmas() => _dilemmas;

    public IEnumerable<(int Dilemma, Judgment Judgment)> ReadJudgments()
    {
        for (var i = 0; i < _judgments.Count; i++)
            foreach (var j in _judgments[i]) yield return (i, j);
    }

    public void Dispose() { }
}

/// <summary>
/// Candidates spilled to two temporary files in a private folder (deleted on dispose), so memory stays flat however
/// many judgments a dump holds: dilemmas as JSON lines, judgments as length-prefixed binary records
/// (dilemma number, author, label, verdict, rationale) in arrival order. A plain sequential file is all this needs
/// (written once, read once), so no database or external sort is used.
/// </summary>
internal sealed class SpillCandidateStore : ICandidateStore
{
    private readonly string _dir;
    private readonly string _dilemmasPath, _judgmentsPath;
    private StreamWriter? _dilemmas;
    private BinaryWriter? _judgments;

    /// <summary>Creates the private folder under <paramref name="parent"/> (the output folder's parent, so the spill is on the same disk).</summary>
    public SpillCandidateStore(string parent)
    {
        Directory.CreateDirectory(parent);
        _dir = Path.Combine(parent, $".import-spill-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_dir);
        _dilemmasPath = Path.Combine(_dir, "dilemmas.jsonl");
        _judgmentsPath = Path.Combine(_dir, "judgments.bin");
        _dilemmas = new StreamWriter(_dilemmasPath, false, TextLines.StrictUtf8, 1 << 16) { NewLine = "\n" };
        _judgments = new BinaryWriter(new FileStream(_judgmentsPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20), Encoding.UTF8);
    }

    public void AddDilemma(Dilemma dilemma)
    {
        _dilemmas!.Write(JsonSerializer.Serialize(dilemma, JsonlStore.Options));
        _dilemmas.Write('\n');
    }

    public void AddJudgment(int dilemma, Judgment judgment)
    {
        var w = _judgments!;
        w.Write(dilemma);
        w.Write(judgment.Author);
        w.Write(judgment.RawLabel);
        w.Write((byte)(judgment.Verdict is { } v ? (int)v + 1 : 0));
        w.Write(judgment.Rationale);
    }

    private void CloseWriters()
    {
        _dilemmas?.Dispose();
        _dilemmas = null;
        _judgments?.Dispose();
        _judgments = null;
    }

    public IEnumerable<Dilemma> ReadDilemmas()
    {
        CloseWriters();
        return JsonlStore.Read<Dilemma>(_dilemmasPath);
    }

    public IEnumerable<(int Dilemma, Judgment Judgment)> ReadJudgments()
    {
        CloseWriters();
        using var r = new BinaryReader(new FileStream(_judgmentsPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20), Encoding.UTF8);
        var length = r.BaseStream.Length;
        var authors = new Dictionary<string, string>(StringComparer.Ordinal); // few distinct authors and labels: share one string each
        while (r.BaseStream.Position < length)
        {
            var d = r.ReadInt32();
            var author = Share(authors, r.ReadString());
            var label = Share(authors, r.ReadString());
            var v = r.ReadByte();
            var rationale = r.ReadString();
            // DilemmaId is filled in by the builder, which knows the id of number d.
            yield return (d, new Judgment("", author, label, v == 0 ? null : (Verdict)(v - 1), rationale, 0));
        }
    }

    private static string Share(Dictionary<string, string> pool, string s)
    {
        if (pool.TryGetValue(s, out var shared)) return shared;
        if (pool.Count < 1024) pool[s] = s;
        return s;
    }

    public void Dispose()
    {
        CloseWriters();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
