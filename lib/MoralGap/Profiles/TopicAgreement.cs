using System.Text;

namespace MoralGap.Profiles;

/// <summary>
/// How well a topic assignment agrees with reference (e.g. planted) topics: the contingency table, the adjusted Rand
/// index and the accuracy under the best one-to-one matching of assigned to reference labels.
/// </summary>
/// <param name="AssignedNames">Row labels: the assigned topic or cluster names.</param>
/// <param name="ReferenceNames">Column labels: the reference topic names.</param>
/// <param name="Table">Contingency counts, <c>Table[row][column]</c> = items assigned to row and referenced as column.</param>
/// <param name="AdjustedRandIndex">ARI (Hubert &amp; Arabie 1985): 1 = identical partitions, ≈ 0 = chance.</param>
/// <param name="MatchedAccuracy">Share of items on the best one-to-one matching of rows to columns (Hungarian method).</param>
/// <param name="Matching">For each row, the matched column index, or -1 when the row is unmatched (more rows than columns).</param>
public sealed record TopicAgreementReport(
    IReadOnlyList<string> AssignedNames,
    IReadOnlyList<string> ReferenceNames,
    int[][] Table,
    double AdjustedRandIndex,
    double MatchedAccuracy,
    int[] Matching)
{
    /// <summary>Total number of items in the table.</summary>
    public int Count => Table.Sum(r => r.Sum());

    /// <summary>A plain-text rendering: the two scores, then the contingency table.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"ARI = {AdjustedRandIndex:F3}, matched accuracy = {MatchedAccuracy:P1} (n = {Count})");
        var w0 = Math.Max(8, AssignedNames.Max(n => n.Length));
        sb.Append("".PadRight(w0));
        foreach (var c in ReferenceNames) sb.Append(' ').Append(Short(c).PadLeft(8));
        sb.AppendLine();
        for (var r = 0; r < Table.Length; r++)
        {
            sb.Append(AssignedNames[r].PadRight(w0));
            foreach (var v in Table[r]) sb.Append(' ').Append(v.ToString().PadLeft(8));
            sb.AppendLine();
        }
        return sb.ToString();

        static string Short(string s) => s.Length <= 8 ? s : s[..8];
    }
}

/// <summary>Partition agreement measures over plain label arrays (used to compare topic assignments).</summary>
public static class TopicAgreement
{
    /// <summary>
    /// Compares an assignment with reference labels. Both arrays are label indices per item, same length.
    /// </summary>
    /// <param name="assigned">Assigned label per item, in [0, assignedNames.Count).</param>
    /// <param name="reference">Reference label per item, in [0, referenceNames.Count).</param>
    /// <param name="assignedNames">Names of the assigned labels (rows).</param>
    /// <param name="referenceNames">Names of the reference labels (columns).</param>
    /// <param name="unmatchableRow">A row that may not be matched (e.g. "(none)" for unassigned items), or -1.</param>
    public static TopicAgreementReport Compare(
        int[] assigned, int[] reference, IReadOnlyList<string> assignedNames, IReadOnlyList<string> referenceNames,
        int unmatchableRow = -1)
    {
        ArgumentNullException.ThrowIfNull(assignedNames);
        ArgumentNullException.ThrowIfNull(referenceNames);
        var table = Contingency(assigned, reference, assignedNames.Count, referenceNames.Count);
        var forMatching = table.Select((r, i) => i == unmatchableRow ? new int[r.Length] : r).ToArray();
        var matching = BestMatching(forMatching);
        if (unmatchableRow >= 0 && unmatchableRow < matching.Length) matching[unmatchableRow] = -1;
        var n = assigned.Length;
        var matched = 0;
        for (var r = 0; r < table.Length; r++)
            if (matching[r] >= 0) matched += table[r][matching[r]];
        return new TopicAgreementReport(assignedNames, referenceNames, table,
            AdjustedRandIndex(table), n == 0 ? double.NaN : (double)matched / n, matching);
    }

    /// <summary>
    /// Compares two string labelings (e.g. assigned topic names against planted <c>Dilemma.Topic</c>s).
    /// Row and column names are the distinct labels in order of first appearance in <paramref name="referenceLabels"/>
    /// for columns, and in <paramref name="assignedLabels"/> for rows.
    /// </summary>
    public static TopicAgreementReport Compare(IReadOnlyList<string> assignedLabels, IReadOnlyList<string> referenceLabels)
    {
        ArgumentNullException.ThrowIfNull(assignedLabels);
        ArgumentNullException.ThrowIfNull(referenceLabels);
        if (assignedLabels.Count != referenceLabels.Count)
            throw new ArgumentException(
                $"assignedLabels has {assignedLabels.Count} items but referenceLabels has {referenceLabels.Count}.");
        var (a, an) = Index(assignedLabels, nameof(assignedLabels));
        var (b, bn) = Index(referenceLabels, nameof(referenceLabels));
        return Compare(a, b, an, bn);

        static (int[] idx, List<string> names) Index(IReadOnlyList<string> labels, string arg)
        {
            var names = new List<string>();
            var map = new Dictionary<string, int>(StringComparer.Ordinal);
            var idx = new int[labels.Count];
            for (var i = 0; i < labels.Count; i++)
            {
                var l = labels[i] ?? throw new ArgumentException($"{arg}[{i}] is null.", arg);
                if (!map.TryGetValue(l, out var j)) { j = names.Count; map[l] = j; names.Add(l); }
                idx[i] = j;
            }
            return (idx, names);
        }
    }

    /// <summary>Contingency table <c>T[a][b]</c> = number of items with assigned label a and reference label b.</summary>
    public static int[][] Contingency(int[] assigned, int[] reference, int assignedCount, int referenceCount)
    {
        ArgumentNullException.ThrowIfNull(assigned);
        ArgumentNullException.ThrowIfNull(reference);
        if (assigned.Length != reference.Length)
            throw new ArgumentException($"assigned has {assigned.Length} items but reference has {reference.Length}.");
        var t = new int[assignedCount][];
        for (var r = 0; r < assignedCount; r++) t[r] = new int[referenceCount];
        for (var i = 0; i < assigned.Length; i++)
        {
            if ((uint)assigned[i] >= (uint)assignedCount)
                throw new ArgumentOutOfRangeException(nameof(assigned), $"assigned[{i}] = {assigned[i]} is outside [0, {assignedCount}).");
            if ((uint)reference[i] >= (uint)referenceCount)
                throw new ArgumentOutOfRangeException(nameof(reference), $"reference[{i}] = {reference[i]} is outside [0, {referenceCount}).");
            t[assigned[i]][reference[i]]++;
        }
        return t;
    }

    /// <summary>
    /// Adjusted Rand index from a contingency table (Hubert &amp; Arabie 1985), the same definition as scikit-learn's
    /// <c>adjusted_rand_score</c>: <see cref="MoralGap.Values.ClusterAgreement.AdjustedRandIndex(int[][])"/>, the project's one ARI.
    /// </summary>
    public static double AdjustedRandIndex(int[][] table) => MoralGap.Values.ClusterAgreement.AdjustedRandIndex(table);

    /// <summary>Adjusted Rand index of two label arrays (see <see cref="AdjustedRandIndex(int[][])"/>).</summary>
    public static double AdjustedRandIndex(int[] a, int[] b) => MoralGap.Values.ClusterAgreement.AdjustedRandIndex(a, b);

    /// <summary>
    /// The one-to-one matching of rows to columns that maximises the total matched count (linear assignment,
    /// Hungarian method with potentials, O(n³)). Returns, for each row, its column or -1 if unmatched.
    /// Written here because neither MathNet.Numerics nor ML.NET ships a linear-assignment solver.
    /// </summary>
    public static int[] BestMatching(int[][] table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var rows = table.Length;
        var cols = rows == 0 ? 0 : table[0].Length;
        var n = Math.Max(rows, cols);
        if (n == 0) return [];
        var max = table.SelectMany(r => r).DefaultIfEmpty(0).Max();
        // Square cost matrix (minimise max − count); padding cells cost max (count 0).
        var cost = new double[n + 1, n + 1];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                cost[i + 1, j + 1] = max - (i < rows && j < cols ? table[i][j] : 0);

        var u = new double[n + 1];
        var v = new double[n + 1];
        var p = new int[n + 1];   // p[j] = row matched to column j (1-based), 0 = none
        var way = new int[n + 1];
        for (var i = 1; i <= n; i++)
        {
            p[0] = i;
            var j0 = 0;
            var minv = Enumerable.Repeat(double.PositiveInfinity, n + 1).ToArray();
            var used = new bool[n + 1];
            do
            {
                used[j0] = true;
                int i0 = p[j0], j1 = 0;
                var delta = double.PositiveInfinity;
                for (var j = 1; j <= n; j++)
                {
                    if (used[j]) continue;
                    var cur = cost[i0, j] - u[i0] - v[j];
                    if (cur < minv[j]) { minv[j] = cur; way[j] = j0; }
                    if (minv[j] < delta) { delta = minv[j]; j1 = j; }
                }
                for (var j = 0; j <= n; j++)
                {
                    if (used[j]) { u[p[j]] += delta; v[j] -= delta; }
                    else minv[j] -= delta;
                }
                j0 = j1;
            } while (p[j0] != 0);
            do
            {
                var j1 = way[j0];
                p[j0] = p[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        var result = Enumerable.Repeat(-1, rows).ToArray();
        for (var j = 1; j <= n; j++)
        {
            var i = p[j] - 1;
            if (i >= 0 && i < rows && j - 1 < cols) result[i] = j - 1;
        }
        return result;
    }
}
