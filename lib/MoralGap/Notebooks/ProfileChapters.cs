using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Profiles;
using MoralGap.Values;

namespace MoralGap.Notebooks;

/// <summary>
/// Value mentions of the human rationales, per dilemma and per judgment, over <see cref="PaperValues.Names"/>.
/// </summary>
/// <param name="Source">"planted" (the sample's truth.json) or "extracted" (offline extractor over the rationales).</param>
/// <param name="DilemmaIds">Dilemma ids, row order of <paramref name="PerDilemma"/>.</param>
/// <param name="DilemmaTopics">Topic of each dilemma.</param>
/// <param name="PerDilemma">counts[d][v]: mentions of value v in the rationales of dilemma d.</param>
/// <param name="JudgmentTopics">Topic of each judgment (row order of <paramref name="PerJudgment"/>).</param>
/// <param name="PerJudgment">counts[j][v]: mentions of value v in rationale j (0 … a few).</param>
/// <param name="JudgmentDilemmaRows">For each rationale j, the row of its dilemma in <paramref name="DilemmaIds"/>.</param>
/// <param name="FirstNamed">For each rationale j, the index (in <see cref="PaperValues.Names"/>) of the first value it
/// names, or −1 when it names none.</param>
public sealed record HumanValueCounts(string Source, string[] DilemmaIds, string[] DilemmaTopics, int[][] PerDilemma,
    string[] JudgmentTopics, int[][] PerJudgment, int[]? JudgmentDilemmaRows = null, int[]? FirstNamed = null)
{
    /// <summary>Total mentions.</summary>
    public long Mentions => PerDilemma.Sum(r => (long)r.Sum());

    /// <summary>The clusters that grouped the mentions (<c>Taxonomy = clusters</c>), or null for the lexicon's values.</summary>
    public ClusterTaxonomy? Clusters { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Mentions} value mentions ({Source}) in {PerJudgment.Length} human rationales of {DilemmaIds.Length} dilemmas; " +
        $"{PerJudgment.Count(r => r.Sum() == 0)} rationales without a value";
}

/// <summary>One topic's fitted Dirichlet concentration (two ways) beside the planted one.</summary>
/// <param name="Topic">Topic.</param>
/// <param name="Dilemmas">Dilemmas of the topic (rows of the per-dilemma fit).</param>
/// <param name="Rationales">Rationales of the topic (rows of the per-rationale fit).</param>
/// <param name="ValuesSeen">Values mentioned at least once in the topic (the fits' columns).</param>
/// <param name="PerDilemma">Fitted α₀ = Σ α_v with one row per dilemma (all its rationales pooled): how much the
/// dilemmas of a topic differ in the values people name.</param>
/// <param name="PerRationale">Fitted α₀ with one row per rationale (∞ when the fit is unbounded, see remarks of
/// <see cref="ProfileChapters.ConcentrationRecovery"/>).</param>
/// <param name="Planted">Planted α₀ over the same values (NaN without a truth).</param>
/// <param name="Note">Why a fit failed or diverged, or empty.</param>
public sealed record ConcentrationRow(string Topic, int Dilemmas, int Rationales, int ValuesSeen, double PerDilemma, double PerRationale,
    double Planted, string Note);

/// <summary>One row of the shared-concentration recovery of chapter 07 (<see cref="ProfileChapters.SharedConcentration"/>).</summary>
/// <param name="RationalesPerDilemma">Rationales of each dilemma used (the first n of each).</param>
/// <param name="Dilemmas">Dilemmas (rows) in the fit.</param>
/// <param name="Mentions">Value mentions in the fit.</param>
/// <param name="Fitted">The maximum-likelihood α₀ shared by all topics (∞ when unbounded).</param>
/// <param name="Corrected">The jackknife bias-corrected α₀ (<see cref="SharedPrecisionFit.Jackknife"/>).</param>
/// <param name="Planted">The planted α₀ over the same values, averaged over topics (NaN without a truth).</param>
/// <param name="RelativeError">(Corrected − Planted) / Planted.</param>
public sealed record SharedConcentrationRow(int RationalesPerDilemma, int Dilemmas, long Mentions, double Fitted, double Corrected, double Planted, double RelativeError);

/// <summary>
/// Entropy (Miller–Madow-corrected, <see cref="Diversity.CorrectedNormalizedEntropy"/>) and top-10 share of the values
/// named in one condition's rationales, raw and rarefied to the smallest row's mentions (<see cref="Diversity.Rarefied"/>:
/// mean and 95 % interval over seeded subsamples; NaN when not rarefied).
/// </summary>
public sealed record ConditionDiversity(string Condition, int Rationales, int Mentions, int ValuesUsed, double Top10Share, double NormalizedEntropy,
    double EntropyLow, double EntropyHigh, int RarefiedMentions = 0, double RarefiedTop10 = double.NaN, double RarefiedEntropy = double.NaN,
    double RarefiedEntropyLow = double.NaN, double RarefiedEntropyHigh = double.NaN);

/// <summary>One condition's headline numbers for chapter 08.</summary>
/// <param name="Condition">Condition.</param>
/// <param name="Dilemmas">Dilemmas with a model p (at least one valid answer).</param>
/// <param name="Invalid">Unparseable answers.</param>
/// <param name="MeanAbsGap">Mean |p_model − p_human|.</param>
/// <param name="CiLow">Bootstrap 95% CI (dilemmas resampled), lower.</param>
/// <param name="CiHigh">Upper.</param>
/// <param name="Reduction">Relative gap reduction vs vanilla, (gap_vanilla − gap) / gap_vanilla.</param>
/// <param name="PearsonR">Per-dilemma correlation of p_model with p_human (the replication's measure).</param>
/// <param name="SkippedDilemmas">Dilemmas left out because none of their answers was valid (no model p).</param>
/// <param name="NoiseFloor">The gap a judge that knew every human p would still show with this row's sample counts:
/// the mean over its dilemmas of E|k₁/n₁ − k₂/n₂| (<see cref="Judging.NoiseFloor.Expected"/>, n₁ = the dilemma's valid
/// answers, n₂ = its human votes) for verdicts, of E|k/n − p| (<see cref="Judging.NoiseFloor.ExpectedOneSided"/>) for a
/// stated share; NaN without the human vote counts.</param>
public sealed record ConditionGapRow(string Condition, int Dilemmas, int Invalid, double MeanAbsGap, double CiLow, double CiHigh, double Reduction, double PearsonR,
    int SkippedDilemmas = 0, double NoiseFloor = double.NaN);

/// <summary>
/// What chapters 08–09 set up before asking any model: the dataset with topics, human p and N per dilemma, the dilemmas
/// of this run, the human value counts and the topic priors built from them (see <see cref="ProfileChapters.Setup"/>).
/// </summary>
/// <param name="Dataset">The dataset, with a topic on every dilemma (<see cref="ProfileChapters.WithTopics"/>).</param>
/// <param name="HumanP">Human p (share of UNACCEPTABLE) per dilemma id.</param>
/// <param name="HumanN">Human verdicts per dilemma id (for the noise floor).</param>
/// <param name="Dilemmas">The dilemmas of this run (<see cref="ProfileChapters.CapDilemmas"/>).</param>
/// <param name="Counts">Value mentions of the human rationales (<see cref="ProfileChapters.ValueCounts"/>).</param>
/// <param name="PriorFor">The prior of a dilemma: G_topic of its topic, or G0, built out of fold (<see cref="Priors"/>).</param>
/// <param name="Extractor">The offline value extractor, when one was asked for or the value source needs it; else null.</param>
/// <param name="Priors">The folded priors behind <paramref name="PriorFor"/> (<see cref="Profiles.Priors.OutOfFold"/>; in-sample when built with one fold).</param>
public sealed record ProfileSetup(DilemmaDataset Dataset, IReadOnlyDictionary<string, double> HumanP, IReadOnlyDictionary<string, int> HumanN,
    IReadOnlyList<Dilemma> Dilemmas, HumanValueCounts Counts, Func<Dilemma, double[]> PriorFor, OfflineValueExtractor? Extractor, FoldedPriors Priors)
{
    /// <inheritdoc />
    public override string ToString() => $"{Dataset}\n{Dilemmas.Count} dilemmas in this run; {Priors}; counts: {Counts}";
}

/// <summary>
/// Notebook glue for chapters 07–09 (topic priors, DMP and baselines, sensitivity): short calls that string the
/// MoralGap.Profiles API together so that no chapter holds an algorithm.
/// </summary>
public static class ProfileChapters
{
    /// <summary>
    /// The dataset with a topic on every dilemma, which DMP's topic priors need (paper §5: G_topic per topic). The
    /// embedded sample has planted topics and is returned as it is; an imported dataset has none, so its dilemmas are
    /// clustered as in chapter 07: k-means (<see cref="Topics.KMeans"/>, seeded) over the MiniLM embeddings of
    /// title + text, each cluster named after the nearest of the everyday topics (<see cref="Topics.Everyday"/>).
    /// Without this every imported dilemma would share one "(none)" topic, and DMP's prior would be G0 for all.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="clusters">k of the k-means topics (capped at the number of dilemmas).</param>
    /// <param name="seed">Seed of the k-means.</param>
    public static DilemmaDataset WithTopics(DilemmaDataset dataset, int clusters = 8, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentOutOfRangeException.ThrowIfLessThan(clusters, 1);
        if (dataset.Dilemmas.All(d => !string.IsNullOrWhiteSpace(d.Topic))) return dataset;
        var embedder = Embedder.Default;
        var vectors = embedder.Embed(dataset.Dilemmas.Select(d => d.Title + ". " + d.Text).ToList());
        var names = Topics.Everyday.Select(t => t.Name).ToList();
        var assignment = Topics.KMeans(vectors, Math.Min(clusters, dataset.Dilemmas.Count), seed, names,
            embedder.Embed(Topics.Everyday.Select(t => t.Description).ToList()));
        var topics = assignment.LabelNames;
        var dilemmas = dataset.Dilemmas.Select((d, i) => string.IsNullOrWhiteSpace(d.Topic) ? d with { Topic = topics[i] } : d);
        return new DilemmaDataset(dilemmas, dataset.Judgments, dataset.Name,
            (dataset.Description is { Length: > 0 } desc ? desc + "; " : "") + $"topics by k-means (k = {clusters}, seed {seed})");
    }

    /// <summary>
    /// The set-up of chapters 08–09, in one call: the dataset a <c>Dataset</c> parameter names, with rationales required
    /// (<see cref="DatasetChapters.Load"/>) and topics (<see cref="WithTopics"/>); the sample's planted values unless
    /// <paramref name="valueSource"/> is <c>extracted</c>; human p and N; the first <paramref name="maxDilemmas"/> dilemmas
    /// stratified by consensus (<see cref="CapDilemmas"/>); the value counts (<see cref="ValueCounts"/>); and the priors
    /// G0 and G_topic with <paramref name="smoothing"/>, built out of fold (<see cref="Priors.OutOfFold"/>: a dilemma's
    /// priors never contain its own rationales; <paramref name="priorFolds"/> = 1 builds them in-sample).
    /// </summary>
    /// <param name="priorFolds">K of the out-of-fold priors (seeded with <paramref name="seed"/>); 1 = in-sample.</param>
    /// <param name="dataset">The chapter's <c>Dataset</c> parameter (empty: the embedded sample).</param>
    /// <param name="valueSource">auto, planted or extracted (<see cref="ValueSources"/>).</param>
    /// <param name="smoothing">Pseudo-count added to every value of the priors.</param>
    /// <param name="maxDilemmas">Dilemmas in this run (≤ 0: all).</param>
    /// <param name="seed">Seed of the topics' k-means and of the dilemma order.</param>
    /// <param name="needsExtractor">Load the offline value extractor even when the value source does not need it (to read model rationales later).</param>
    /// <param name="taxonomy">The chapters' <c>Taxonomy</c> parameter: <c>lexicon</c> or <c>clusters</c> (see <see cref="ValueCounts"/>;
    /// the clusters are built once from every human rationale's expressions: they define the values, not the priors' weights).</param>
    /// <param name="clusterCount">Clusters when <paramref name="taxonomy"/> is <c>clusters</c>.</param>
    public static ProfileSetup Setup(string? dataset, string valueSource, double smoothing, int maxDilemmas, int seed, bool needsExtractor = false,
        int priorFolds = 5, string taxonomy = "lexicon", int clusterCount = 60)
    {
        needsExtractor |= ValueChapters.IsClusters(taxonomy);
        var data = WithTopics(DatasetChapters.Load(dataset, needsRationales: true), seed: seed);
        var truth = valueSource != "extracted" && DatasetChapters.IsSampleParameter(dataset) ? SampleTruth.Load() : null;
        var extractor = needsExtractor || valueSource == "extracted" || (valueSource == "auto" && truth is null)
            ? OfflineValueExtractor.Create(Repo.Path("data/value-lexicon.tsv"), Embedder.Default) : null;
        var counts = ValueCounts(data, valueSource, truth, valueSource == "planted" && !ValueChapters.IsClusters(taxonomy) ? null : extractor,
            taxonomy: taxonomy, clusterCount: clusterCount, seed: seed);
        var priors = Priors.OutOfFold(counts.PerDilemma, counts.DilemmaTopics, priorFolds, seed, smoothing);
        return new ProfileSetup(data, HumanP(data), ProfileFigures.HumanN(data), CapDilemmas(data, maxDilemmas, seed), counts,
            priors.PriorFor(counts.DilemmaIds), extractor, priors);
    }

    /// <summary>Value sources for <see cref="ValueCounts"/>.</summary>
    public static IReadOnlyList<string> ValueSources { get; } = ["auto", "planted", "extracted"];

    /// <summary>
    /// Counts the values named in each human rationale. <c>planted</c>: the values the sample generator put into the
    /// rationale (truth.json; exact, needs the embedded sample). <c>extracted</c>: <see cref="OfflineValueExtractor"/>
    /// over the rationale text (works for any dataset; what a real pipeline has). <c>auto</c>: planted when
    /// <paramref name="truth"/> holds every human judgment of the dataset (the embedded sample), else extracted — so a
    /// chapter rerun with <c>-p Dataset=…</c> on imported data needs no second parameter. The result's
    /// <see cref="HumanValueCounts.Source"/> says which was used.
    /// </summary>
    /// <param name="dataset">The dataset.</param>
    /// <param name="valueSource"><c>auto</c>, <c>planted</c> or <c>extracted</c>, as above.</param>
    /// <param name="truth">The sample's truth (for <c>planted</c> and <c>auto</c>).</param>
    /// <param name="extractor">The offline extractor (for <c>extracted</c>, and for <c>clusters</c>).</param>
    /// <param name="progress">Embedding progress.</param>
    /// <param name="taxonomy">The chapters' <c>Taxonomy</c> parameter. <c>lexicon</c>: a value is the lexicon value the
    /// extractor matched (or the planted value). <c>clusters</c>: the expressions the extractor finds in the human
    /// rationales are clustered as in chapter 05 (<see cref="ClusterTaxonomy"/>, <paramref name="clusterCount"/>
    /// clusters, seeded) and each mention counts as the paper value its cluster is named after
    /// (<see cref="ClusterTaxonomy.PaperValueOf"/>; planted values are mapped onto the clusters first), so the priors
    /// stay over the paper's values while the grouping comes from the clusters, as in the paper's pipeline.</param>
    /// <param name="clusterCount">Clusters when <paramref name="taxonomy"/> is <c>clusters</c>.</param>
    /// <param name="seed">Seed of the clustering sample.</param>
    public static HumanValueCounts ValueCounts(DilemmaDataset dataset, string valueSource, SampleTruth? truth = null,
        OfflineValueExtractor? extractor = null, IProgress<EmbeddingProgress>? progress = null, string taxonomy = "lexicon",
        int clusterCount = 60, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var judgments = dataset.Judgments.Where(j => j.Author == DilemmaDataset.Human).ToList();
        var topicOf = dataset.Dilemmas.ToDictionary(d => d.Id, d => d.Topic ?? "(none)");
        IReadOnlyList<IEnumerable<string>> named;
        if (valueSource == "auto")
        {
            var plantedKeys = truth?.Judgments.Select(j => (j.DilemmaId, j.SampleIndex)).ToHashSet();
            valueSource = plantedKeys is not null && judgments.All(j => plantedKeys.Contains((j.DilemmaId, j.SampleIndex))) ? "planted" : "extracted";
        }
        ClusterTaxonomy? clusters = null;
        IReadOnlyList<IReadOnlyList<ValueExpression>>? expressions = null;
        if (ValueChapters.IsClusters(taxonomy))
        {
            if (extractor is null) throw new ArgumentException("Taxonomy = clusters needs an OfflineValueExtractor: its expressions are what is clustered.", nameof(extractor));
            expressions = extractor.ExtractMany(judgments.Select(j => j.Rationale), progress);
            clusters = ClusterTaxonomy.Build(expressions.SelectMany(r => r.Select(e => e.Text)).ToArray(), clusterCount, extractor.Embedder, seed: seed);
        }
        switch (valueSource)
        {
            case "planted":
                if (truth is null) throw new ArgumentException("ValueSource = planted needs the sample's truth (SampleTruth.Load()).", nameof(truth));
                var planted = truth.Judgments.ToDictionary(j => (j.DilemmaId, j.SampleIndex), j => j.Values);
                named = judgments.Select(j => planted.TryGetValue((j.DilemmaId, j.SampleIndex), out var v) ? v
                    : throw new ArgumentException($"truth.json has no judgment {j.DilemmaId}#{j.SampleIndex}; planted values exist only for the embedded sample — use ValueSource = extracted.")).ToList();
                if (clusters is not null)
                {
                    var onto = clusters.MapValues(named.SelectMany(v => v));
                    named = named.Select(v => v.Select(x => ClusterTaxonomy.PaperValueOf(onto[x])).Distinct().ToArray()).ToList();
                }
                break;
            case "extracted":
                if (extractor is null) throw new ArgumentException("ValueSource = extracted needs an OfflineValueExtractor.", nameof(extractor));
                expressions ??= extractor.ExtractMany(judgments.Select(j => j.Rationale), progress);
                named = (clusters?.Relabel(expressions) ?? expressions)
                    .Select(list => list.Where(e => e.Value is not null).Select(e => ClusterTaxonomy.PaperValueOf(e.Value!))).ToList();
                break;
            default:
                throw new ArgumentException($"ValueSource = '{valueSource}' is not one of: {string.Join(", ", ValueSources)}.", nameof(valueSource));
        }
        var perJudgment = Priors.CountMatrix(named);
        var ids = dataset.Dilemmas.Select(d => d.Id).ToArray();
        var rowOf = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var perDilemma = ids.Select(_ => new int[PaperValues.Count]).ToArray();
        for (var j = 0; j < judgments.Count; j++)
            for (var v = 0; v < PaperValues.Count; v++) perDilemma[rowOf[judgments[j].DilemmaId]][v] += perJudgment[j][v];
        return new HumanValueCounts(clusters is null ? valueSource : $"{valueSource}, grouped by {clusters.Names.Count} clusters", ids, ids.Select(id => topicOf[id]).ToArray(), perDilemma,
            judgments.Select(j => topicOf[j.DilemmaId]).ToArray(), perJudgment, judgments.Select(j => rowOf[j.DilemmaId]).ToArray(),
            named.Select(list => list.Select(PaperValues.IndexOf).FirstOrDefault(i => i >= 0, -1)).ToArray()) { Clusters = clusters };
    }

    /// <summary>
    /// Fits a Dirichlet-multinomial per topic (<see cref="Priors.FitConcentration"/>, <see cref="DirichletFit.FromCounts"/>,
    /// Minka's fixed point) two ways — one row per dilemma and one row per rationale — and sets the planted α₀ over the
    /// same values beside them. A rationale names 1–3 <i>different</i> values; whatever θ they come from, the probability of
    /// such a set does not change when α is scaled, so rows of single rationales carry no information on α₀ and the fit
    /// runs off to α₀ → ∞ (reported as ∞ with a note). Rows of dilemmas see how much the dilemmas of a topic differ (in
    /// the sample, each has its own profile θ_d ~ Dirichlet(α_topic)), but 15 rows per topic are few and the values drawn
    /// without replacement look less spread than a multinomial; <see cref="SharedConcentration"/> is the fit that recovers
    /// the planted α₀. Precision above 10⁶ is reported as ∞.
    /// </summary>
    public static IReadOnlyList<ConcentrationRow> ConcentrationRecovery(HumanValueCounts counts, SampleTruth? truth = null)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var byDilemma = Priors.FitConcentration(counts.PerDilemma, counts.DilemmaTopics);
        var byRationale = Priors.FitConcentration(counts.PerJudgment, counts.JudgmentTopics);
        return byDilemma.Values.Select(f =>
        {
            var r = byRationale[f.Topic];
            var planted = truth?.Topics.FirstOrDefault(t => t.Name == f.Topic);
            var truePrecision = planted is null ? double.NaN : f.Columns.Sum(c => planted.Alpha[c]);
            var notes = new List<string>();
            if (f.Error is not null) notes.Add("per dilemma: " + f.Error);
            else if (f.IsUnbounded) notes.Add("per dilemma: unbounded");
            if (r.Error is not null) notes.Add("per rationale: " + r.Error);
            else if (r.IsUnbounded) notes.Add("per rationale: unbounded (no value named twice in a rationale)");
            return new ConcentrationRow(f.Topic, counts.DilemmaTopics.Count(t => t == f.Topic), counts.JudgmentTopics.Count(t => t == f.Topic),
                f.Columns.Length, f.IsUnbounded ? double.PositiveInfinity : f.Precision, r.IsUnbounded ? double.PositiveInfinity : r.Precision, truePrecision, string.Join("; ", notes));
        }).ToList();
    }

    /// <summary>
    /// α₀ shared by the topics (<see cref="DirichletFit.SharedPrecision"/> with its jackknife bias correction; one row per
    /// dilemma, grouped by topic), fitted on the first n rationales of every dilemma for each n of
    /// <paramref name="rationalesPerDilemma"/>, beside the planted α₀ over the same values: how many rationales the fit
    /// needs to find the concentration the data were drawn with. A row counts the <i>first</i> value each rationale names
    /// (<see cref="HumanValueCounts.FirstNamed"/>): that is one draw from the dilemma's profile θ_d, so the counts of a
    /// dilemma are exactly Multinomial(n, θ_d) and the Dirichlet-multinomial is the right likelihood; the second and third
    /// values are drawn without replacement and would make the counts look less spread than that (α₀ too large).
    /// </summary>
    public static IReadOnlyList<SharedConcentrationRow> SharedConcentration(HumanValueCounts counts, SampleTruth? truth, IReadOnlyList<int> rationalesPerDilemma)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(rationalesPerDilemma);
        var rowOf = counts.JudgmentDilemmaRows ?? throw new ArgumentException("The counts do not say which dilemma each rationale belongs to.", nameof(counts));
        var topics = counts.DilemmaTopics.Distinct().OrderBy(t => t, StringComparer.Ordinal).ToArray();
        var result = new List<SharedConcentrationRow>();
        foreach (var n in rationalesPerDilemma)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 1, nameof(rationalesPerDilemma));
            var perDilemma = counts.DilemmaIds.Select(_ => new int[PaperValues.Count]).ToArray();
            var used = new int[counts.DilemmaIds.Length];
            var first = counts.FirstNamed ?? throw new ArgumentException("The counts do not say which value each rationale names first.", nameof(counts));
            for (var j = 0; j < rowOf.Length; j++)
                if (used[rowOf[j]]++ < n && first[j] >= 0) perDilemma[rowOf[j]][first[j]]++;
            var groups = topics.Select(t => Enumerable.Range(0, perDilemma.Length).Where(d => counts.DilemmaTopics[d] == t).Select(d => perDilemma[d]).ToArray()).ToArray();
            var fit = DirichletFit.SharedPrecision(groups, jackknife: true);
            var planted = truth is null ? double.NaN : fit.Groups.Select((g, i) =>
                truth.Topics.FirstOrDefault(x => x.Name == topics[g]) is { } pt ? fit.Columns[i].Sum(c => pt.Alpha[c]) : double.NaN).Average();
            var fitted = fit.IsUnbounded ? double.PositiveInfinity : fit.Precision;
            var corrected = fit.IsUnbounded ? double.PositiveInfinity : fit.Jackknife;
            result.Add(new SharedConcentrationRow(n, fit.Rows, perDilemma.Sum(r => (long)r.Sum()), fitted, corrected, planted, (corrected - planted) / planted));
        }
        return result;
    }

    /// <summary>Human p (share of UNACCEPTABLE) per dilemma id.</summary>
    public static IReadOnlyDictionary<string, double> HumanP(DilemmaDataset dataset) =>
        dataset.Distributions().Where(d => d.N > 0).ToDictionary(d => d.DilemmaId, d => d.P);

    /// <summary>
    /// The dilemmas of chapters 08–09: those with human votes (the gap needs a human p), capped by the judging chapters'
    /// one rule (<see cref="JudgingChapters.CapDilemmas"/>: seeded, stratified by consensus bin); cap ≤ 0 keeps all.
    /// </summary>
    public static IReadOnlyList<Dilemma> CapDilemmas(DilemmaDataset dataset, int cap, int seed)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var humanP = HumanP(dataset);
        return JudgingChapters.CapDilemmas(dataset.Dilemmas.Where(d => humanP.ContainsKey(d.Id)).ToList(), humanP, cap, seed);
    }

    /// <summary>
    /// The rows of <see cref="DmpEvaluation.Summarize"/> for one model and the council, in the run's condition order:
    /// per condition mean |Δp| with a bootstrap 95% CI over dilemmas, the relative reduction vs <paramref name="baseline"/>
    /// (<see cref="GapMetrics.RelativeGapReduction"/>; the council against the mean baseline gap over models) and Pearson r.
    /// Dilemmas without a valid answer are skipped (<see cref="MissingModelP.Skip"/>) and counted in
    /// <see cref="ConditionGapRow.SkippedDilemmas"/>; a condition with no dilemma of known human p has no row. With
    /// <paramref name="humanN"/> (human votes per dilemma) every row carries its noise floor for the sample counts it
    /// actually used (<see cref="ConditionGapRow.NoiseFloor"/>).
    /// </summary>
    public static IReadOnlyList<ConditionGapRow> GapTable(DmpRunResult run, IReadOnlyDictionary<string, double> humanP,
        string model, string baseline = "vanilla", int seed = 0, IReadOnlyDictionary<string, int>? humanN = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var summaries = DmpEvaluation.Summarize(run, humanP, baseline, seed: seed);
        return run.ConditionNames
            .Select(c => summaries.FirstOrDefault(s => s.Model == (c == "council" ? "council" : model) && s.Condition == c && s.Bins.Count > 0))
            .OfType<ConditionSummary>()
            .Select(s => new ConditionGapRow(s.Condition, s.Dilemmas, s.Invalid, s.MeanAbsGap, s.CiLow, s.CiHigh, s.GapReduction, s.PearsonR, s.SkippedDilemmas,
                humanN is null ? double.NaN : NoiseFloorOf(run, humanP, humanN, s.Model, s.Condition)))
            .ToList();
    }

    /// <summary>
    /// The noise floor of one (model, condition) row for the counts it used: the mean over its dilemmas with a model p of
    /// <see cref="NoiseFloor.Expected"/>(p_human, valid answers, human votes) for verdicts and of
    /// <see cref="NoiseFloor.ExpectedOneSided"/>(p_human, human votes) for a stated share.
    /// </summary>
    public static double NoiseFloorOf(DmpRunResult run, IReadOnlyDictionary<string, double> humanP, IReadOnlyDictionary<string, int> humanN, string model, string condition)
    {
        ArgumentNullException.ThrowIfNull(run);
        var share = run.Kinds.GetValueOrDefault(condition) == ConditionKind.Elicitation;
        return run.Estimates
            .Where(e => e.Model == model && e.Condition == condition && double.IsFinite(e.P) && humanP.ContainsKey(e.DilemmaId) && humanN.GetValueOrDefault(e.DilemmaId) > 0)
            .Select(e => share ? NoiseFloor.ExpectedOneSided(humanP[e.DilemmaId], humanN[e.DilemmaId]) : NoiseFloor.Expected(humanP[e.DilemmaId], e.Valid, humanN[e.DilemmaId]))
            .DefaultIfEmpty(double.NaN).Average();
    }

    /// <summary>
    /// Value diversity of the rationales per verdict condition (values extracted offline), with the human rationales
    /// as the first row: normalised entropy over the paper's 59 values and top-10 share (<see cref="Diversity"/>),
    /// entropy CI by bootstrap over rationales; then every row rarefied to the smallest row's mentions (1000 seeded
    /// subsamples; rows without mentions are left as they are). When the human counts were grouped by clusters
    /// (<see cref="HumanValueCounts.Clusters"/>), the models' expressions are placed in the same clusters and counted as
    /// the paper values the clusters are named after.
    /// </summary>
    public static IReadOnlyList<ConditionDiversity> RationaleDiversity(DmpRunResult run, string model, OfflineValueExtractor extractor,
        HumanValueCounts? human = null, IProgress<EmbeddingProgress>? progress = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(extractor);
        var rows = new List<(ConditionDiversity Row, int[] Total)>();
        if (human is not null) rows.Add(Summarize($"humans ({human.Source})", human.PerJudgment, seed));
        var verdictConditions = run.ConditionNames.Where(c => run.Kinds.GetValueOrDefault(c) == ConditionKind.Verdict && c != "council").ToList();
        var responses = run.Responses.Where(r => r.Model == model && verdictConditions.Contains(r.Condition) && r.Verdict is not null).ToList();
        var extracted = extractor.ExtractMany(responses.Select(r => r.Rationale), progress);
        if (human?.Clusters is { } clusters) extracted = clusters.Relabel(extracted); // the humans' clusters group the models' expressions too
        foreach (var c in verdictConditions)
        {
            var idx = Enumerable.Range(0, responses.Count).Where(i => responses[i].Condition == c).ToList();
            var counts = Priors.CountMatrix(idx.Select(i => extracted[i].Where(e => e.Value is not null).Select(e => ClusterTaxonomy.PaperValueOf(e.Value!))).ToList());
            rows.Add(Summarize(c, counts, seed));
        }
        var withMentions = rows.Where(r => r.Row.Mentions > 0).ToList();
        if (withMentions.Count == 0) return rows.Select(r => r.Row).ToList();
        var n = withMentions.Min(r => r.Row.Mentions);
        return rows.Select(r =>
        {
            if (r.Row.Mentions == 0) return r.Row;
            var top = Diversity.Rarefied(r.Total, n, c => Diversity.TopKShare(c, 10), 1000, seed);
            var h = Diversity.Rarefied(r.Total, n, c => Diversity.CorrectedNormalizedEntropy(c, PaperValues.Count), 1000, seed);
            return r.Row with { RarefiedMentions = n, RarefiedTop10 = top.Mean, RarefiedEntropy = h.Mean, RarefiedEntropyLow = h.Lower, RarefiedEntropyHigh = h.Upper };
        }).ToList();
    }

    private static (ConditionDiversity Row, int[] Total) Summarize(string name, int[][] perRationale, int seed)
    {
        var total = new int[PaperValues.Count];
        foreach (var r in perRationale) for (var v = 0; v < total.Length; v++) total[v] += r[v];
        var s = Diversity.Summarize(total, 10, PaperValues.Count);
        var mentionsByRationale = perRationale.Select(r => Enumerable.Range(0, r.Length).SelectMany(v => Enumerable.Repeat(v, r[v])).ToArray()).ToArray();
        var ci = Diversity.NormalizedEntropyInterval(mentionsByRationale, PaperValues.Count, replicates: 300, seed: seed);
        return (new ConditionDiversity(name, perRationale.Length, s.Mentions, s.ValuesUsed, s.TopKShare, ci.Estimate, ci.Lower, ci.Upper), total);
    }
}
