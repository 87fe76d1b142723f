using System.IO.Compression;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MoralGap.Values.Evaluation;

/// <summary>Options of <c>SupervisedValueClassifier.Train</c>.</summary>
/// <param name="Folds">Cross-validation folds used to choose each category's threshold (≥ 2).</param>
/// <param name="Seed">Seed of the fold assignment and of ML.NET.</param>
/// <param name="L1">L1 regularisation weight (ML.NET's default 1; not divided by the number of examples, so on a few dozen texts it zeroes every weight).</param>
/// <param name="L2">L2 regularisation weight of the logistic regressions (0.1 chosen by cross-validated macro-F1 on the ValueEval training split: 0.496 at 0.1, 0.491 at 1, 0.473 at 10).</param>
public sealed record SupervisedTrainingOptions(int Folds = 5, int Seed = 12, float L2 = 0.1f, float L1 = 1f);

/// <summary>
/// A multi-label value classifier trained on annotated texts: one elastic-net (L1 + L2) regularised logistic regression per category
/// (ML.NET's L-BFGS trainer, binary relevance) over the text's MiniLM embedding, P(c | x) = σ(w_c · e(x) + b_c), with
/// category c predicted when P(c | x) ≥ t_c. Each threshold t_c maximises c's F1 over out-of-fold probabilities from a
/// seeded k-fold cross-validation on the training split (<see cref="MultiLabelMetrics.BestThreshold"/>); the final
/// models are then fitted on the whole split. ML.NET (Microsoft's maintained ML library) does the fitting and the
/// model files; binary relevance and threshold choice are ours because ML.NET has no multi-label trainer.
/// </summary>
/// <remarks>
/// A saved model (<see cref="Save"/>) is a zip holding <c>manifest.json</c> (categories, thresholds, embedding model,
/// training summary) and one ML.NET model zip per category (<c>category-NN.zip</c>).
/// </remarks>
public sealed class SupervisedValueClassifier : IValueClassifier
{
    /// <summary>Format tag written into the manifest.</summary>
    public const string Format = "moralgap-value-classifier/1";

    private readonly MLContext ml;
    private readonly ITransformer[] models;
    private readonly DataViewSchema schema;

    private SupervisedValueClassifier(MLContext ml, IReadOnlyList<string> categories, ITransformer[] models, double[] thresholds, DataViewSchema schema, Embedder embedder, string summary)
    {
        this.ml = ml;
        this.models = models;
        this.schema = schema;
        Categories = categories;
        Thresholds = thresholds;
        Embedder = embedder;
        Summary = summary;
    }

    /// <inheritdoc/>
    public string Name => "supervised";

    /// <inheritdoc/>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>The probability threshold t_c of each category.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    /// <summary>The embedder that turns texts into features.</summary>
    public Embedder Embedder { get; }

    /// <summary>How the model was trained (split size, folds, seed, cross-validated macro-F1).</summary>
    public string Summary { get; }

    private sealed class Row
    {
        [VectorType(Values.Embedder.Dimension)] public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }

    private sealed class Scored
    {
        public float Probability { get; set; }
    }

    /// <summary>
    /// Trains on <paramref name="texts"/> with their labels (texts × categories): thresholds by cross-validation on
    /// this same data, then one model per category on all of it. Every random choice follows <c>options.Seed</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Counts differ, a label row has the wrong length, or a category has no positive or no negative example.</exception>
    public static SupervisedValueClassifier Train(IReadOnlyList<string> categories, IReadOnlyList<string> texts, IReadOnlyList<bool[]> labels,
        Embedder? embedder = null, SupervisedTrainingOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        embedder ??= Embedder.Default;
        return Train(categories, embedder.Embed(texts, cancellationToken: cancellationToken), labels, embedder, options, progress, cancellationToken);
    }

    /// <summary>As <see cref="Train(IReadOnlyList{string}, IReadOnlyList{string}, IReadOnlyList{bool[]}, Embedder?, SupervisedTrainingOptions?, IProgress{string}?, CancellationToken)"/>, from embeddings.</summary>
    public static SupervisedValueClassifier Train(IReadOnlyList<string> categories, IReadOnlyList<float[]> features, IReadOnlyList<bool[]> labels,
        Embedder embedder, SupervisedTrainingOptions? options = null, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(embedder);
        options ??= new SupervisedTrainingOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Folds, 2);
        if (features.Count != labels.Count) throw new ArgumentException($"{features.Count} texts but {labels.Count} label rows.", nameof(labels));
        var n = features.Count;
        for (var i = 0; i < n; i++)
        {
            if (labels[i]?.Length != categories.Count) throw new ArgumentException($"Label row {i} has {labels[i]?.Length} labels, not {categories.Count}.", nameof(labels));
            if (features[i]?.Length != Values.Embedder.Dimension) throw new ArgumentException($"Feature row {i} has length {features[i]?.Length}, not {Values.Embedder.Dimension}.", nameof(features));
        }
        for (var c = 0; c < categories.Count; c++)
        {
            var pos = labels.Count(l => l[c]);
            if (pos == 0 || pos == n) throw new ArgumentException($"Category '{categories[c]}' has {pos} positive examples of {n}; training needs both kinds.", nameof(labels));
        }
        if (n < options.Folds) throw new ArgumentException($"{n} examples cannot be split into {options.Folds} folds.", nameof(features));

        var ml = new MLContext(seed: options.Seed);
        // Seeded fold assignment: a shuffled order cut into k nearly equal parts.
        var order = Enumerable.Range(0, n).ToArray();
        new Random(options.Seed).Shuffle(order);
        var fold = new int[n];
        for (var r = 0; r < n; r++) fold[order[r]] = r % options.Folds;

        var thresholds = new double[categories.Count];
        var models = new ITransformer[categories.Count];
        var cvF1 = new double[categories.Count];
        DataViewSchema schema = null!;
        for (var c = 0; c < categories.Count; c++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var oof = new double[n];
            for (var f = 0; f < options.Folds; f++)
            {
                var trainRows = Enumerable.Range(0, n).Where(i => fold[i] != f).ToArray();
                var testRows = Enumerable.Range(0, n).Where(i => fold[i] == f).ToArray();
                if (trainRows.Select(i => labels[i][c]).Distinct().Count() < 2) { foreach (var i in testRows) oof[i] = 0; continue; }
                var model = Fit(ml, View(ml, features, labels, c, trainRows), options);
                var p = Probabilities(ml, model, View(ml, features, labels, c, testRows));
                for (var j = 0; j < testRows.Length; j++) oof[testRows[j]] = p[j];
            }
            var truth = labels.Select(l => l[c]).ToArray();
            (thresholds[c], cvF1[c]) = MultiLabelMetrics.BestThreshold(oof, truth);
            var all = View(ml, features, labels, c, Enumerable.Range(0, n).ToArray());
            schema = all.Schema;
            models[c] = Fit(ml, all, options);
            progress?.Report($"{categories[c]}: threshold {thresholds[c]:0.000}, cross-validated F1 {cvF1[c]:0.000}");
        }
        var summary = $"trained on {n} texts; thresholds by {options.Folds}-fold cross-validation (seed {options.Seed}), cross-validated macro-F1 {cvF1.Average():0.000}; L1 {options.L1}, L2 {options.L2}";
        return new SupervisedValueClassifier(ml, categories.ToArray(), models, thresholds, schema, embedder, summary);
    }

    private static ITransformer Fit(MLContext ml, IDataView data, SupervisedTrainingOptions options) =>
        ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new Microsoft.ML.Trainers.LbfgsLogisticRegressionBinaryTrainer.Options
        {
            L2Regularization = options.L2,
            L1Regularization = options.L1,
            NumberOfThreads = 1, // deterministic
        }).Fit(data);

    private static IDataView View(MLContext ml, IReadOnlyList<float[]> x, IReadOnlyList<bool[]>? y, int c, int[] rows) =>
        ml.Data.LoadFromEnumerable(rows.Select(i => new Row { Features = x[i], Label = y is not null && y[i][c] }).ToArray());

    private static float[] Probabilities(MLContext ml, ITransformer model, IDataView data) =>
        model.Transform(data).GetColumn<float>("Probability").ToArray();

    /// <summary>P(c | x) for each text (rows) and category (columns).</summary>
    public double[][] Probabilities(IReadOnlyList<float[]> features)
    {
        ArgumentNullException.ThrowIfNull(features);
        var rows = Enumerable.Range(0, features.Count).ToArray();
        var view = View(ml, features, null, 0, rows);
        var p = features.Select(_ => new double[Categories.Count]).ToArray();
        for (var c = 0; c < Categories.Count; c++)
        {
            var pc = Probabilities(ml, models[c], view);
            for (var i = 0; i < pc.Length; i++) p[i][c] = pc[i];
        }
        return p;
    }

    /// <summary>Predictions from embeddings: c when P(c | x) ≥ t_c.</summary>
    public bool[][] Predict(IReadOnlyList<float[]> features) =>
        Probabilities(features).Select(r => r.Select((p, c) => p >= Thresholds[c]).ToArray()).ToArray();

    /// <inheritdoc/>
    public bool[][] Predict(IReadOnlyList<string> texts, IProgress<EmbeddingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Predict(Embedder.Embed(texts, progress, cancellationToken));
    }

    private sealed record Manifest(string Format, string EmbeddingModel, string[] Categories, double[] Thresholds, string Summary);

    /// <summary>Saves the model to <paramref name="path"/> (a zip; folders are created; an existing file is replaced).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + "." + Environment.ProcessId + ".tmp";
        using (var zip = ZipFile.Open(tmp, ZipArchiveMode.Create))
        {
            using (var s = zip.CreateEntry("manifest.json").Open())
                JsonSerializer.Serialize(s, new Manifest(Format, Values.Embedder.ModelName, Categories.ToArray(), Thresholds.ToArray(), Summary), new JsonSerializerOptions { WriteIndented = true });
            for (var c = 0; c < models.Length; c++)
            {
                using var buffer = new MemoryStream();
                ml.Model.Save(models[c], schema, buffer);
                using var s = zip.CreateEntry($"category-{c:00}.zip").Open();
                buffer.Position = 0;
                buffer.CopyTo(s);
            }
        }
        File.Move(tmp, full, overwrite: true);
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not such a model, or made for another embedding model; the message names the file.</exception>
    public static SupervisedValueClassifier Load(string path, Embedder? embedder = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Value model not found: {path} (train one with values-train).", path);
        using var zip = ZipFile.OpenRead(path);
        var entry = zip.GetEntry("manifest.json") ?? throw new InvalidDataException($"{path}: not a value model (no manifest.json).");
        Manifest manifest;
        using (var s = entry.Open()) manifest = JsonSerializer.Deserialize<Manifest>(s) ?? throw new InvalidDataException($"{path}: empty manifest.json.");
        if (manifest.Format != Format) throw new InvalidDataException($"{path}: format '{manifest.Format}', expected '{Format}'.");
        if (manifest.EmbeddingModel != Values.Embedder.ModelName) throw new InvalidDataException($"{path}: trained on {manifest.EmbeddingModel} embeddings, not {Values.Embedder.ModelName}.");
        if (manifest.Categories.Length != manifest.Thresholds.Length) throw new InvalidDataException($"{path}: {manifest.Categories.Length} categories but {manifest.Thresholds.Length} thresholds.");
        var ml = new MLContext(seed: 0);
        var models = new ITransformer[manifest.Categories.Length];
        DataViewSchema schema = null!;
        for (var c = 0; c < models.Length; c++)
        {
            var e = zip.GetEntry($"category-{c:00}.zip") ?? throw new InvalidDataException($"{path}: no model for category {c} ({manifest.Categories[c]}).");
            using var buffer = new MemoryStream();
            using (var s = e.Open()) s.CopyTo(buffer);
            buffer.Position = 0;
            models[c] = ml.Model.Load(buffer, out schema);
        }
        return new SupervisedValueClassifier(ml, manifest.Categories, models, manifest.Thresholds, schema, embedder ?? Embedder.Default, manifest.Summary);
    }

    /// <summary>The default model path for a taxonomy file: <c>artifacts/value-models/&lt;taxonomy file name&gt;.zip</c> under <paramref name="root"/>.</summary>
    public static string DefaultPath(string root, string taxonomyPath) =>
        Path.Combine(root, "artifacts", "value-models", Path.GetFileName(taxonomyPath) + ".zip");

    /// <inheritdoc/>
    public override string ToString() => $"SupervisedValueClassifier({Categories.Count} categories; {Summary})";
}
