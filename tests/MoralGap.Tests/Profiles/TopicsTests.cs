using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

public class TopicsTests
{
    private const int Dim = 384;

    /// <summary>8 Gaussian blobs (15 points each) around random unit centres in 384-d, each point L2-normalised.</summary>
    private static (float[][] X, int[] Truth, float[][] Centres) Blobs(int seed, int perBlob = 15, int blobs = 8, double sigma = 0.04)
    {
        var rng = new Random(seed);
        double Gauss() => MathNet.Numerics.Distributions.Normal.Sample(rng, 0, 1);
        float[] Unit(double[] v) { var n = Math.Sqrt(v.Sum(a => a * a)); return v.Select(a => (float)(a / n)).ToArray(); }
        var centres = Enumerable.Range(0, blobs).Select(_ => Unit(Enumerable.Range(0, Dim).Select(_ => Gauss()).ToArray())).ToArray();
        var x = new List<float[]>();
        var truth = new List<int>();
        // Interleave blobs so order does not reveal membership.
        for (var i = 0; i < perBlob; i++)
            for (var b = 0; b < blobs; b++)
            {
                x.Add(Unit(centres[b].Select(c => c + sigma * Gauss()).ToArray()));
                truth.Add(b);
            }
        return (x.ToArray(), truth.ToArray(), centres);
    }

    private static readonly string[] Names = Topics.Everyday.Select(t => t.Name).ToArray();

    [Fact]
    public void KMeans_RecoversPlantedBlobs_WithAriAbove09_AndNamesClustersAfterNearestDescription()
    {
        var (x, truth, centres) = Blobs(seed: 7);
        // Topic "descriptions" placed near the blob centres, in shuffled order, so naming must find them.
        var order = new[] { 3, 0, 6, 1, 7, 2, 5, 4 };
        var rng = new Random(99);
        var topicEmb = order.Select(b => centres[b].Select(c => (float)(c + 0.02 * (rng.NextDouble() - 0.5))).ToArray()).ToArray();
        var topicNames = order.Select(b => Names[b]).ToArray();

        var a = Topics.KMeans(x, k: 8, seed: 1, topicNames, topicEmb);

        var planted = truth.Select(t => Names[t]).ToArray();
        var report = Topics.CompareWithPlanted(a, planted);
        Assert.True(report.AdjustedRandIndex > 0.9, report.ToString());
        Assert.True(report.MatchedAccuracy > 0.95, report.ToString());
        // Names: every dilemma's cluster name equals its planted topic.
        var nameAccuracy = a.LabelNames.Zip(planted).Count(p => p.First == p.Second) / (double)planted.Length;
        Assert.True(nameAccuracy > 0.95, $"name accuracy {nameAccuracy:P1}\n{report}");
        Assert.Equal(8, a.Names.Distinct().Count());
    }

    [Fact]
    public void KMeans_IsDeterministicPerSeed_AndKIsRespected()
    {
        var (x, _, _) = Blobs(seed: 3, perBlob: 6);
        var a = Topics.KMeans(x, k: 5, seed: 11, restarts: 2);
        var b = Topics.KMeans(x, k: 5, seed: 11, restarts: 2);
        Assert.Equal(a.Labels, b.Labels);
        Assert.True(a.Names.Count <= 5);
        Assert.All(a.Names, n => Assert.StartsWith("cluster-", n));
        Assert.Throws<ArgumentOutOfRangeException>(() => Topics.KMeans(x, k: 0, seed: 1));
    }

    [Fact]
    public void ZeroShot_WithDescriptionsNearBlobCentres_RecoversPlantedTopics()
    {
        var (x, truth, centres) = Blobs(seed: 21);
        var rng = new Random(5);
        var topicEmb = centres.Select(c => c.Select(v => (float)(v + 0.03 * (rng.NextDouble() - 0.5))).ToArray()).ToArray();
        var a = Topics.ZeroShot(x, Names, topicEmb);
        var report = Topics.CompareWithPlanted(a, truth.Select(t => Names[t]).ToArray());
        Assert.True(report.MatchedAccuracy > 0.99, report.ToString());
        Assert.True(report.AdjustedRandIndex > 0.95, report.ToString());
        Assert.Equal(truth.Select(t => Names[t]), a.LabelNames);
    }

    [Fact]
    public void ZeroShot_WithUnrelatedDescriptions_DoesNotRecoverTopics()
    {
        // The check above must be able to fail: random description vectors give chance-level agreement.
        var (x, truth, _) = Blobs(seed: 21);
        var (_, _, otherCentres) = Blobs(seed: 500, perBlob: 1);
        var a = Topics.ZeroShot(x, Names, otherCentres);
        var report = Topics.CompareWithPlanted(a, truth.Select(t => Names[t]).ToArray());
        Assert.True(report.MatchedAccuracy < 0.5, report.ToString());
    }

    [Theory]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 1 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 1, 1, 0, 0 }, 1.0)]
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 0, 1, 2 }, 4.0 / 7.0)]   // scikit-learn docs: 0.57…
    [InlineData(new[] { 0, 0, 1, 1 }, new[] { 0, 1, 0, 1 }, -0.5)]
    [InlineData(new[] { 0, 0, 0, 0 }, new[] { 0, 1, 2, 3 }, 0.0)]
    public void AdjustedRandIndex_MatchesKnownValues(int[] a, int[] b, double expected) =>
        Assert.Equal(expected, TopicAgreement.AdjustedRandIndex(a, b), 12);

    [Fact]
    public void BestMatching_FindsTheOptimumWhereGreedyFails()
    {
        // Greedy would match row 0 → col 0 (10) and then row 1 → col 1 (1): total 11. Optimum: 9 + 8 = 17.
        int[][] t = [[10, 9], [8, 1]];
        Assert.Equal([1, 0], TopicAgreement.BestMatching(t));
        // Rectangular: 3 rows, 2 columns → one row unmatched.
        int[][] r = [[5, 0], [0, 5], [4, 4]];
        Assert.Equal([0, 1, -1], TopicAgreement.BestMatching(r));
        var rep = TopicAgreement.Compare(["a", "a", "b", "b", "c"], ["x", "x", "y", "y", "y"]);
        Assert.Equal(4.0 / 5.0, rep.MatchedAccuracy, 12);
        Assert.Equal(5, rep.Count);
    }

    [Theory]
    [InlineData("Topic: Pets", "pets")]
    [InlineData("**Topic:** money", "money")]
    [InlineData("topic - 3", "work")]
    [InlineData("I think this is mainly about my roommates and neighbours.", "roommates")]
    [InlineData("Topic: family or friendship", null)]
    [InlineData("No idea.", null)]
    public void LlmTopicParser_IsTolerant(string answer, string? expected)
    {
        var i = TopicsLlm.ParseAnswer(answer, Topics.Everyday);
        Assert.Equal(expected, i is null ? null : Topics.Everyday[i.Value].Name);
    }

    [Fact]
    public async Task LlmAssignment_ParsesAnswersAndCountsUnparseable()
    {
        var dilemmas = new[]
        {
            new Dilemma("a", "A", "My dog barked at the neighbour's cat.", "test", "pets"),
            new Dilemma("b", "B", "I refused to pay for my friend's dinner.", "test", "money"),
        };
        var client = new TopicFake();
        var (assignment, bad, raw) = await TopicsLlm.AssignAsync(client, dilemmas, Topics.Everyday);
        Assert.Equal(["pets", "(none)"], assignment.LabelNames);
        Assert.Equal(1, bad);
        Assert.Equal(2, raw.Length);
        var report = Topics.CompareWithPlanted(assignment, dilemmas.Select(d => d.Topic!).ToArray());
        Assert.Equal(0.5, report.MatchedAccuracy, 12);
    }

    private sealed class TopicFake : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = string.Join("\n", messages.Select(m => m.Text));
            var answer = prompt.Contains("barked") ? "Topic: pets & animals" : "It is hard to say.";
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
