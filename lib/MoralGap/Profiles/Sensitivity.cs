using System.Text;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;

namespace MoralGap.Profiles;

/// <summary>One cell of the α × k sensitivity sweep.</summary>
/// <param name="Alpha">Total concentration α.</param>
/// <param name="K">Values shown per profile.</param>
/// <param name="Gap">Mean |p_DMP − p_human| over the dilemmas with a model p (<see cref="Judging.Alignment.MeanAbsoluteGap"/>).</param>
/// <param name="ProfileEntropy">Normalised entropy H/log V of the values shown in the profiles (one mention per profile line).</param>
/// <param name="ProfileTop10Share">Share of profile mentions taken by the 10 most frequent values.</param>
/// <param name="RationaleEntropy">Normalised entropy of values extracted from the rationales (when an extractor is given), else NaN.</param>
/// <param name="RationaleTop10Share">Top-10 share of rationale values (when an extractor is given), else NaN.</param>
/// <param name="Invalid">Unparseable or failed answers.</param>
/// <param name="SkippedDilemmas">Dilemmas left out of <paramref name="Gap"/> because none of their answers was valid.</param>
public sealed record SensitivityRow(double Alpha, int K, double Gap, double ProfileEntropy, double ProfileTop10Share,
    double RationaleEntropy, double RationaleTop10Share, int Invalid, int SkippedDilemmas = 0);

/// <summary>
/// Sensitivity of DMP to its unknown parameters (the paper gives neither α nor k): a sweep over α and k with the same
/// <see cref="DmpEvaluation"/> runner, reporting the gap and how diverse the values are.
/// </summary>
public static class Sensitivity
{
    /// <summary>Default α grid: 0.1, 1, 10, 100.</summary>
    public static IReadOnlyList<double> DefaultAlphas { get; } = [0.1, 1, 10, 100];

    /// <summary>Default k grid: 1, 3, 5, 10.</summary>
    public static IReadOnlyList<int> DefaultKs { get; } = [1, 3, 5, 10];

    /// <summary>
    /// Runs DMP for every (α, k) on one model and returns one row per cell, α-major.
    /// </summary>
    /// <param name="dilemmas">Dilemmas.</param>
    /// <param name="priorFor">Prior G per dilemma (see <see cref="Conditions.PriorByTopic"/>).</param>
    /// <param name="humanP">Human p per dilemma id.</param>
    /// <param name="client">The model.</param>
    /// <param name="samples">N per dilemma.</param>
    /// <param name="seed">Base seed (the same for every cell, so cells differ only by α and k).</param>
    /// <param name="alphas">α grid (default <see cref="DefaultAlphas"/>).</param>
    /// <param name="ks">k grid (default <see cref="DefaultKs"/>).</param>
    /// <param name="parseVerdict">Verdict parser (default <see cref="ResponseParsing.ParseVerdict"/>).</param>
    /// <param name="extractValues">Optional value extractor for rationales (value names from <see cref="PaperValues.Names"/>).</param>
    /// <param name="maxConcurrency">Maximum concurrent calls.</param>
    /// <param name="options">Base chat options.</param>
    /// <param name="modelName">Model name used in seeds and answers.</param>
    /// <param name="cancellationToken">Cancels the sweep.</param>
    public static async Task<IReadOnlyList<SensitivityRow>> SweepAsync(
        IReadOnlyList<Dilemma> dilemmas, Func<Dilemma, double[]> priorFor, IReadOnlyDictionary<string, double> humanP,
        IChatClient client, int samples, int seed = 0,
        IReadOnlyList<double>? alphas = null, IReadOnlyList<int>? ks = null,
        Func<string, Verdict?>? parseVerdict = null, Func<string, IEnumerable<string>>? extractValues = null,
        int maxConcurrency = 4, ChatOptions? options = null, string modelName = "model",
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(humanP);
        alphas ??= DefaultAlphas;
        ks ??= DefaultKs;
        var rows = new List<SensitivityRow>();
        var models = new Dictionary<string, IChatClient> { [modelName] = client };
        var ids = dilemmas.Select(d => d.Id).ToArray();
        var missing = ids.FirstOrDefault(id => !humanP.ContainsKey(id));
        if (missing is not null) throw new ArgumentException($"humanP has no entry for dilemma '{missing}'.", nameof(humanP));
        var ph = ids.Select(id => humanP[id]).ToArray();
        foreach (var alpha in alphas)
            foreach (var k in ks)
            {
                var condition = Conditions.Dmp(priorFor, alpha, k, seed, name: "dmp");
                var run = await DmpEvaluation.RunAsync(dilemmas, [condition], models, samples, parseVerdict,
                    maxConcurrency: maxConcurrency, options: options, cancellationToken: cancellationToken).ConfigureAwait(false);
                var gap = Alignment.MeanAbsoluteGap(run.P(modelName, "dmp", ids), ph, MissingModelP.Skip);
                var shown = run.Responses.SelectMany(r => r.Profile ?? []).Select(v => v.Value).ToList();
                double re = double.NaN, rt = double.NaN;
                if (extractValues is not null)
                {
                    var mentions = run.Responses.Where(r => r.Verdict is not null).SelectMany(r => extractValues(r.Rationale)).ToList();
                    if (mentions.Count > 0) { re = NormalizedEntropy(mentions); rt = TopShare(mentions); }
                }
                rows.Add(new SensitivityRow(alpha, k, gap.MeanAbsoluteGap, NormalizedEntropy(shown), TopShare(shown), re, rt, run.InvalidCount, gap.Skipped));
            }
        return rows;
    }

    /// <summary>
    /// Normalised Shannon entropy of value mentions: H / log V with H = −Σ_v q_v log q_v, q_v = share of mentions of v,
    /// and V the vocabulary size (default 59, the paper's taxonomy). 0 = one value only, 1 = uniform over all V.
    /// (The paper: 0.46 for LLMs, 0.57 for humans, 0.52 with DMP.)
    /// </summary>
    public static double NormalizedEntropy(IEnumerable<string> mentions, int vocabularySize = 59)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        if (vocabularySize < 2) throw new ArgumentOutOfRangeException(nameof(vocabularySize), "vocabularySize must be ≥ 2.");
        var counts = Counts(mentions);
        return counts.Sum() == 0 ? double.NaN : MoralGap.Values.Diversity.NormalizedEntropy(counts, vocabularySize);
    }

    /// <summary>Share of mentions taken by the <paramref name="top"/> most frequent values (paper: top 10 = 81.6% LLM, 35.2% human).</summary>
    public static double TopShare(IEnumerable<string> mentions, int top = 10)
    {
        ArgumentNullException.ThrowIfNull(mentions);
        var counts = Counts(mentions);
        return counts.Sum() == 0 ? double.NaN : MoralGap.Values.Diversity.TopKShare(counts, top);
    }

    // Mention counts per distinct value (case-insensitive); the measures themselves are Values.Diversity's.
    private static int[] Counts(IEnumerable<string> mentions) =>
        mentions.GroupBy(m => m, StringComparer.OrdinalIgnoreCase).Select(g => g.Count()).ToArray();

    /// <summary>A plain-text table of a sweep.</summary>
    public static string Format(IReadOnlyList<SensitivityRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder();
        sb.AppendLine($"{"α",6} {"k",3} {"|Δp|",6} {"H(prof)",8} {"top10(prof)",11} {"H(rat)",7} {"top10(rat)",10} {"invalid",7} {"skipped",7}");
        foreach (var r in rows)
            sb.AppendLine($"{r.Alpha,6:G3} {r.K,3} {r.Gap,6:F3} {r.ProfileEntropy,8:F3} {r.ProfileTop10Share,11:P1} {r.RationaleEntropy,7:F3} {r.RationaleTop10Share,10:P1} {r.Invalid,7} {r.SkippedDilemmas,7}");
        return sb.ToString();
    }
}
