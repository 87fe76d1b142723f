using MoralGap.Values.Clustering;

namespace MoralGap.Tests.Values.Clustering;

/// <summary>
/// O(n³) textbook reference: repeatedly merge the globally closest pair of clusters, with cluster distances from
/// their definitions over member sets (mean / max / min of point distances; Ward from centroids), not from
/// Lance–Williams (weighted linkage has no set definition, so it uses its recurrence).
/// Output in scipy's conventions (new cluster id n + k, smaller id first, sorted by distance).
/// </summary>
internal static class NaiveLinkage
{
    public static Merge[] Run(double[][] x, LinkageMethod method, DistanceMetric metric)
    {
        int n = x.Length;
        double Point(int i, int j) => metric == DistanceMetric.Euclidean
            ? Math.Sqrt(x[i].Zip(x[j], (a, b) => (a - b) * (a - b)).Sum())
            : 1 - x[i].Zip(x[j], (a, b) => a * b).Sum() / Math.Sqrt(x[i].Sum(a => a * a) * x[j].Sum(a => a * a));
        var pd = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) pd[i, j] = i == j ? 0 : Point(i, j);
        var members = new Dictionary<int, List<int>>();
        for (int i = 0; i < n; i++) members[i] = [i];
        var dist = new Dictionary<(int, int), double>();
        double Ward(List<int> a, List<int> b)
        {
            int d = x[0].Length;
            var ca = new double[d]; var cb = new double[d];
            foreach (var i in a) for (int t = 0; t < d; t++) ca[t] += x[i][t] / a.Count;
            foreach (var i in b) for (int t = 0; t < d; t++) cb[t] += x[i][t] / b.Count;
            double s = 0; for (int t = 0; t < d; t++) s += (ca[t] - cb[t]) * (ca[t] - cb[t]);
            return Math.Sqrt(2.0 * a.Count * b.Count / (a.Count + b.Count) * s);
        }
        double Define(int p, int q, int oldX, int oldY, double dOldXp, double dOldYp)
        {
            var a = members[p]; var b = members[q];
            return method switch
            {
                LinkageMethod.Average => a.Sum(i => b.Sum(j => pd[i, j])) / (a.Count * b.Count),
                LinkageMethod.Complete => a.Max(i => b.Max(j => pd[i, j])),
                LinkageMethod.Single => a.Min(i => b.Min(j => pd[i, j])),
                LinkageMethod.Ward => Ward(a, b),
                LinkageMethod.Weighted => 0.5 * (dOldXp + dOldYp),
                _ => throw new ArgumentOutOfRangeException(nameof(method)),
            };
        }
        for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) dist[(i, j)] = pd[i, j];
        double D(int a, int b) => dist[a < b ? (a, b) : (b, a)];
        var merges = new List<Merge>();
        for (int k = 0; k < n - 1; k++)
        {
            var best = dist.MinBy(kv => kv.Value);
            var (a, b) = best.Key;
            int id = n + k;
            members[id] = [.. members[a], .. members[b]];
            foreach (var c in members.Keys.Where(c => c != a && c != b && c != id).ToList())
                dist[(c, id)] = Define(c, id, a, b, D(a, c), D(b, c));
            foreach (var key in dist.Keys.Where(t => t.Item1 == a || t.Item2 == a || t.Item1 == b || t.Item2 == b).ToList()) dist.Remove(key);
            members.Remove(a); members.Remove(b);
            merges.Add(new Merge(Math.Min(a, b), Math.Max(a, b), best.Value, members[id].Count));
        }
        return [.. merges];
    }
}
