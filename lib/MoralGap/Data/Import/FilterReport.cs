using System.Text;

namespace MoralGap.Data;

/// <summary>One reason an importer dropped dilemmas or judgments, with how many and where it first happened.</summary>
/// <param name="Unit"><c>dilemma</c> or <c>judgment</c>.</param>
/// <param name="Reason">Why (a fixed phrase, so counts add up per reason).</param>
/// <param name="Count">How many units were dropped for this reason.</param>
/// <param name="FirstAt">"file:line" of the first occurrence, with a detail when useful.</param>
public sealed record FilterReason(string Unit, string Reason, int Count, string? FirstAt);

/// <summary>
/// What an import kept and what it dropped, and why. Invariants (checked by the tests):
/// <c>DilemmasRead = DilemmasKept + Σ dilemma drops</c> and <c>JudgmentsRead = JudgmentsKept + Σ judgment drops</c>;
/// nothing disappears unreported. Notes count changes that did not drop anything (e.g. "Edit:" parts removed).
/// </summary>
public sealed class FilterReport
{
    private readonly List<(string Unit, string Reason)> _order = [];
    private readonly Dictionary<(string Unit, string Reason), (int Count, string? FirstAt)> _drops = [];
    private readonly SortedDictionary<string, int> _notes = new(StringComparer.Ordinal);

    /// <summary>Creates an empty report for one source format.</summary>
    public FilterReport(string format) => Format = format;

    /// <summary>The import format (votes-csv, scruples, reddit, paired).</summary>
    public string Format { get; }
    /// <summary>
    /// For imports that read verdicts from comment text (reddit): the rule used, <c>reference</c> (Scruples) or
    /// <c>start</c> (<see cref="Data.VerdictRule"/>); null for formats whose verdicts are given.
    /// </summary>
    public string? VerdictRule { get; internal set; }
    /// <summary>Files read.</summary>
    public List<string> Files { get; } = [];
    /// <summary>Candidate dilemmas read (rows, posts, anecdotes).</summary>
    public int DilemmasRead { get; internal set; }
    /// <summary>Candidate judgments read (votes, comments, rationale rows).</summary>
    public long JudgmentsRead { get; internal set; }
    /// <summary>Dilemmas kept.</summary>
    public int DilemmasKept { get; internal set; }
    /// <summary>Judgments kept.</summary>
    public long JudgmentsKept { get; internal set; }

    /// <summary>Every drop reason with its count, in order of first occurrence.</summary>
    public IReadOnlyList<FilterReason> Reasons => _order.Select(k => new FilterReason(k.Unit, k.Reason, _drops[k].Count, _drops[k].FirstAt)).ToArray();

    /// <summary>Counted changes that dropped nothing.</summary>
    public IReadOnlyDictionary<string, int> Notes => _notes;

    /// <summary>Total dilemmas dropped.</summary>
    public int DilemmasDropped => Reasons.Where(r => r.Unit == "dilemma").Sum(r => r.Count);
    /// <summary>Total judgments dropped.</summary>
    public long JudgmentsDropped => Reasons.Where(r => r.Unit == "judgment").Sum(r => (long)r.Count);

    /// <summary>How many units were dropped for a reason (0 when none).</summary>
    public int Dropped(string reason) => _drops.Where(kv => kv.Key.Reason == reason).Sum(kv => kv.Value.Count);

    internal void DropDilemma(string reason, string? at, int count = 1) => Add("dilemma", reason, at, count);
    internal void DropJudgments(string reason, string? at, long count = 1) { if (count > 0) Add("judgment", reason, at, checked((int)count)); }
    internal void Note(string what, int count = 1) => _notes[what] = _notes.GetValueOrDefault(what) + count;

    private void Add(string unit, string reason, string? at, int count)
    {
        var key = (unit, reason);
        if (_drops.TryGetValue(key, out var v)) _drops[key] = (v.Count + count, v.FirstAt);
        else { _drops[key] = (count, at); _order.Add(key); }
    }

    /// <summary>True when the accounting invariants hold.</summary>
    public bool IsBalanced => DilemmasRead == DilemmasKept + DilemmasDropped && JudgmentsRead == JudgmentsKept + JudgmentsDropped;

    /// <summary>A plain-text table: read / kept, then one row per drop reason.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Import report (").Append(Format);
        if (VerdictRule is not null) sb.Append("; verdicts read by the ").Append(VerdictRule).Append(" rule");
        sb.Append(") of ").Append(string.Join(", ", Files.Select(Path.GetFileName))).Append('\n');
        var rows = new List<(string A, string B, string C, string D)>
        {
            ("unit", "", "count", "first at"),
            ("dilemma", "read", DilemmasRead.ToString("N0"), ""),
        };
        rows.AddRange(Reasons.Where(r => r.Unit == "dilemma").Select(r => ("dilemma", "dropped: " + r.Reason, r.Count.ToString("N0"), r.FirstAt ?? "")));
        rows.Add(("dilemma", "KEPT", DilemmasKept.ToString("N0"), ""));
        rows.Add(("judgment", "read", JudgmentsRead.ToString("N0"), ""));
        rows.AddRange(Reasons.Where(r => r.Unit == "judgment").Select(r => ("judgment", "dropped: " + r.Reason, r.Count.ToString("N0"), r.FirstAt ?? "")));
        rows.Add(("judgment", "KEPT", JudgmentsKept.ToString("N0"), ""));
        foreach (var (k, v) in _notes) rows.Add(("note", k, v.ToString("N0"), ""));
        int wa = rows.Max(r => r.A.Length), wb = rows.Max(r => r.B.Length), wc = rows.Max(r => r.C.Length);
        foreach (var r in rows)
            sb.Append(r.A.PadRight(wa)).Append("  ").Append(r.B.PadRight(wb)).Append("  ").Append(r.C.PadLeft(wc)).Append("  ").Append(r.D).Append('\n');
        if (!IsBalanced) sb.Append("WARNING: counts do not balance (a bug: please report)\n");
        return sb.ToString().TrimEnd() + "\n";
    }
}
