using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Profiles;
using MoralGap.Tests.Llm;
using static MoralGap.Tests.Judging.JudgingTestData;

namespace MoralGap.Tests.Profiles;

/// <summary>The LLM topic method over real HTTP through the cached client: a rerun asks nothing and assigns the same topics.</summary>
public class TopicsLlmHttpTests
{
    [Fact]
    public async Task A_second_assignment_makes_no_request_and_gives_the_same_topics()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        using var server = new FakeOpenAIServer(r =>
            r.Authorization != "Bearer " + canary ? new FakeReply.Error(401)
            : new FakeReply.Answer(r.UserText.Contains("barked") ? "Topic: pets" : r.UserText.Contains("dinner") ? "**Topic:** money" : "Hard to say, really."));
        Dilemma[] dilemmas =
        [
            new("a", "A", "My dog barked at the neighbour's cat all night.", "test", "pets"),
            new("b", "B", "I refused to pay for my friend's dinner.", "test", "money"),
            new("c", "C", "I did something and people were upset.", "test", "work"),
        ];
        var folder = TempFolder("topics-cache");
        var config = LlmConfiguration.ForOpenAICompatible(server.BaseUrl, canary, "topic-model");

        var first = await TopicsLlm.AssignAsync(config.CreateCachedClient("topic-model", folder, new LlmRetryOptions(0)), dilemmas, Topics.Everyday);
        Assert.Equal(["pets", "money", "(none)"], first.Assignment.LabelNames);
        Assert.Equal(1, first.Unparseable);
        Assert.Equal(3, server.Answered.Count);
        Assert.Equal(3, new ResponseCache(folder).Count());        // the unparseable answer is kept too

        var client = config.CreateCachedClient("topic-model", folder, new LlmRetryOptions(0));
        var second = await TopicsLlm.AssignAsync(client, dilemmas, Topics.Everyday);
        Assert.Equal(3, server.Requests.Count);
        Assert.Equal(3, client.CacheHits);
        Assert.Equal(first.Assignment.Labels, second.Assignment.Labels);
        Assert.Equal(first.RawAnswers, second.RawAnswers);
        Assert.Equal(1, second.Unparseable);

        Assert.All(Directory.GetFiles(folder, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain(canary, File.ReadAllText(f)));
    }
}
