using System.Globalization;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Values;

namespace MoralGap.Notebooks;

/// <summary>
/// How many of a source's rationales name at least one value: the share with a Wilson score 95% interval,
/// and the mean number of values per rationale.
/// </summary>
/// <param name="Source">The author ("human" or a model id).</param>
/// <param name="Rationales">Rationales read.</param>
/// <param name="WithValue">Rationales with at least one value.</param>
/// <param name="Share">WithValue / Rationales.</param>
/// <param name="Lower">Wilson lower bound.</param>
/// <param name="Upper">Wilson upper bound.</param>
/// <param name="MeanValues">Mean number of distinct values per rationale (the extractor's cap bounds it).</param>
public sealed record ValueCoverage(string Source, int Rationales, int WithValue, double Share, double Lower, double Upper, double MeanValues)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Source}: {WithValue}/{Rationales} rationales name a value ({Share:P1} [{Lower:P1}, {Upper:P1}]), {MeanValues:0.00} values each on average");
}

/// <summary>The rationales of one paired-rationale file, by source, aligned by dilemma.</summary>
/// <param name="Path">The file read.</param>
/// <param name="Report">What the import kept and dropped.</param>
/// <param name="Sources">Each author's rationales, keyed by dilemma id (one per dilemma: an author's first).</param>
public sealed record PairedRationales(string Path, FilterReport Report, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Sources)
{
    /// <summary>Dilemma ids that every source answered, in ordinal order (the pairs a paired comparison uses).</summary>
    public IReadOnlyList<string> CommonDilemmas => Sources.Values.Select(s => (IEnumerable<string>)s.Keys)
        .Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToArray();
}

/// <summary>The first real Finding 2 (chapter 11): value coverage and diversity of people and a model on the same posts.</summary>
/// <param name="Coverage">Per source, the share of rationales that name a value.</param>
/// <param name="CoverageDifference">Model share minus human share over the common dilemmas, with a paired bootstrap 95%
/// percentile interval (dilemmas resampled); null unless there are exactly two sources, one of them human.</param>
/// <param name="Diversity">Per source, top-10 share and bias-corrected normalised entropy, raw and rarefied to the
/// smallest source's mentions (<see cref="ValueChapters.Rarefy"/>).</param>
/// <param name="Top10Difference">Model minus human top-10 share at equal mentions, paired bootstrap over posts (see
/// <see cref="RealRationaleChapters.PairedDiversityDifference"/>); null unless one model and people.</param>
/// <param name="EntropyDifference">Model minus human bias-corrected normalised entropy at equal mentions, same bootstrap.</param>
public sealed record RealFinding2(IReadOnlyList<ValueCoverage> Coverage, Estimate? CoverageDifference, IReadOnlyList<SourceDiversity> Diversity,
    Estimate? Top10Difference = null, Estimate? EntropyDifference = null);

/// <summary>
/// The glue of chapter 11 (real rationales, people vs a model): read a paired-rationale CSV, extract values with the
/// real-text extractor, and measure coverage and diversity per source.
/// </summary>
public static class RealRationaleChapters
{
    /// <summary>The added Reddit-register phrasings (repository-relative), see <see cref="ValueLexicon.WithPhrasings"/>.</summary>
    public const string ColloquialLexiconPath = "data/value-lexicon-colloquial.tsv";

    /// <summary>The main value lexicon (repository-relative).</summary>
    public const string LexiconPath = "data/value-lexicon.tsv";

    /// <summary>
    /// The offline extractor set up for real comments: the main lexicon plus the colloquial phrasings, multi-label
    /// clauses, the default threshold and cap. On the 100 human top comments and 100 GPT-4o answers of the AITA-Judge
    /// paired file it finds a value in 88% of human and 100% of GPT-4o rationales (main lexicon alone, one value a
    /// clause: 64% and 99%); a reading of 50 random matches judged about half of them right for either source
    /// (see chapter 11), so it is a coarse instrument, not a gold standard.
    /// </summary>
    public static OfflineValueExtractor RealTextExtractor(Embedder? embedder = null, double threshold = OfflineValueExtractor.DefaultThreshold,
        int cap = OfflineValueExtractor.DefaultCap) =>
        OfflineValueExtractor.Create(Repo.Path(LexiconPath), embedder ?? ValueChapters.SharedEmbedder(), threshold, cap,
            multiLabel: true, morePhrasingsPath: Repo.Path(ColloquialLexiconPath));

    /// <summary>
    /// Reads a paired-rationale CSV (columns dilemma_id, title, text, author, verdict, rationale; <see cref="Importers.Paired"/>,
    /// every row kept whatever the number of human answers). Empty rationales are left out of a source and counted in
    /// the report's notes by the importer; an author's second rationale on one dilemma is ignored (the first is the pair).
    /// </summary>
    /// <exception cref="DataFormatException">A malformed file (file, line and field named).</exception>
    public static PairedRationales Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var imported = Importers.Paired([path], ImportOptions.KeepAll);
        var sources = new SortedDictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var group in imported.Judgments.Where(j => j.Rationale.Length > 0).GroupBy(j => j.Author))
        {
            var byDilemma = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var j in group) byDilemma.TryAdd(j.DilemmaId, j.Rationale);
            sources[group.Key] = byDilemma;
        }
        return new PairedRationales(path, imported.Report, sources);
    }

    /// <summary>
    /// The share of rationales naming at least one value, with the Wilson score interval
    /// (p̂ + z²/2n ± z √(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), z = 1.96.
    /// </summary>
    public static ValueCoverage Coverage(string source, IReadOnlyList<IReadOnlyList<ValueExpression>> perRationale)
    {
        ArgumentNullException.ThrowIfNull(perRationale);
        if (perRationale.Count == 0) throw new ArgumentException($"{source} has no rationales.", nameof(perRationale));
        var sets = ValueChapters.ValueSets(perRationale);
        var n = sets.Count;
        var k = sets.Count(s => s.Count > 0);
        var (lower, upper) = Wilson(k, n);
        return new ValueCoverage(source, n, k, (double)k / n, lower, upper, sets.Average(s => s.Count));
    }

    /// <summary>The Wilson score interval of k successes in n trials at z (default 1.96, 95%).</summary>
    public static (double Lower, double Upper) Wilson(int k, int n, double z = 1.96)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must lie in [0, {n}].");
        var p = (double)k / n;
        var z2 = z * z;
        var centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        var half = z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// Measures Finding 2 on real paired rationales: extracts values from every source's rationales (all of them, in
    /// dilemma order), then coverage, diversity (raw and rarefied, <paramref name="replicates"/> draws with
    /// <paramref name="seed"/>) and, for one model against people, the paired difference in coverage.
    /// </summary>
    public static RealFinding2 Measure(PairedRationales paired, OfflineValueExtractor extractor, int replicates = 1000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(paired);
        ArgumentNullException.ThrowIfNull(extractor);
        var taxonomy = extractor.Lexicon.Values;
        var coverage = new List<ValueCoverage>();
        var diversity = new List<SourceDiversity>();
        var hasValue = new Dictionary<string, Dictionary<string, bool>>(StringComparer.Ordinal);
        var valueSets = new Dictionary<string, Dictionary<string, IReadOnlyCollection<string>>>(StringComparer.Ordinal);
        foreach (var (source, byDilemma) in paired.Sources)
        {
            var ids = byDilemma.Keys.Order(StringComparer.Ordinal).ToArray();
            var found = extractor.ExtractMany(ids.Select(id => byDilemma[id]).ToArray());
            coverage.Add(Coverage(source, found));
            diversity.Add(ValueChapters.Summarize(source, found, taxonomy, replicates: replicates, seed: seed));
            hasValue[source] = ids.Select((id, i) => (id, found[i].Count > 0)).ToDictionary(t => t.id, t => t.Item2, StringComparer.Ordinal);
            var sets = ValueChapters.ValueSets(found);
            valueSets[source] = ids.Select((id, i) => (id, sets[i])).ToDictionary(t => t.id, t => t.Item2, StringComparer.Ordinal);
        }
        Estimate? difference = null, top10 = null, entropy = null;
        var human = paired.Sources.Keys.FirstOrDefault(s => s.Equals(DilemmaDataset.Human, StringComparison.OrdinalIgnoreCase));
        if (paired.Sources.Count == 2 && human is not null)
        {
            var model = paired.Sources.Keys.Single(s => s != human);
            var common = paired.CommonDilemmas;
            var d = common.Select(id => (hasValue[model][id] ? 1.0 : 0.0) - (hasValue[human][id] ? 1.0 : 0.0)).ToArray();
            difference = PairedMeanDifference(d, replicates, seed);
            var index = taxonomy.Select((v, i) => (v, i)).ToDictionary(t => t.v, t => t.i, StringComparer.Ordinal);
            int[][] Sets(string source) => common.Select(id => valueSets[source][id].Select(v => index[v]).ToArray()).ToArray();
            (top10, entropy) = PairedDiversityDifference(Sets(model), Sets(human), taxonomy.Count, replicates, seed);
        }
        return new RealFinding2(coverage, difference, ValueChapters.Rarefy(diversity, replicates, seed), top10, entropy);
    }

    /// <summary>
    /// Model minus human top-10 share and bias-corrected normalised entropy (<see cref="Diversity.CorrectedNormalizedEntropy"/>)
    /// at equal numbers of mentions, over the same posts: each replicate resamples posts with replacement (the pair of
    /// rationales stays together), pools each source's mentions, draws the larger pool down to the smaller one's size
    /// without replacement, and takes the differences. The estimate is the mean over replicates and the interval the
    /// 95% percentile interval, so it carries both the posts' sampling error and the rarefaction's.
    /// </summary>
    /// <param name="model">Per post, the model's value indices.</param>
    /// <param name="human">Per post (same order), the people's value indices.</param>
    /// <param name="taxonomySize">K.</param>
    /// <param name="replicates">Bootstrap replicates.</param>
    /// <param name="seed">Seed.</param>
    public static (Estimate Top10, Estimate Entropy) PairedDiversityDifference(int[][] model, int[][] human, int taxonomySize, int replicates = 1000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(human);
        if (model.Length != human.Length || model.Length == 0) throw new ArgumentException($"{model.Length} model posts but {human.Length} human posts: need the same, non-zero number.");
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        var rng = new Random(seed);
        var top = new double[replicates];
        var ent = new double[replicates];
        var pick = new int[model.Length];
        for (var b = 0; b < replicates; b++)
        {
            for (var i = 0; i < pick.Length; i++) pick[i] = rng.Next(pick.Length);
            var m = pick.SelectMany(i => model[i]).ToArray();
            var h = pick.SelectMany(i => human[i]).ToArray();
            var n = Math.Min(m.Length, h.Length);
            var mc = Diversity.Counts(Subsample(m, n, rng), taxonomySize);
            var hc = Diversity.Counts(Subsample(h, n, rng), taxonomySize);
            top[b] = n == 0 ? 0 : Diversity.TopKShare(mc) - Diversity.TopKShare(hc);
            ent[b] = n == 0 ? 0 : Diversity.CorrectedNormalizedEntropy(mc, taxonomySize) - Diversity.CorrectedNormalizedEntropy(hc, taxonomySize);
        }
        var (tl, th) = PairedStatistics.PercentileInterval(top);
        var (el, eh) = PairedStatistics.PercentileInterval(ent);
        return (new Estimate(top.Average(), tl, th), new Estimate(ent.Average(), el, eh));
    }

    /// <summary>n items of <paramref name="items"/> drawn without replacement (a partial Fisher–Yates shuffle of a copy).</summary>
    private static int[] Subsample(int[] items, int n, Random rng)
    {
        if (n >= items.Length) return items;
        var copy = (int[])items.Clone();
        for (var i = 0; i < n; i++)
        {
            var j = i + rng.Next(copy.Length - i);
            (copy[i], copy[j]) = (copy[j], copy[i]);
        }
        return copy[..n];
    }

    /// <summary>The mean of paired differences with a percentile bootstrap interval (pairs resampled, seeded).</summary>
    public static Estimate PairedMeanDifference(IReadOnlyList<double> differences, int replicates = 1000, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Count == 0) throw new ArgumentException("No pairs.", nameof(differences));
        ArgumentOutOfRangeException.ThrowIfLessThan(replicates, 1);
        var rng = new Random(seed);
        var means = new double[replicates];
        for (var b = 0; b < replicates; b++)
        {
            var sum = 0.0;
            for (var i = 0; i < differences.Count; i++) sum += differences[rng.Next(differences.Count)];
            means[b] = sum / differences.Count;
        }
        var (low, high) = PairedStatistics.PercentileInterval(means);
        return new Estimate(differences.Average(), low, high);
    }
}
