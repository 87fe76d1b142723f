using Microsoft.Extensions.AI;
using MoralGap.Values;

namespace MoralGap.Tests.Values;

public class LlmValueExtractorTests
{
    private const string Rationale = "NTA. She lied about the money, and honesty matters in a marriage. Your privacy was not respected either.";

    [Theory]
    [InlineData("[\"honesty\", \"privacy\", \"trust in marriage\"]")]
    [InlineData("Sure! Here is the list:\n```json\n[\n  \"honesty\",\n  \"privacy\",\n  \"trust in marriage\",\n]\n```\nLet me know if you need more.")]
    [InlineData("The values are: [\"Honesty\", \"privacy\", \"trust in marriage\", \"honesty\"] as requested.")]
    [InlineData("Here are the values:\n- **Honesty**: she lied about the money\n- Privacy – nobody respected it\n- trust in marriage")]
    [InlineData("1. honesty\n2) privacy\n3. \"trust in marriage\"")]
    [InlineData("honesty, privacy, trust in marriage")]
    [InlineData("{\"values\": [{\"value\": \"honesty\"}, {\"expression\": \"privacy\"}, {\"name\": \"trust in marriage\"}]}")]
    public void ParsesMessyAnswers(string answer)
    {
        var parsed = LlmValueExtractor.ParseExpressions(answer);
        Assert.Equal(["honesty", "privacy", "trust in marriage"], parsed.Select(p => p.ToLowerInvariant()));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("None.")]
    [InlineData("```\n[]\n```")]
    public void AnEmptyAnswerIsNoValues(string answer) => Assert.Empty(LlmValueExtractor.ParseExpressions(answer));

    [Fact]
    public async Task LocatesExpressionsThatAppearVerbatim()
    {
        var client = new CannedChatClient("```json\n[\"honesty\", \"Privacy\", \"loyalty to a spouse\"]\n```");
        var extractor = new LlmValueExtractor(client);
        var found = await extractor.ExtractAsync(Rationale);

        Assert.Equal(3, found.Count);
        Assert.Equal("honesty", found[0].Span!.Value.Of(Rationale));
        Assert.Equal("privacy", found[1].Span!.Value.Of(Rationale)); // found ignoring case
        Assert.Equal("Privacy", found[1].Value);                     // a name of the paper's taxonomy
        Assert.Null(found[2].Span);                                  // the model's own words
        Assert.Null(found[2].Value);
        Assert.All(found, f => Assert.Null(f.Score));

        var prompt = client.Requests.Single();
        Assert.Contains(Rationale, prompt[^1].Text);
        Assert.Contains("JSON array", prompt[^1].Text);
        Assert.Equal(ChatRole.System, prompt[0].Role);
        Assert.Equal(0f, client.Options!.Temperature);
    }

    [Fact]
    public async Task CountsAnswersItCannotParseButNotAnswersSayingNone()
    {
        var client = new CannedChatClient("[]", "I cannot help with moral questions, as an AI I would rather not judge this situation at all.", "- honesty");
        var extractor = new LlmValueExtractor(client);
        var progress = new List<int>();
        var found = await extractor.ExtractManyAsync(["a", "b", "c"], new MoralGap.Notebooks.InlineProgress<int>(progress.Add));
        Assert.Equal([0, 0, 1], found.Select(f => f.Count));
        Assert.Equal(1, extractor.UnparsedResponses);
        Assert.Equal([1, 2, 3], progress);
    }

    /// <summary>A chat client that answers with canned texts, in turn, and records what it was asked.</summary>
    private sealed class CannedChatClient(params string[] answers) : IChatClient
    {
        private int next;
        public List<ChatMessage[]> Requests { get; } = [];
        public ChatOptions? Options { get; private set; }

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Requests.Add(messages.ToArray());
            Options = options;
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answers[next++ % answers.Length])));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }
}
