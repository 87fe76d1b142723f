using System.Text.Json;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Random;
using MoralGap.Values;

namespace MoralGap.Data;

/// <summary>A topic of the embedded sample and the values it concentrates its Dirichlet prior on.</summary>
/// <param name="Name">Topic name (e.g. <c>family</c>).</param>
/// <param name="Featured">The values the topic's α is concentrated on, most relevant first.</param>
public sealed record SampleTopic(string Name, IReadOnlyList<string> Featured);

/// <summary>
/// Parameters of the generative model of the embedded sample (see <see cref="SampleGenerator"/>). The defaults made
/// the committed <c>data/sample</c>; change them to study how the metrics respond.
/// </summary>
public sealed record SampleModel
{
    /// <summary>Human judgments per dilemma (paper: 32).</summary>
    public int JudgmentsPerDilemma { get; init; } = 32;
    /// <summary>α of every value not featured by the topic (keeps every value possible, rarely).</summary>
    public double BaseAlpha { get; init; } = 0.03;
    /// <summary>α of the topic's first <see cref="LeadingValues"/> featured values.</summary>
    public double LeadingAlpha { get; init; } = 3.0;
    /// <summary>α of the topic's other featured values.</summary>
    public double FeaturedAlpha { get; init; } = 1.2;
    /// <summary>How many featured values get <see cref="LeadingAlpha"/>.</summary>
    public int LeadingValues { get; init; } = 3;
    /// <summary>
    /// κ: factor on the weight of the values whose per-dilemma lean agrees with the judgment's verdict. Default 1 (no
    /// tilt): people of a dilemma then name values from its profile θ_d alone, which is what the Dirichlet-multinomial
    /// fit of chapter 07 assumes; with κ ≠ 1 the values named also depend on the verdict and that fit is biased.
    /// </summary>
    public double LeanBoost { get; init; } = 1.0;
    /// <summary>Probabilities of naming 1, 2 or 3 values in a rationale.</summary>
    public IReadOnlyList<double> ValuesPerJudgment { get; init; } = [0.3, 0.45, 0.25];
    /// <summary>Share of UNACCEPTABLE verdicts worded ESH rather than YTA (and of ACCEPTABLE worded NAH rather than NTA).</summary>
    public double SoftLabelShare { get; init; } = 0.2;
    /// <summary>Width of the consensus bins the true p is spread over.</summary>
    public double BinWidth { get; init; } = ConsensusBins.DefaultWidth;
    /// <summary>Share of top-bin dilemmas whose true consensus is exactly 1 (unanimous in expectation).</summary>
    public double UnanimousShare { get; init; } = 0.3;

    /// <summary>The eight topics of the sample and their featured values (our choice; the paper's topics are unknown).</summary>
    public IReadOnlyList<SampleTopic> Topics { get; init; } =
    [
        new("family", ["Family", "Parental Responsibility", "Respect", "Harmony", "Autonomy", "Child Welfare", "Tradition", "Privacy"]),
        new("friendship", ["Friendship", "Loyalty", "Integrity", "Communication", "Forgiveness", "Consideration", "Respect", "Ethics"]),
        new("work", ["Responsibility", "Justice", "Solidarity", "Integrity", "Respect", "Efficiency", "Stability", "Ethics"]),
        new("money", ["Justice", "Property", "Responsibility", "Self-Reliance", "Stability", "Pragmatism", "Ethics", "Appreciation"]),
        new("roommates", ["Consideration", "Tranquility", "Property", "Respect", "Privacy", "Community", "Communication", "Responsibility"]),
        new("weddings", ["Tradition", "Happiness", "Respect", "Inclusivity", "Marital Respect", "Enjoyment", "Autonomy", "Thoughtfulness"]),
        new("pets", ["Animal Welfare", "Responsibility", "Safety", "Care", "Compassion", "Property", "Consideration", "Child Welfare"]),
        new("online", ["Privacy", "Autonomy", "Respect", "Integrity", "Freedom", "Communication", "Parental Responsibility", "Loyalty"]),
    ];

    /// <summary>α of a topic over <see cref="PaperValues.Names"/>.</summary>
    public double[] AlphaOf(SampleTopic topic)
    {
        var a = Enumerable.Repeat(BaseAlpha, PaperValues.Count).ToArray();
        for (var k = 0; k < topic.Featured.Count; k++)
        {
            var i = PaperValues.IndexOf(topic.Featured[k]);
            if (i < 0) throw new ArgumentException($"Topic '{topic.Name}' features '{topic.Featured[k]}', which is not one of the paper's values.");
            a[i] = k < LeadingValues ? LeadingAlpha : FeaturedAlpha;
        }
        return a;
    }
}

/// <summary>The planted truth of one judgment of the sample.</summary>
/// <param name="DilemmaId">Dilemma.</param>
/// <param name="SampleIndex">Index among the dilemma's human judgments.</param>
/// <param name="Verdict">The drawn verdict.</param>
/// <param name="Values">The values named in the rationale, in order.</param>
/// <param name="Theta">θ_d of those values (the dilemma's profile, rounded to 4 decimals).</param>
public sealed record PlantedJudgment(string DilemmaId, int SampleIndex, Verdict Verdict, IReadOnlyList<string> Values, IReadOnlyList<double> Theta);

/// <summary>The planted truth of one dilemma of the sample.</summary>
/// <param name="Id">Dilemma id.</param>
/// <param name="Topic">Its topic.</param>
/// <param name="P">True probability of an UNACCEPTABLE verdict.</param>
/// <param name="TargetBin">The consensus bin the true consensus max(p, 1 − p) was drawn in.</param>
/// <param name="Lean">Per value (in <see cref="PaperValues.Names"/> order) 'U' when it leans UNACCEPTABLE on this dilemma, 'A' otherwise.</param>
/// <param name="Theta">The dilemma's value profile θ_d ~ Dirichlet(α_topic) over <see cref="PaperValues.Names"/> (rounded to 4 decimals).</param>
public sealed record PlantedDilemma(string Id, string Topic, double P, int TargetBin, string Lean, IReadOnlyList<double>? Theta = null);

/// <summary>A topic's prior as planted.</summary>
/// <param name="Name">Topic.</param>
/// <param name="Featured">Featured values.</param>
/// <param name="Alpha">α over <see cref="PaperValues.Names"/>.</param>
public sealed record PlantedTopic(string Name, IReadOnlyList<string> Featured, IReadOnlyList<double> Alpha);

/// <summary>Everything the sample was drawn from (saved as <c>data/sample/truth.json</c>).</summary>
/// <param name="Seed">The seed.</param>
/// <param name="Model">The model parameters.</param>
/// <param name="Values">The value names, the index order of every α and lean.</param>
/// <param name="Topics">Topic priors.</param>
/// <param name="Dilemmas">Per-dilemma truth.</param>
/// <param name="Judgments">Per-judgment truth.</param>
public sealed record SampleTruth(int Seed, SampleModel Model, IReadOnlyList<string> Values, IReadOnlyList<PlantedTopic> Topics,
    IReadOnlyList<PlantedDilemma> Dilemmas, IReadOnlyList<PlantedJudgment> Judgments)
{
    /// <summary>File name beside the dataset.</summary>
    public const string FileName = "truth.json";

    /// <summary>Reads <c>folder/truth.json</c>.</summary>
    public static SampleTruth Load(string? folder = null)
    {
        var path = Path.Combine(folder ?? DilemmaDataset.FindRepoFolder(Path.Combine("data", "sample")), FileName);
        try { return JsonSerializer.Deserialize<SampleTruth>(File.ReadAllText(path, TextLines.StrictUtf8), JsonlStore.Options)!; }
        catch (JsonException ex) { throw new DataFormatException(path, (ex.LineNumber ?? 0) + 1, JsonlStore.FieldOf(ex.Path), ex.Message, ex); }
    }
}

/// <summary>The generated sample: the dataset and its planted truth.</summary>
/// <param name="Dataset">Dilemmas and human judgments with rationales.</param>
/// <param name="Truth">The parameters they were drawn from.</param>
public sealed record GeneratedSample(DilemmaDataset Dataset, SampleTruth Truth)
{
    /// <summary>Writes the dataset folder and <c>truth.json</c> (byte-identical for the same seed, model and sources).</summary>
    public void Write(string folder)
    {
        Dataset.Save(folder);
        var json = JsonSerializer.Serialize(Truth, new JsonSerializerOptions(JsonlStore.Options) { WriteIndented = true });
        JsonlStore.WriteAllTextAtomic(Path.Combine(folder, SampleTruth.FileName), json.Replace("\r\n", "\n") + "\n");
    }
}

/// <summary>
/// Generates the embedded sample: original dilemmas written for this project (<c>data/sample-source/dilemmas.tsv</c>,
/// topic, title, text) with human-like judgments and rationales drawn from a documented generative model. It is a
/// teaching model with a known truth, not data about people. The model, for topic t with prior α_t over the 59 values
/// of the paper (<see cref="SampleModel.AlphaOf"/>: <see cref="SampleModel.BaseAlpha"/> everywhere, more on the
/// topic's featured values):
/// <list type="number">
/// <item>Per dilemma d: a target consensus bin b (dilemmas are dealt over the bins in a seeded shuffled order, so every
/// bin from 0.5 to 1.0 is covered), a true consensus c ~ Uniform(bin b) (or exactly 1 for a share of the top bin),
/// a majority direction with probability 1/2 each, so p_d = c or 1 − c; per value v a lean ℓ_dv ∈ {A, U} ~ Bernoulli(1/2);
/// and the dilemma's value profile θ_d ~ Dirichlet(α_t): the values this dilemma brings to people's minds.</item>
/// <item>Per judgment: verdict y ~ Bernoulli(p_d) (UNACCEPTABLE = 1); k ∈ {1, 2, 3} values named, drawn without
/// replacement with weights θ_dv·w_v, w_v = κ (<see cref="SampleModel.LeanBoost"/>, default 1: no tilt) when ℓ_dv agrees
/// with y and 1 otherwise. The profile is per dilemma, not per person: a person's 1–3 distinct values drawn from a θ of
/// their own would say nothing about α₀ (their set's probability Π α_v/(α₀ − Σ earlier α) does not change when α is
/// scaled), whereas the 32 people of a dilemma sharing θ_d show how much dilemmas of a topic differ, which is α₀.</item>
/// <item>Rationale: the raw label (YTA or, for a share, ESH when y = UNACCEPTABLE; NTA or NAH otherwise), then one
/// clause per named value built from one of its phrasings in the value lexicon (<see cref="ValueLexicon"/>), e.g.
/// "NTA — keeping your word matters most here. There is also peace and quiet at home to think about."</item>
/// </list>
/// Randomness: one MathNet <see cref="MersenneTwister"/>(seed), used in a fixed order; MathNet's Dirichlet sampler draws
/// Gamma(α_v, 1) variates from that source and normalises, so a seed gives the same sample on every run
/// (numbers in truth.json are rounded to 4 decimals).
/// </summary>
public static class SampleGenerator
{
    /// <summary>The seed of the committed sample.</summary>
    public const int DefaultSeed = 17216;

    /// <summary>Source of the dilemmas inside the repository.</summary>
    public static string SourceRelativePath { get; } = Path.Combine("data", "sample-source", "dilemmas.tsv");

    static readonly string[] Openers =
    [
        "{0} — {1} matters most here.",
        "{0} because this is about {1}.",
        "{0}. It comes down to {1}.",
        "{0}. For me the key thing is {1}.",
        "{0}. What I keep coming back to is {1}.",
    ];

    static readonly string[] Continuations =
    [
        "There is also {0} to think about.",
        "On top of that, {0} counts for a lot.",
        "I'd also point to {0}.",
        "And {0} is part of it too.",
    ];

    /// <summary>
    /// Draws the sample from a seed. Sources default to the repository's <c>data/sample-source/dilemmas.tsv</c> and
    /// <c>data/value-lexicon.tsv</c>.
    /// </summary>
    public static GeneratedSample Generate(int seed = DefaultSeed, SampleModel? model = null, string? dilemmasTsv = null, string? lexiconTsv = null)
    {
        model ??= new SampleModel();
        if (model.JudgmentsPerDilemma < 1) throw new ArgumentOutOfRangeException(nameof(model), "JudgmentsPerDilemma must be at least 1.");
        if (model.ValuesPerJudgment.Count is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(model), "ValuesPerJudgment needs 1 to 3 probabilities.");
        var sources = ReadSource(dilemmasTsv ?? DilemmaDataset.FindRepoFolder(SourceRelativePath));
        var phrases = ValueLexicon.Load(lexiconTsv, requireAllValues: true).ByValue();
        var topics = model.Topics.ToDictionary(t => t.Name);
        foreach (var s in sources)
            if (!topics.ContainsKey(s.Topic))
                throw new DataFormatException(dilemmasTsv ?? SourceRelativePath, s.Line, "topic", $"unknown topic '{s.Topic}' (model topics: {string.Join(", ", topics.Keys)})");
        var alphas = model.Topics.ToDictionary(t => t.Name, model.AlphaOf);
        var rng = new MersenneTwister(seed, threadSafe: false);
        var nBins = ConsensusBins.Count(model.BinWidth);

        // Dilemma-level truth: a seeded deal of the dilemmas over the bins, then c, direction and leans.
        var order = Enumerable.Range(0, sources.Count).ToArray();
        for (var i = order.Length - 1; i > 0; i--) { var j = rng.Next(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        var targetBin = new int[sources.Count];
        for (var r = 0; r < order.Length; r++) targetBin[order[r]] = r % nBins;

        var dilemmas = new List<Dilemma>();
        var plantedD = new List<PlantedDilemma>();
        var judgments = new List<Judgment>();
        var plantedJ = new List<PlantedJudgment>();
        for (var d = 0; d < sources.Count; d++)
        {
            var src = sources[d];
            var id = $"s{d + 1:000}";
            var b = targetBin[d];
            var lo = 0.5 + b * model.BinWidth;
            var hi = Math.Min(1.0, lo + model.BinWidth);
            var c = b == nBins - 1 && rng.NextDouble() < model.UnanimousShare ? 1.0 : lo + (hi - lo) * rng.NextDouble();
            var p = Math.Round(rng.NextDouble() < 0.5 ? c : 1 - c, 4);
            var lean = new char[PaperValues.Count];
            for (var v = 0; v < lean.Length; v++) lean[v] = rng.NextDouble() < 0.5 ? 'U' : 'A';
            var alpha = alphas[src.Topic];
            var profile = Dirichlet.Sample(rng, alpha);
            dilemmas.Add(new Dilemma(id, src.Title, src.Text, "sample", src.Topic));
            plantedD.Add(new PlantedDilemma(id, src.Topic, p, b, new string(lean), profile.Select(x => Math.Round(x, 4)).ToArray()));

            for (var s = 0; s < model.JudgmentsPerDilemma; s++)
            {
                var y = rng.NextDouble() < p ? Verdict.Unacceptable : Verdict.Acceptable;
                var yc = y == Verdict.Unacceptable ? 'U' : 'A';
                var weights = new double[alpha.Length];
                for (var v = 0; v < weights.Length; v++) weights[v] = lean[v] == yc ? profile[v] * model.LeanBoost : profile[v];
                var k = 1 + Categorical.Sample(rng, model.ValuesPerJudgment.ToArray());
                var named = DrawWithoutReplacement(rng, weights, k);
                var soft = rng.NextDouble() < model.SoftLabelShare;
                var label = y == Verdict.Unacceptable ? (soft ? "ESH" : "YTA") : (soft ? "NAH" : "NTA");
                var clauses = new List<string>();
                for (var n = 0; n < named.Length; n++)
                {
                    var options = phrases[named[n]];
                    var phrase = options[rng.Next(options.Length)];
                    clauses.Add(n == 0
                        ? string.Format(Openers[rng.Next(Openers.Length)], label, phrase)
                        : string.Format(Continuations[rng.Next(Continuations.Length)], phrase));
                }
                judgments.Add(new Judgment(id, DilemmaDataset.Human, label, y, Capitalize(string.Join(" ", clauses)), s));
                plantedJ.Add(new PlantedJudgment(id, s, y, named.Select(v => PaperValues.Names[v]).ToArray(), named.Select(v => Math.Round(profile[v], 4)).ToArray()));
            }
        }
        var truth = new SampleTruth(seed, model, PaperValues.Names,
            model.Topics.Select(t => new PlantedTopic(t.Name, t.Featured, alphas[t.Name])).ToArray(), plantedD, plantedJ);
        var dataset = new DilemmaDataset(dilemmas, judgments, "sample",
            $"Embedded sample: {dilemmas.Count} original dilemmas written for MoralNotebooks, {model.JudgmentsPerDilemma} simulated human judgments each, "
            + $"drawn by MoralGap.Data.SampleGenerator with seed {seed} (true parameters in truth.json; not data about real people).");
        return new GeneratedSample(dataset, truth);
    }

    /// <summary>Regenerates the committed sample into <paramref name="folder"/> (default: the repository's data/sample).</summary>
    public static GeneratedSample WriteSample(string? folder = null, int seed = DefaultSeed)
    {
        var sample = Generate(seed);
        sample.Write(folder ?? Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(DilemmaDataset.FindRepoFolder(SourceRelativePath))!)!, "sample"));
        return sample;
    }

    private static int[] DrawWithoutReplacement(System.Random rng, double[] weights, int k)
    {
        var w = (double[])weights.Clone();
        var chosen = new List<int>();
        for (var n = 0; n < k; n++)
        {
            var total = w.Sum();
            if (total <= 0) break;
            var u = rng.NextDouble() * total;
            var i = 0;
            for (; i < w.Length - 1; i++) { u -= w[i]; if (u < 0) break; }
            while (w[i] <= 0) i--; // rounding at the end: step back to a value with weight
            chosen.Add(i);
            w[i] = 0;
        }
        return chosen.ToArray();
    }

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];

    private sealed record SourceDilemma(long Line, string Topic, string Title, string Text);

    private static List<SourceDilemma> ReadSource(string path)
    {
        var list = new List<SourceDilemma>();
        var header = false;
        foreach (var (line, text) in TextLines.ReadLines(path))
        {
            var cols = text.Split('\t');
            if (!header)
            {
                if (cols.Length != 3 || cols[0] != "topic" || cols[1] != "title" || cols[2] != "text")
                    throw new DataFormatException(path, line, null, "expected the header 'topic<TAB>title<TAB>text'");
                header = true;
                continue;
            }
            if (cols.Length != 3) throw new DataFormatException(path, line, null, $"expected 3 tab-separated fields, found {cols.Length}");
            if (cols[2].Trim().Length == 0) throw new DataFormatException(path, line, "text", "empty text");
            list.Add(new SourceDilemma(line, cols[0].Trim(), cols[1].Trim(), cols[2].Trim()));
        }
        if (list.Count == 0) throw new DataFormatException(path, 0, null, "no dilemmas");
        return list;
    }
}
