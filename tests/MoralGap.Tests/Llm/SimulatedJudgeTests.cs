using System.Diagnostics;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Judging;
using MoralGap.Llm;
using Xunit.Abstractions;

namespace MoralGap.Tests.Llm;

public class SimulatedJudgeTests(ITestOutputHelper output)
{
    private static readonly Dilemma D = new("s1", "Borrowed car", "The main actor borrowed a friend's car without asking and returned it with an empty tank.", "test");

    private static string Prompt(Dilemma d, IReadOnlyList<ValueWeight>? profile = null) =>
        string.Join("\n\n", JudgePrompt.Messages(d, profile).Select(m => m.Text));

    private static ChatOptions Sample(long i) => new() { Seed = i, Temperature = 1f };

    private static async Task<List<ParsedAnswer>> Answers(SimulatedJudge judge, Dilemma d, int n, IReadOnlyList<ValueWeight>? profile = null)
    {
        var list = new List<ParsedAnswer>();
        for (var i = 0; i < n; i++)
        {
            var r = await judge.GetResponseAsync(JudgePrompt.Messages(d, profile), Sample(i));
            list.Add(AnswerParser.Parse(r.Text, r.FinishReason?.Value));
        }
        return list;
    }

    [Fact]
    public async Task Answers_are_in_the_prompt_format_seeded_and_labelled_simulated()
    {
        var judge = new SimulatedJudge(_ => 0.5, new SimulatedJudgeOptions(Seed: 3));
        var a = await judge.GetResponseAsync(JudgePrompt.Messages(D), Sample(1));
        var b = await new SimulatedJudge(_ => 0.5, new SimulatedJudgeOptions(Seed: 3)).GetResponseAsync(JudgePrompt.Messages(D), Sample(1));
        Assert.Equal(a.Text, b.Text);
        Assert.Matches(@"^Evaluation: (UN)?ACCEPTABLE\nRationale: .+\.$", a.Text);
        Assert.Equal("simulated-judge", a.ModelId);
        Assert.Equal(true, a.AdditionalProperties!["simulated"]);
        Assert.Equal(OutcomeKind.Ok, AnswerParser.Parse(a.Text).Kind);

        var texts = (await Answers(judge, D, 40)).Select(p => p.Verdict + p.Rationale).ToHashSet();
        Assert.True(texts.Count > 10, "different sample seeds give different answers");
        // Another options seed answers the same prompts and sample indices differently (20 answers, not one that might agree by chance).
        var seed3 = (await Answers(judge, D, 20)).Select(p => p.Verdict + p.Rationale).ToList();
        var seed4 = (await Answers(new SimulatedJudge(_ => 0.5, new SimulatedJudgeOptions(Seed: 4)), D, 20)).Select(p => p.Verdict + p.Rationale).ToList();
        Assert.True(seed3.Zip(seed4).Count(x => x.First != x.Second) >= 10, "another options seed gives other answers");
    }

    [Fact]
    public async Task A_prompt_without_a_dilemma_block_is_not_judged()
    {
        var judge = new SimulatedJudge(_ => 0.9);
        var r = await judge.GetResponseAsync([new ChatMessage(ChatRole.User, "What share of people would find this unacceptable?")]);
        Assert.Equal(OutcomeKind.Unparseable, AnswerParser.Parse(r.Text).Kind);
        Assert.Contains("simulated judge", r.Text);
    }

    [Theory]
    [InlineData(0.7, 1.0)]
    [InlineData(0.7, 3.0)]
    [InlineData(0.3, 3.0)]
    [InlineData(0.7, 0.0)]
    public async Task The_unacceptable_share_follows_the_sharpened_human_share(double humanShare, double gamma)
    {
        var judge = new SimulatedJudge(_ => humanShare, new SimulatedJudgeOptions(MajorityFollowing: gamma));
        const int n = 2000;
        var share = (await Answers(judge, D, n)).Count(p => p.Verdict == Verdict.Unacceptable) / (double)n;
        var expected = 1 / (1 + Math.Exp(-gamma * Math.Log(humanShare / (1 - humanShare))));
        Assert.Equal(expected, judge.ChanceOfUnacceptable(PromptConventions.DilemmaContent(D)), 9);
        Assert.InRange(share, expected - 0.04, expected + 0.04); // binomial s.e. ≤ 0.011
    }

    private static Dictionary<string, int> Mentions(IEnumerable<ParsedAnswer> answers)
    {
        var names = PaperValues.Names.OrderByDescending(n => n.Length).ToArray();
        var counts = new Dictionary<string, int>();
        foreach (var a in answers)
        {
            var text = a.Rationale;
            foreach (var name in names)
            {
                var lower = name.ToLowerInvariant();
                if (!text.Contains(lower, StringComparison.Ordinal)) continue;
                counts[name] = counts.GetValueOrDefault(name) + 1;
                text = text.Replace(lower, "#");
            }
        }
        return counts;
    }

    [Fact]
    public async Task Value_use_is_narrow_like_the_papers_models()
    {
        var judge = new SimulatedJudge(_ => 0.5);
        var counts = Mentions(await Answers(judge, D, 1500));
        var total = counts.Values.Sum();
        var top10 = counts.Values.OrderDescending().Take(10).Sum() / (double)total;
        output.WriteLine($"top-10 coverage {top10:P1} over {total} mentions of {counts.Count} values");
        Assert.InRange(top10, 0.70, 0.90); // paper: 81.6% for LLMs, 35.2% for humans
        Assert.Equal("Respect", counts.MaxBy(kv => kv.Value).Key);

        var flat = Mentions(await Answers(new SimulatedJudge(_ => 0.5, new SimulatedJudgeOptions(ValueZipfExponent: 0)), D, 1500));
        Assert.True(flat.Values.OrderDescending().Take(10).Sum() / (double)flat.Values.Sum() < 0.4, "Zipf exponent 0 spreads mentions evenly");
    }

    [Fact]
    public async Task A_moral_profile_moves_values_toward_it_and_the_verdict_toward_the_human_share()
    {
        var judge = new SimulatedJudge(_ => 0.7);
        ValueWeight[] profile = [new("Loyalty", 0.4), new("Tradition", 0.3), new("Convenience", 0.3)];
        const int n = 1500;
        var plain = await Answers(judge, D, n);
        var guided = await Answers(judge, D, n, profile);
        double Share(List<ParsedAnswer> a) => a.Count(p => p.Verdict == Verdict.Unacceptable) / (double)a.Count;
        int ProfileMentions(List<ParsedAnswer> a) => Mentions(a).Where(kv => kv.Key is "Loyalty" or "Tradition" or "Convenience").Sum(kv => kv.Value);

        Assert.True(ProfileMentions(guided) > 5 * Math.Max(1, ProfileMentions(plain)), $"{ProfileMentions(guided)} vs {ProfileMentions(plain)}");
        var expectedPlain = judge.ChanceOfUnacceptable(PromptConventions.DilemmaContent(D));
        var expectedGuided = judge.ChanceOfUnacceptable(PromptConventions.DilemmaContent(D), withProfile: true);
        Assert.Equal(0.4 * expectedPlain + 0.6 * 0.7, expectedGuided, 9);
        Assert.InRange(Share(plain), expectedPlain - 0.04, expectedPlain + 0.04);
        Assert.InRange(Share(guided), expectedGuided - 0.04, expectedGuided + 0.04);
    }

    [Theory]
    [InlineData("Loyalty 0.40, Tradition 0.30", "Loyalty", 0.4 / 0.7)]
    [InlineData("- Marital Respect (0.50)\n- Respect (0.50)", "Marital Respect", 0.5)]
    [InlineData("Respect for Time: 0.2\nFamily: 0.8", "Family", 0.8)]
    [InlineData("Care 30%, Safety 70%", "Safety", 0.7)]
    public void Profiles_are_read_in_several_notations(string text, string value, double weight)
    {
        var profile = SimulatedJudge.ProfileWeights(text)!;
        Assert.Equal(weight, profile[PaperValues.IndexOf(value)], 9);
        Assert.Equal(1.0, profile.Sum(), 9);
    }

    [Fact]
    public void The_profile_reader_keeps_the_order_and_weights_as_written_and_ignores_the_dilemma_block()
    {
        var read = PromptConventions.ParseProfile("Convenience 30%\n- Loyalty: 0.40\n<dilemma>\nTradition: 0.9\n</dilemma>\nmarital respect (0.5)");
        Assert.Equal([new ValueWeight("Convenience", 0.3), new ValueWeight("Loyalty", 0.4), new ValueWeight("Marital Respect", 0.5)], read);
        Assert.Empty(PromptConventions.ParseProfile("Respect your elders. Family matters. Honesty 250%"));
    }

    [Fact]
    public void No_profile_in_plain_text() => Assert.Null(SimulatedJudge.ProfileWeights("Respect your elders. Family matters."));

    [Fact]
    public void Fitted_on_planted_human_shares_it_ranks_unseen_dilemmas_like_the_plant()
    {
        // Planted truth: cruel stories were judged unacceptable by most people, kind ones by few.
        string[] cruel = ["hit", "insulted", "stole money from", "lied to and humiliated", "abandoned", "screamed at", "mocked", "threatened"];
        string[] kind = ["helped", "comforted", "cooked dinner for", "gave a gift to", "thanked", "supported", "visited", "encouraged"];
        string[] who = ["his sister", "a coworker", "her neighbour", "an old friend", "their son"];
        var dilemmas = new List<Dilemma>();
        var humans = new List<Judgment>();
        var i = 0;
        foreach (var (verbs, p) in new[] { (cruel, 0.85), (kind, 0.1) })
            foreach (var v in verbs.Take(6))
                foreach (var w in who)
                {
                    var d = new Dilemma($"p{i++}", "", $"The main actor {v} {w} yesterday.", "planted");
                    dilemmas.Add(d);
                    for (var k = 0; k < 20; k++) humans.Add(new Judgment(d.Id, "human", "", k < p * 20 ? Verdict.Unacceptable : Verdict.Acceptable, "", k));
                }
        dilemmas.Add(new Dilemma("no-votes", "", "The main actor did nothing.", "planted"));
        var judge = SimulatedJudge.FitFromHumans(dilemmas, humans, new SimulatedJudgeOptions(L2Regularization: 0.01));
        output.WriteLine(judge.Fit!.ToString());
        Assert.Equal(60, judge.Fit.Dilemmas);
        Assert.Equal(1, judge.Fit.SkippedDilemmas);
        Assert.Equal(1200, judge.Fit.Votes);
        Assert.True(judge.Fit.InSampleCorrelation > 0.8);

        var unseenCruel = cruel.Skip(6).Select(v => judge.HumanShare($"The main actor {v} his cousin today.")).ToArray();
        var unseenKind = kind.Skip(6).Select(v => judge.HumanShare($"The main actor {v} his cousin today.")).ToArray();
        output.WriteLine($"unseen cruel p̂ {string.Join(", ", unseenCruel.Select(x => x.ToString("0.00")))}; unseen kind p̂ {string.Join(", ", unseenKind.Select(x => x.ToString("0.00")))}");
        Assert.True(unseenCruel.Min() > unseenKind.Max());
    }

    [SkippableFact]
    public void Fit_on_120_real_AITA_dilemmas_tracks_the_human_share()
    {
        Skip.If(TestPaths.SharedData is null, "../shared/data not present");
        var path = Path.Combine(TestPaths.SharedData!, "aita-2020", "aita-2020-votes.csv");
        Skip.IfNot(File.Exists(path), path + " not present");
        var dilemmas = new List<Dilemma>();
        var humans = new List<Judgment>();
        var shares = new Dictionary<string, double>();
        // TextFieldParser (in the shared framework) reads the quoted multi-line text fields.
        using (var csv = new Microsoft.VisualBasic.FileIO.TextFieldParser(path) { TextFieldType = Microsoft.VisualBasic.FileIO.FieldType.Delimited, HasFieldsEnclosedInQuotes = true })
        {
            csv.SetDelimiters(",");
            var header = csv.ReadFields()!.Select((h, i) => (h, i)).ToDictionary(x => x.h, x => x.i);
            while (!csv.EndOfData && dilemmas.Count < 160)
            {
                var f = csv.ReadFields()!;
                string Get(string name) => f[header[name]];
                var id = Get("post_id");
                int un = int.Parse(Get("n_yta")) + int.Parse(Get("n_esh")), ok = int.Parse(Get("n_nta")) + int.Parse(Get("n_nah"));
                if (un + ok < 5) continue;
                dilemmas.Add(new Dilemma(id, Get("title"), Get("text"), "votes-csv"));
                shares[id] = un / (double)(un + ok);
                for (var k = 0; k < un + ok; k++) humans.Add(new Judgment(id, "human", k < un ? "YTA" : "NTA", k < un ? Verdict.Unacceptable : Verdict.Acceptable, "", k));
            }
        }
        var train = dilemmas.Take(120).ToList();
        var clock = Stopwatch.StartNew();
        var judge = SimulatedJudge.FitFromHumans(train, humans);
        var fitTime = clock.Elapsed;
        var heldOut = dilemmas.Skip(120).ToList();
        var predicted = heldOut.Select(d => judge.HumanShare(d)).ToArray();
        var actual = heldOut.Select(d => shares[d.Id]).ToArray();
        var r = MathNet.Numerics.Statistics.Correlation.Pearson(predicted, actual);
        output.WriteLine($"{judge.Fit}; total fit {fitTime.TotalSeconds:0.0} s; held-out r = {r:0.00} on {heldOut.Count} dilemmas");
        Assert.Equal(120, judge.Fit!.Dilemmas);
        Assert.True(judge.Fit.InSampleCorrelation > 0.5, $"in-sample r {judge.Fit.InSampleCorrelation}");
        Assert.True(judge.Fit.InSampleMeanAbsoluteError < 0.3);
    }
}
