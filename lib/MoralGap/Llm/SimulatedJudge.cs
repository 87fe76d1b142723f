using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using MathNet.Numerics.Distributions;
using MathNet.Numerics.Statistics;
using Microsoft.Extensions.AI;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using MoralGap.Data;

namespace MoralGap.Llm;

/// <summary>Parameters of the <see cref="SimulatedJudge"/>. Every default is our choice: the paper has no simulator.</summary>
/// <param name="Seed">Seed of every random choice (with the prompt hash and the request's seed / sample index).</param>
/// <param name="MajorityFollowing">γ in p′ = σ(γ·logit(p̂)): 1 reproduces the fitted human share, &gt; 1 follows the
/// majority more sharply (as the paper's models do when consensus falls), 0 answers at chance. Default 3.</param>
/// <param name="ValueZipfExponent">s of the Zipf preference over values, w_r ∝ r^−s by rank r in <see cref="ValueOrder"/>:
/// larger is narrower. The default 1.4 puts ≈ 80% of mentions on the top 10 of 59 values (the paper: 81.6% for LLMs).</param>
/// <param name="ValueOrder">Values by preference (names from <see cref="PaperValues.Names"/>); unnamed values follow in
/// table order. Null: <see cref="SimulatedJudge.DefaultValueOrder"/>.</param>
/// <param name="ProfileValueShift">β in w″ = (1 − β)·w + β·profile: how far a moral profile in the prompt moves the
/// value choice toward the profile's values (0–1, default 0.7).</param>
/// <param name="ProfileVerdictShift">s in p″ = (1 − s)·p′ + s·p̂: how far a moral profile moves the verdict chance
/// back toward the fitted human share (0–1, default 0.6).</param>
/// <param name="ElicitationNoise">Standard deviation of the seeded Gaussian noise on the share the judge states when a
/// prompt asks directly "what share of people would find this unacceptable?" (a <c>Share:</c> answer line; default 0.05).</param>
/// <param name="L2Regularization">L2 penalty of the logistic regression fitted by <see cref="SimulatedJudge.FitFromHumans"/> (default 0.05).</param>
/// <param name="CrossFitFolds">K of the cross-fitting in <see cref="SimulatedJudge.FitFromHumans"/>: the dilemmas are split
/// into K seeded folds and the p̂ a fitted dilemma is answered with comes from the regression trained on the other K − 1
/// folds, so the judge never answers from a fit of the very dilemma it is asked about (default 5). 1 = in-sample p̂
/// (the regression has seen the dilemma's own votes; its agreement with people is then partly memorised).</param>
public sealed record SimulatedJudgeOptions(
    int Seed = 0,
    double MajorityFollowing = 3.0,
    double ValueZipfExponent = 1.4,
    IReadOnlyList<string>? ValueOrder = null,
    double ProfileValueShift = 0.7,
    double ProfileVerdictShift = 0.6,
    double L2Regularization = 0.05,
    double ElicitationNoise = 0.05,
    int CrossFitFolds = 5);

/// <summary>How a <see cref="SimulatedJudge"/> was fitted to human judgments.</summary>
/// <param name="Dilemmas">Dilemmas with at least one human verdict, used for the fit.</param>
/// <param name="Votes">Human verdicts used.</param>
/// <param name="SkippedDilemmas">Dilemmas given but without any human verdict (not used; counted, not dropped silently).</param>
/// <param name="InSampleCorrelation">Pearson correlation of the full-data fit's p̂ with the human share p over the fitted dilemmas.</param>
/// <param name="InSampleMeanAbsoluteError">Mean |p̂ − p| of the full-data fit over the fitted dilemmas.</param>
/// <param name="EmbeddingTime">Time to embed the dilemma texts with MiniLM (model load included).</param>
/// <param name="TrainingTime">Time to train the logistic regressions (K folds and the full fit).</param>
/// <param name="Folds">K of the cross-fitting (1: in-sample, the judge answers with the full fit's p̂).</param>
/// <param name="HeldOutCorrelation">Pearson r of the cross-fitted p̂ (each dilemma predicted by the regression that did
/// not see it) with p: what the judge actually answers with; NaN when <paramref name="Folds"/> = 1.</param>
/// <param name="HeldOutMeanAbsoluteError">Mean |p̂ − p| of the cross-fitted p̂; NaN when <paramref name="Folds"/> = 1.</param>
public sealed record SimulatedJudgeFit(int Dilemmas, int Votes, int SkippedDilemmas, double InSampleCorrelation,
    double InSampleMeanAbsoluteError, TimeSpan EmbeddingTime, TimeSpan TrainingTime, int Folds = 1,
    double HeldOutCorrelation = double.NaN, double HeldOutMeanAbsoluteError = double.NaN)
{
    /// <inheritdoc/>
    public override string ToString() =>
        $"simulated judge fitted on {Dilemmas} dilemmas ({Votes} human votes, {SkippedDilemmas} without votes skipped): " +
        (Folds > 1
            ? $"p̂ cross-fitted in {Folds} folds (never fitted on the dilemma it answers): held-out r(p̂, p) = {HeldOutCorrelation:0.00}, " +
              $"mean |p̂ − p| = {HeldOutMeanAbsoluteError:0.000}; in-sample r = {InSampleCorrelation:0.00}, mean |p̂ − p| = {InSampleMeanAbsoluteError:0.000} " +
              "(the full fit, used only for dilemmas outside the fit)"
            : $"in-sample p̂ (Folds = 1: fitted on the dilemmas it answers): r(p̂, p) = {InSampleCorrelation:0.00}, mean |p̂ − p| = {InSampleMeanAbsoluteError:0.000}") +
        " (timings in EmbeddingTime and TrainingTime)";
}

/// <summary>
/// A seeded, offline stand-in for an LLM judge (so every notebook runs without a network; its answers are labelled as simulated): an <see cref="IChatClient"/> that answers the judgment
/// prompt in the same two-line format (<c>Evaluation: …</c> / <c>Rationale: …</c>). It is a teaching model, not a finding;
/// every answer says it is simulated (<see cref="ChatResponse.ModelId"/> = <c>simulated-judge</c> and
/// <c>AdditionalProperties["simulated"] = true</c>).
/// <para>The model, for a prompt holding dilemma d (between <see cref="PromptConventions.DilemmaStart"/> and
/// <see cref="PromptConventions.DilemmaEnd"/>):</para>
/// <list type="number">
/// <item>p̂(d): the human share of UNACCEPTABLE predicted by a logistic regression (ML.NET L-BFGS, L2) on the
/// all-MiniLM-L6-v2 embedding (384-d) of the dilemma's first <see cref="EmbeddedCharacters"/> characters, trained on the human share of each dilemma (each dilemma weighs 1:
/// a positive row of weight p and a negative row of weight 1 − p), cross-fitted: a dilemma of the fit is answered by the
/// regression trained without it. See <see cref="FitFromHumans"/>.</item>
/// <item>Majority following: p′ = σ(γ·logit(p̂)), γ = <see cref="SimulatedJudgeOptions.MajorityFollowing"/>.</item>
/// <item>A moral profile in the prompt (lines like <c>- Loyalty: 0.40</c> or <c>Loyalty (0.40)</c> naming values of
/// <see cref="PaperValues.Names"/>) moves the chance back toward the human share: p″ = (1 − s)·p′ + s·p̂,
/// s = <see cref="SimulatedJudgeOptions.ProfileVerdictShift"/>.</item>
/// <item>The verdict is UNACCEPTABLE with probability p″, drawn from System.Random seeded by
/// (options seed, SHA-256 of the prompt, request seed — the collector sends one per sample index).</item>
/// <item>The rationale names 1–3 values (probabilities 0.3, 0.5, 0.2) drawn without replacement from a Zipf preference
/// w_r ∝ r^−s over <see cref="SimulatedJudgeOptions.ValueOrder"/>, mixed with the profile's weights as
/// (1 − β)·w + β·profile, β = <see cref="SimulatedJudgeOptions.ProfileValueShift"/>, and composed into one sentence.</item>
/// </list>
/// <para>Without a request seed (<see cref="ChatOptions.Seed"/>), successive calls with the same prompt count up a
/// per-prompt sample number, which is deterministic only when the calls are made one after another.</para>
/// </summary>
public sealed class SimulatedJudge : IChatClient
{
    /// <summary>The model id of every simulated answer.</summary>
    public const string ModelIdValue = "simulated-judge";

    /// <summary>
    /// Our default value preference for the simulator (most preferred first): values LLM rationales often name, in the
    /// spirit of the paper's finding that models lean on a few values. The remaining values follow in table order.
    /// </summary>
    public static IReadOnlyList<string> DefaultValueOrder { get; } =
    [
        "Respect", "Communication", "Autonomy", "Responsibility", "Consideration", "Well-being",
        "Compassion", "Integrity", "Family", "Emotional Intelligence", "Justice", "Ethics",
    ];


    private readonly Func<string, double> _humanShare;
    private readonly double[] _valueWeights; // Zipf preference over PaperValues.Names (index = table position)
    private readonly ConcurrentDictionary<string, double> _shareCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _unseededCounters = new(StringComparer.Ordinal);

    /// <summary>
    /// A simulated judge whose human share p̂ comes from <paramref name="humanShare"/> (dilemma content → probability).
    /// Use <see cref="FitFromHumans"/> to fit it from human judgments, or e.g. <c>_ =&gt; 0.5</c> when there are none.
    /// </summary>
    public SimulatedJudge(Func<string, double> humanShare, SimulatedJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(humanShare);
        Options = options ?? new SimulatedJudgeOptions();
        if (double.IsNaN(Options.MajorityFollowing) || Options.MajorityFollowing < 0) throw new ArgumentOutOfRangeException(nameof(options), "MajorityFollowing must be ≥ 0.");
        if (Options.ValueZipfExponent < 0) throw new ArgumentOutOfRangeException(nameof(options), "ValueZipfExponent must be ≥ 0.");
        if (Options.ProfileValueShift is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "ProfileValueShift must be in [0, 1].");
        if (Options.ProfileVerdictShift is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "ProfileVerdictShift must be in [0, 1].");
        _humanShare = humanShare;
        _valueWeights = ZipfWeights(Options.ValueOrder ?? DefaultValueOrder, Options.ValueZipfExponent);
    }

    /// <summary>The parameters.</summary>
    public SimulatedJudgeOptions Options { get; }

    /// <summary>How the judge was fitted (null when built from a given function).</summary>
    public SimulatedJudgeFit? Fit { get; private init; }

    /// <summary>
    /// Fits p̂ (the human share of UNACCEPTABLE) to <paramref name="humanJudgments"/> (author <c>human</c>, verdict not null)
    /// by logistic regression on MiniLM embeddings of each dilemma's <see cref="PromptConventions.DilemmaContent"/>, and
    /// returns a judge built on it. Dilemmas without human verdicts are skipped and counted in <see cref="Fit"/>.
    /// <para><b>Cross-fitted</b> (<see cref="SimulatedJudgeOptions.CrossFitFolds"/> = K, default 5): the fitted dilemmas are
    /// shuffled with the options' seed and dealt into K folds; a fitted dilemma is answered with the p̂ of the regression
    /// trained on the other K − 1 folds, never with one that saw its own votes (a judge fitted on the very dilemma it
    /// answers would agree with people by construction). Any other dilemma is answered by the regression on all of them.
    /// K = 1 answers with the in-sample fit (labelled so in <see cref="Fit"/>).</para>
    /// <para>Measured: on 120 r/AmItheAsshole posts (../shared/data/aita-2020) in-sample r(p̂, p) = 0.94, mean |p̂ − p| = 0.14,
    /// cross-fitted r = 0.23 (mean |p̂ − p| = 0.32), and r ≈ −0.1 on 40 further posts. On the embedded sample (120 dilemmas)
    /// in-sample r = 0.90 but the cross-fitted, held-out r ≈ 0 (|r| &lt; 0.3, asserted by the tests; measured −0.09, mean
    /// |p̂ − p| = 0.32): the sample draws each split independently of the text, so the cross-fitted
    /// judge's verdict chance is close to uninformed, and any agreement with people a chapter shows beyond that would have
    /// been memorised. Embedding dominates the time (MiniLM, ≈ 0.1 s a post on a busy 2-core machine); each regression
    /// about a second.</para>
    /// </summary>
    public static SimulatedJudge FitFromHumans(IEnumerable<Dilemma> dilemmas, IReadOnlyList<Judgment> humanJudgments, SimulatedJudgeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dilemmas);
        ArgumentNullException.ThrowIfNull(humanJudgments);
        options ??= new SimulatedJudgeOptions();
        if (options.CrossFitFolds < 1) throw new ArgumentOutOfRangeException(nameof(options), options.CrossFitFolds, "CrossFitFolds must be ≥ 1 (1 = in-sample).");
        var votes = humanJudgments
            .Where(j => j.Verdict is not null && string.Equals(j.Author, "human", StringComparison.OrdinalIgnoreCase))
            .GroupBy(j => j.DilemmaId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Unacceptable: g.Count(j => j.Verdict == Verdict.Unacceptable), Total: g.Count()), StringComparer.Ordinal);
        var all = dilemmas.ToList();
        var used = all.Where(d => votes.ContainsKey(d.Id)).GroupBy(d => d.Id).Select(g => g.First()).ToList();
        if (used.Count == 0) throw new ArgumentException("No dilemma has a human verdict (author 'human', verdict not null): nothing to fit the simulated judge to.", nameof(humanJudgments));
        var shares = used.Select(d => (double)votes[d.Id].Unacceptable / votes[d.Id].Total).ToArray();
        var texts = used.Select(PromptConventions.DilemmaContent).ToArray();

        var clock = Stopwatch.StartNew();
        var embeddings = Embed(texts);
        var embeddingTime = clock.Elapsed;
        clock.Restart();
        var (weights, bias) = TrainLogistic(embeddings, shares, options);
        var inSample = embeddings.Select(e => Logistic(weights, bias, e)).ToArray();
        var folds = Math.Min(options.CrossFitFolds, used.Count);
        var answered = folds > 1 ? CrossFitted(embeddings, shares, folds, options) : inSample;
        var trainingTime = clock.Elapsed;

        var known = new Dictionary<string, double>(StringComparer.Ordinal);
        for (var i = 0; i < used.Count; i++) known[texts[i]] = answered[i];
        double Share(string content) => known.TryGetValue(content, out var p) ? p : Logistic(weights, bias, Embed([content])[0]);

        return new SimulatedJudge(Share, options)
        {
            Fit = new SimulatedJudgeFit(used.Count, used.Sum(d => votes[d.Id].Total),
                all.Select(d => d.Id).Distinct().Count() - used.Count,
                Pearson(inSample, shares), inSample.Zip(shares, (a, b) => Math.Abs(a - b)).Average(), embeddingTime, trainingTime,
                folds, folds > 1 ? Pearson(answered, shares) : double.NaN,
                folds > 1 ? answered.Zip(shares, (a, b) => Math.Abs(a - b)).Average() : double.NaN),
        };
    }

    private static double[] CrossFitted(float[][] embeddings, double[] shares, int folds, SimulatedJudgeOptions options)
    {
        var fold = CrossFitting.Folds(embeddings.Length, folds, options.Seed);
        var predicted = new double[embeddings.Length];
        for (var f = 0; f < folds; f++)
        {
            var train = Enumerable.Range(0, embeddings.Length).Where(i => fold[i] != f).ToArray();
            var (w, b) = TrainLogistic(train.Select(i => embeddings[i]).ToArray(), train.Select(i => shares[i]).ToArray(), options);
            for (var i = 0; i < embeddings.Length; i++)
                if (fold[i] == f) predicted[i] = Logistic(w, b, embeddings[i]);
        }
        return predicted;
    }

    /// <summary>Name of the null simulator's rows in the chapters (see <see cref="Null"/>).</summary>
    public const string NullName = "null simulator (γ = 1, no profile effect)";

    /// <summary>
    /// The null simulator: the same p̂ (the same function, so the same cross-fitted estimates), γ = 1 (it answers with
    /// chance p̂ itself, no majority following) and no profile effect (β = s = 0: a profile in the prompt changes neither
    /// verdict nor values). A reference row: whatever a chapter measures for this judge comes from p̂'s own error and
    /// binomial sampling alone, so the distance between it and the simulated judge is what γ and the profile shifts build in.
    /// </summary>
    public SimulatedJudge Null() =>
        new(HumanShare, Options with { MajorityFollowing = 1, ProfileValueShift = 0, ProfileVerdictShift = 0 }) { Fit = Fit };

    /// <summary>p̂: the predicted human share of UNACCEPTABLE for a dilemma's content (clamped to [0.001, 0.999]).</summary>
    public double HumanShare(string dilemmaContent) =>
        _shareCache.GetOrAdd(dilemmaContent, c => Math.Clamp(_humanShare(c), 0.001, 0.999));

    /// <summary>p̂ for a dilemma.</summary>
    public double HumanShare(Dilemma dilemma) => HumanShare(PromptConventions.DilemmaContent(dilemma));

    /// <summary>
    /// The simulator's chance of UNACCEPTABLE for a dilemma's content: p′ = σ(γ·logit(p̂)) without a profile,
    /// p″ = (1 − s)·p′ + s·p̂ with one.
    /// </summary>
    public double ChanceOfUnacceptable(string dilemmaContent, bool withProfile = false)
    {
        var p = HumanShare(dilemmaContent);
        var sharpened = 1.0 / (1.0 + Math.Exp(-Options.MajorityFollowing * Math.Log(p / (1 - p))));
        return withProfile ? (1 - Options.ProfileVerdictShift) * sharpened + Options.ProfileVerdictShift * p : sharpened;
    }

    /// <summary>
    /// The value weights of the moral profile in a prompt (<see cref="PromptConventions.ParseProfile"/>), normalised to
    /// sum 1, indexed like <see cref="PaperValues.Names"/>; null when the prompt names no value with a weight.
    /// </summary>
    internal static double[]? ProfileWeights(string prompt)
    {
        var weights = new double[PaperValues.Count];
        foreach (var v in PromptConventions.ParseProfile(prompt)) weights[PaperValues.IndexOf(v.Value)] += v.Weight;
        var sum = weights.Sum();
        if (sum <= 0) return null;
        for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
        return weights;
    }

    /// <summary>
    /// The simulated answer to a prompt: two lines, <c>Evaluation: …</c> and <c>Rationale: …</c>; a prompt without a
    /// dilemma block gets a one-line note instead (which the judgment parser records as unparseable).
    /// </summary>
    public string Answer(string prompt, long? seed)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var split = PromptConventions.SplitDilemma(prompt);
        if (split is null) return "[simulated judge] This prompt holds no <dilemma> block, so the simulated judge has nothing to evaluate.";
        var (content, outside) = split.Value;
        var profile = ProfileWeights(outside);
        var p = ChanceOfUnacceptable(content, profile is not null);

        var promptHash = BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes(prompt)), 0);
        var sample = seed ?? _unseededCounters.AddOrUpdate(prompt, 0, (_, n) => n + 1);
        var random = new Random(Mix(Options.Seed, promptHash, sample));

        if (AsksForShare(outside))
        {
            // Direct elicitation: state the fitted human share p̂ with seeded noise, in the asked-for two lines.
            var noise = Normal.Sample(random, 0, Options.ElicitationNoise);
            var share = Math.Clamp(HumanShare(content) + noise, 0, 1);
            return $"{ShareLabel}: {Math.Round(100 * share):0}%\n{PromptConventions.RationaleLabel}: " +
                   "[simulated] People weigh this differently; the share is the simulated judge's estimate of the human split.";
        }
        var verdict = random.NextDouble() < p ? Verdict.Unacceptable : Verdict.Acceptable;
        var weights = (double[])_valueWeights.Clone();
        if (profile is not null)
            for (var i = 0; i < weights.Length; i++) weights[i] = (1 - Options.ProfileValueShift) * weights[i] + Options.ProfileValueShift * profile[i];
        var u = random.NextDouble();
        var count = u < 0.3 ? 1 : u < 0.8 ? 2 : 3;
        var values = new List<string>();
        for (var k = 0; k < count; k++)
        {
            var i = Draw(weights, random);
            if (i < 0) break;
            values.Add(PaperValues.Names[i].ToLowerInvariant());
            weights[i] = 0;
        }
        return $"{PromptConventions.EvaluationLabel}: {PromptConventions.Word(verdict)}\n{PromptConventions.RationaleLabel}: {Sentence(verdict, values, random)}";
    }

    /// <summary>The answer line of a direct-elicitation prompt (<c>Share: 35%</c>).</summary>
    public const string ShareLabel = "Share";

    /// <summary>True when the instructions outside the dilemma ask for a <c>Share:</c> line (direct elicitation).</summary>
    public static bool AsksForShare(string instructions) =>
        instructions.Split('\n').Any(l => l.TrimStart().StartsWith(ShareLabel + ":", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = string.Join("\n\n", messages.Select(m => m.Text));
        var text = Answer(prompt, options?.Seed);
        var split = PromptConventions.SplitDilemma(prompt);
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = ModelIdValue,
            FinishReason = ChatFinishReason.Stop,
            CreatedAt = DateTimeOffset.UnixEpoch,
            // Token counts are estimates (4 characters a token); the simulator costs nothing.
            Usage = new UsageDetails { InputTokenCount = prompt.Length / 4, OutputTokenCount = text.Length / 4, TotalTokenCount = (prompt.Length + text.Length) / 4 },
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                ["simulated"] = true,
                ["p_unacceptable"] = split is null ? double.NaN : ChanceOfUnacceptable(split.Value.Dilemma, ProfileWeights(split.Value.Outside) is not null),
            },
        };
        return Task.FromResult(response);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("simulated", null, ModelIdValue)
        : serviceType.IsInstanceOfType(this) ? this : null;

    /// <inheritdoc/>
    public void Dispose() { }

    /// <inheritdoc/>
    public override string ToString() =>
        $"simulated judge (γ = {Options.MajorityFollowing}, Zipf s = {Options.ValueZipfExponent}, profile shifts β = {Options.ProfileValueShift}, s = {Options.ProfileVerdictShift}, seed {Options.Seed})" +
        (Fit is null ? "" : "; " + Fit);

    /// <summary>
    /// Characters of a dilemma that are embedded (≈ 120 word pieces: the title and the opening, where the situation is set out). all-MiniLM-L6-v2 was trained on sequences of at most
    /// 256 word pieces, and long posts cost time superlinear in their length (measured, 120 AITA posts: 2.5 s CPU at 100 characters, 6.9 s at 400, 20 s at 1,200).
    /// </summary>
    public const int EmbeddedCharacters = 512;

    internal static float[][] Embed(string[] texts)
    {
        var cut = texts.Select(t => t.Length <= EmbeddedCharacters ? t : t[..EmbeddedCharacters]).ToArray();
        return MiniLm.Encode(cut);
    }

    private static string Sentence(Verdict verdict, List<string> values, Random random)
    {
        var list = values.Count switch
        {
            0 => "the people involved",
            1 => values[0],
            _ => string.Join(", ", values.Take(values.Count - 1)) + " and " + values[^1],
        };
        string[] templates = verdict == Verdict.Unacceptable
            ? [$"The main actor's behaviour is unacceptable because it disregards {list}.",
               $"By acting this way the main actor failed to honour {list}, which makes it wrong.",
               $"This falls short of {list}; the main actor should have acted differently."]
            : [$"The main actor's behaviour is acceptable because it upholds {list}.",
               $"The main actor acted reasonably, guided by {list}.",
               $"Given {list}, the main actor's choice is justified."];
        return templates[random.Next(templates.Length)];
    }

    private static int Draw(double[] weights, Random random)
    {
        var total = weights.Sum();
        if (total <= 0) return -1;
        var u = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            u -= weights[i];
            if (u < 0 && weights[i] > 0) return i;
        }
        for (var i = weights.Length - 1; i >= 0; i--) if (weights[i] > 0) return i;
        return -1;
    }

    private static double[] ZipfWeights(IReadOnlyList<string> order, double exponent)
    {
        var ranked = new List<int>();
        foreach (var name in order)
        {
            if (string.IsNullOrWhiteSpace(name)) continue;
            var i = PaperValues.IndexOf(name);
            if (i < 0) throw new ArgumentException($"ValueOrder names '{name}', which is not one of the paper's 59 values (PaperValues.Names).", nameof(order));
            if (!ranked.Contains(i)) ranked.Add(i);
        }
        for (var i = 0; i < PaperValues.Count; i++) if (!ranked.Contains(i)) ranked.Add(i);
        var weights = new double[PaperValues.Count];
        for (var r = 0; r < ranked.Count; r++) weights[ranked[r]] = Math.Pow(r + 1, -exponent);
        var sum = weights.Sum();
        for (var i = 0; i < weights.Length; i++) weights[i] /= sum;
        return weights;
    }

    // Pearson r through MathNet's Correlation.Pearson, as Alignment.PearsonR computes it (that one lives in the later
    // Judging stage and demands 3 dilemmas; the fit reports NaN for a single dilemma instead of failing).
    private static double Pearson(double[] fitted, double[] shares) =>
        fitted.Length < 2 ? double.NaN : Correlation.Pearson(fitted, shares);

    private static int Mix(long a, long b, long c)
    {
        // SplitMix64 finaliser over the three inputs: a well-spread 32-bit seed for System.Random.
        ulong z = (ulong)a * 0x9E3779B97F4A7C15UL ^ (ulong)b ^ (ulong)c * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }

    private static double Logistic(float[] weights, float bias, float[] x)
    {
        double score = bias;
        for (var i = 0; i < weights.Length; i++) score += weights[i] * x[i];
        return 1.0 / (1.0 + Math.Exp(-score));
    }

    private static (float[] Weights, float Bias) TrainLogistic(float[][] embeddings, double[] shares, SimulatedJudgeOptions options)
    {
        var dimension = embeddings[0].Length;
        var rows = new List<TrainingRow>();
        for (var i = 0; i < embeddings.Length; i++)
        {
            if (shares[i] > 0) rows.Add(new TrainingRow { Features = embeddings[i], Label = true, Weight = (float)shares[i] });
            if (shares[i] < 1) rows.Add(new TrainingRow { Features = embeddings[i], Label = false, Weight = (float)(1 - shares[i]) });
        }
        if (rows.All(r => r.Label) || rows.All(r => !r.Label))
        {
            // One class only (every dilemma unanimous the same way): the regression is undefined; predict the mean.
            var mean = Math.Clamp(shares.Average(), 0.001, 0.999);
            return (new float[dimension], (float)Math.Log(mean / (1 - mean)));
        }
        var ml = new MLContext(seed: options.Seed);
        var schema = SchemaDefinition.Create(typeof(TrainingRow));
        schema[nameof(TrainingRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var trainer = ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = nameof(TrainingRow.Label),
            FeatureColumnName = nameof(TrainingRow.Features),
            ExampleWeightColumnName = nameof(TrainingRow.Weight),
            L2Regularization = (float)options.L2Regularization,
            L1Regularization = 0,
            NumberOfThreads = 1,
            Quiet = true,
        });
        var model = trainer.Fit(data).Model.SubModel;
        return (model.Weights.ToArray(), model.Bias);
    }

    private sealed class TrainingRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
        public float Weight { get; set; }
    }
}
