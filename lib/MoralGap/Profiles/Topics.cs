using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MoralGap.Profiles;

/// <summary>A topic a dilemma can be about, with the description used for zero-shot assignment and cluster naming.</summary>
/// <param name="Name">Short name, e.g. <c>family</c>.</param>
/// <param name="Description">One or two sentences describing what dilemmas of this topic are about (embedded for similarity).</param>
public sealed record TopicDefinition(string Name, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}: {Description}";
}

/// <summary>
/// A topic assignment: one label per dilemma plus the names of the labels.
/// </summary>
/// <param name="Method">How it was made: <c>zero-shot</c>, <c>k-means</c> or <c>llm</c>.</param>
/// <param name="Labels">Label index per dilemma (same order as the input), in [0, Names.Count).</param>
/// <param name="Names">Name of each label (a topic name; for k-means clusters the nearest topic description's name, possibly repeated).</param>
/// <param name="Scores">Per dilemma, the similarity to the chosen topic or (k-means) to the cluster centroid; NaN where not defined.</param>
public sealed record TopicAssignment(string Method, int[] Labels, IReadOnlyList<string> Names, double[] Scores)
{
    /// <summary>The assigned name per dilemma.</summary>
    public string[] LabelNames => Labels.Select(l => l < 0 ? "(none)" : Names[l]).ToArray();

    /// <summary>Number of dilemmas per label.</summary>
    public int[] Sizes
    {
        get
        {
            var s = new int[Names.Count];
            foreach (var l in Labels) if (l >= 0) s[l]++;
            return s;
        }
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Method}: {Labels.Length} dilemmas → " + string.Join(", ", Names.Select((n, i) => $"{n} ({Sizes[i]})"));
}

/// <summary>
/// Assigns each dilemma a topic, offline, from sentence embeddings. The paper says DMP uses topic-specific value
/// distributions but not how topics were found or named (the paper does not publish its topic method or topic names), so two methods are offered and compared:
/// zero-shot by cosine similarity to topic descriptions, and unsupervised k-means named after the nearest description.
/// </summary>
public static class Topics
{
    /// <summary>
    /// The default topic set: 8 everyday topics of interpersonal dilemmas (our choice; the paper gives no topic names):
    /// family, friendship, work, money, roommates (&amp; neighbours), weddings (&amp; events), pets (&amp; animals),
    /// online (&amp; privacy). The short names equal the planted topic names of the embedded sample (data/sample), so
    /// assigned topics and <see cref="MoralGap.Data.Dilemma.Topic"/> can be compared and used as prior keys directly.
    /// </summary>
    public static IReadOnlyList<TopicDefinition> Everyday { get; } =
    [
        new("family", "Family conflicts between parents, children, siblings, in-laws and relatives about duties, inheritance, holidays and how to treat each other."),
        new("friendship", "Friendship problems: keeping promises to friends, honesty between friends, loyalty, jealousy, lending and falling out with a friend."),
        new("work", "Workplace situations with a boss, coworkers or employees: workload, credit for work, reporting colleagues, quitting and professional conduct."),
        new("money", "Money disputes: splitting bills, lending and repaying money, gifts, paying for others, debts, wages and financial fairness."),
        new("roommates", "Living with roommates or next to neighbours: noise, chores, shared spaces, parking, rent, rules of the house or building."),
        new("weddings", "Weddings, birthdays, parties and other events: invitations, guest lists, dress codes, speeches and who hosts or pays."),
        new("pets", "Pets and animals: caring for a dog or cat, allergies, pet sitting, animals in shared homes, rescue and treatment of animals."),
        new("online", "Online life and privacy: social media posts, reading someone's messages or phone, sharing photos, passwords and personal information."),
    ];

    /// <summary>
    /// Zero-shot assignment: each dilemma gets the topic whose description embedding has the highest cosine similarity
    /// with the dilemma embedding. Embeddings need not be normalised.
    /// </summary>
    /// <param name="dilemmaEmbeddings">One vector per dilemma.</param>
    /// <param name="topicNames">Topic names, same order as <paramref name="topicEmbeddings"/>.</param>
    /// <param name="topicEmbeddings">One vector per topic description, same dimension as the dilemma vectors.</param>
    public static TopicAssignment ZeroShot(float[][] dilemmaEmbeddings, IReadOnlyList<string> topicNames, float[][] topicEmbeddings)
    {
        CheckEmbeddings(dilemmaEmbeddings, nameof(dilemmaEmbeddings));
        CheckEmbeddings(topicEmbeddings, nameof(topicEmbeddings));
        ArgumentNullException.ThrowIfNull(topicNames);
        if (topicNames.Count != topicEmbeddings.Length)
            throw new ArgumentException($"{topicNames.Count} topic names but {topicEmbeddings.Length} topic embeddings.");
        SameDim(dilemmaEmbeddings, topicEmbeddings);
        var labels = new int[dilemmaEmbeddings.Length];
        var scores = new double[dilemmaEmbeddings.Length];
        for (var i = 0; i < dilemmaEmbeddings.Length; i++)
            (labels[i], scores[i]) = Nearest(dilemmaEmbeddings[i], topicEmbeddings);
        return new TopicAssignment("zero-shot", labels, topicNames.ToArray(), scores);
    }

    /// <summary>
    /// Unsupervised topics: k-means (ML.NET <see cref="KMeansTrainer"/>, k-means++ initialisation, Euclidean
    /// distance on L2-normalised embeddings, so that it ranks like cosine) with <paramref name="restarts"/> seeded
    /// restarts (seed, seed+1, …), keeping the one with the smallest within-cluster sum of squares (ML.NET runs a single
    /// initialisation, which can merge two true clusters). Each cluster is named after the topic description nearest
    /// (cosine) to its centroid; with <paramref name="uniqueNames"/> and k ≤ number of topics the names are matched
    /// one-to-one (Hungarian method on similarities) so no two clusters share a name.
    /// </summary>
    /// <param name="dilemmaEmbeddings">One vector per dilemma.</param>
    /// <param name="k">Number of clusters (≥ 1, ≤ number of dilemmas).</param>
    /// <param name="seed">Seed for <see cref="MLContext"/> (single-threaded training, so runs are reproducible).</param>
    /// <param name="topicNames">Optional topic names for naming clusters; clusters are named <c>cluster-1</c>… without them.</param>
    /// <param name="topicEmbeddings">Embeddings of the topic descriptions (required with names).</param>
    /// <param name="uniqueNames">Match cluster names one-to-one when k ≤ topics.</param>
    /// <param name="restarts">Number of seeded restarts (≥ 1).</param>
    public static TopicAssignment KMeans(
        float[][] dilemmaEmbeddings, int k, int seed,
        IReadOnlyList<string>? topicNames = null, float[][]? topicEmbeddings = null,
        bool uniqueNames = true, int restarts = 5)
    {
        CheckEmbeddings(dilemmaEmbeddings, nameof(dilemmaEmbeddings));
        if (k < 1 || k > dilemmaEmbeddings.Length)
            throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} must be in [1, {dilemmaEmbeddings.Length}] (number of dilemmas).");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), "restarts must be ≥ 1.");
        if ((topicNames is null) != (topicEmbeddings is null))
            throw new ArgumentException("Give both topicNames and topicEmbeddings, or neither.");
        if (topicEmbeddings is not null)
        {
            CheckEmbeddings(topicEmbeddings, nameof(topicEmbeddings));
            SameDim(dilemmaEmbeddings, topicEmbeddings);
            if (topicNames!.Count != topicEmbeddings.Length)
                throw new ArgumentException($"{topicNames.Count} topic names but {topicEmbeddings.Length} topic embeddings.");
        }

        var x = dilemmaEmbeddings.Select(Normalise).ToArray();
        int[]? best = null;
        double bestInertia = double.PositiveInfinity;
        for (var r = 0; r < restarts; r++)
        {
            var labels = RunMlNetKMeans(x, k, seed + r);
            var inertia = Inertia(x, labels, k);
            if (inertia < bestInertia - 1e-9) { bestInertia = inertia; best = labels; }
        }

        // ML.NET may leave a cluster empty; relabel to 0..k'-1 in order of first appearance for stable output.
        var relabel = new Dictionary<int, int>();
        var final = best!.Select(l => relabel.TryGetValue(l, out var m) ? m : relabel[l] = relabel.Count).ToArray();
        var kk = relabel.Count;
        var centroids = Centroids(x, final, kk);
        var scores = final.Select((l, i) => Cosine(x[i], centroids[l])).ToArray();

        string[] names;
        if (topicEmbeddings is null)
            names = Enumerable.Range(1, kk).Select(i => $"cluster-{i}").ToArray();
        else
            names = NameClusters(centroids, topicNames!, topicEmbeddings, uniqueNames);
        return new TopicAssignment("k-means", final, names, scores);
    }

    /// <summary>
    /// Names each centroid after the most similar (cosine) topic description. With <paramref name="unique"/> and
    /// no more centroids than topics, the assignment maximises total similarity under a one-to-one matching.
    /// </summary>
    public static string[] NameClusters(float[][] centroids, IReadOnlyList<string> topicNames, float[][] topicEmbeddings, bool unique = true)
    {
        CheckEmbeddings(centroids, nameof(centroids));
        CheckEmbeddings(topicEmbeddings, nameof(topicEmbeddings));
        if (unique && centroids.Length <= topicEmbeddings.Length)
        {
            // Hungarian on integer-scaled similarities (BestMatching maximises integer counts).
            var table = centroids.Select(c => topicEmbeddings.Select(t => (int)Math.Round((Cosine(c, t) + 1) * 1e6)).ToArray()).ToArray();
            var match = TopicAgreement.BestMatching(table);
            return match.Select(j => topicNames[j]).ToArray();
        }
        return centroids.Select(c => topicNames[Nearest(c, topicEmbeddings).index]).ToArray();
    }

    /// <summary>
    /// Maps assigned labels to planted topic names (e.g. <c>Dilemma.Topic</c>) and compares them: contingency table,
    /// ARI and accuracy under the best one-to-one matching.
    /// </summary>
    public static TopicAgreementReport CompareWithPlanted(TopicAssignment assignment, IReadOnlyList<string> plantedTopics)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(plantedTopics);
        if (plantedTopics.Count != assignment.Labels.Length)
            throw new ArgumentException($"{plantedTopics.Count} planted topics but {assignment.Labels.Length} assigned labels.");
        var refNames = plantedTopics.Distinct().ToList();
        var refIndex = plantedTopics.Select(t => refNames.IndexOf(t)).ToArray();
        var rowNames = assignment.Names.Select((n, i) => assignment.Method == "k-means" ? $"{i + 1}:{n}" : n).ToList();
        var labels = assignment.Labels;
        var none = -1;
        if (labels.Any(l => l < 0))
        {
            // Unassigned items (an unparseable LLM answer) get their own "(none)" row, so they count as errors.
            rowNames.Add("(none)");
            none = rowNames.Count - 1;
            labels = labels.Select(l => l < 0 ? rowNames.Count - 1 : l).ToArray();
        }
        return TopicAgreement.Compare(labels, refIndex, rowNames, refNames, none);
    }

    // ---- ML.NET plumbing ----

    private sealed class Row
    {
        public float[] Features { get; set; } = [];
    }

    private sealed class Prediction
    {
        public uint PredictedLabel { get; set; }
    }

    private static int[] RunMlNetKMeans(float[][] x, int k, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, x[0].Length);
        var data = ml.Data.LoadFromEnumerable(x.Select(v => new Row { Features = v }), schema);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(Row.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            NumberOfThreads = 1,
            MaximumNumberOfIterations = 1000,
            OptimizationTolerance = 1e-7f,
        });
        var model = trainer.Fit(data);
        var predicted = model.Transform(data);
        return ml.Data.CreateEnumerable<Prediction>(predicted, reuseRowObject: false)
            .Select(p => (int)p.PredictedLabel - 1).ToArray();
    }

    // ---- small vector helpers ----

    internal static float[] Normalise(float[] v)
    {
        double s = 0;
        foreach (var a in v) s += (double)a * a;
        var n = Math.Sqrt(s);
        if (n == 0) throw new ArgumentException("An embedding is the zero vector; it has no direction.");
        return v.Select(a => (float)(a / n)).ToArray();
    }

    internal static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) { dot += (double)a[i] * b[i]; na += (double)a[i] * a[i]; nb += (double)b[i] * b[i]; }
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private static (int index, double score) Nearest(float[] v, float[][] candidates)
    {
        var best = -1;
        var bestScore = double.NegativeInfinity;
        for (var j = 0; j < candidates.Length; j++)
        {
            var s = Cosine(v, candidates[j]);
            if (s > bestScore) { bestScore = s; best = j; }
        }
        return (best, bestScore);
    }

    private static float[][] Centroids(float[][] x, int[] labels, int k)
    {
        var d = x[0].Length;
        var c = new double[k][];
        var n = new int[k];
        for (var j = 0; j < k; j++) c[j] = new double[d];
        for (var i = 0; i < x.Length; i++)
        {
            n[labels[i]]++;
            for (var t = 0; t < d; t++) c[labels[i]][t] += x[i][t];
        }
        return c.Select((v, j) => v.Select(a => (float)(a / Math.Max(1, n[j]))).ToArray()).ToArray();
    }

    private static double Inertia(float[][] x, int[] labels, int k)
    {
        var c = Centroids(x, labels, k);
        double s = 0;
        for (var i = 0; i < x.Length; i++)
            for (var t = 0; t < x[i].Length; t++)
            {
                var dd = x[i][t] - c[labels[i]][t];
                s += dd * dd;
            }
        return s;
    }

    private static void CheckEmbeddings(float[][] e, string name)
    {
        ArgumentNullException.ThrowIfNull(e, name);
        if (e.Length == 0) throw new ArgumentException($"{name} is empty.", name);
        var d = e[0]?.Length ?? throw new ArgumentException($"{name}[0] is null.", name);
        if (d == 0) throw new ArgumentException($"{name}[0] has dimension 0.", name);
        for (var i = 0; i < e.Length; i++)
        {
            if (e[i] is null) throw new ArgumentException($"{name}[{i}] is null.", name);
            if (e[i].Length != d) throw new ArgumentException($"{name}[{i}] has dimension {e[i].Length}, expected {d}.", name);
            foreach (var a in e[i])
                if (!float.IsFinite(a)) throw new ArgumentException($"{name}[{i}] contains a non-finite value.", name);
        }
    }

    private static void SameDim(float[][] a, float[][] b)
    {
        if (a[0].Length != b[0].Length)
            throw new ArgumentException($"Dilemma embeddings have dimension {a[0].Length} but topic embeddings {b[0].Length}.");
    }
}
