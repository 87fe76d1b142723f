using MoralGap.Llm;

namespace MoralGap.Tests.Llm;

public class LlmConfigurationTests
{
    private const string Key = "sk-config-test-7f3a9c";

    private static LlmConfiguration From(params (string Name, string Value)[] vars) =>
        LlmConfiguration.FromEnvironment(vars.ToDictionary(v => v.Name, v => (string?)v.Value));

    [Fact]
    public void Nothing_configured_means_the_simulated_judge()
    {
        var c = From();
        Assert.Equal(LlmProvider.Simulated, c.Provider);
        Assert.True(c.IsComplete);
        Assert.Equal(["simulated-judge"], c.Models);
        Assert.StartsWith("simulated judge will answer", c.Describe());
        Assert.Throws<InvalidOperationException>(() => c.CreateClient("x"));
    }

    [Fact]
    public void OpenAI_key_with_models()
    {
        var c = From(("OPENAI_API_KEY", Key), ("MORALGAP_MODELS", " gpt-4o-mini , gpt-4.1,gpt-4o-mini"));
        Assert.Equal(LlmProvider.OpenAI, c.Provider);
        Assert.Equal(["gpt-4o-mini", "gpt-4.1"], c.Models);
        Assert.True(c.IsComplete);
        Assert.Equal("openai", c.ProviderId);
        Assert.NotNull(c.CreateClient("gpt-4o-mini"));
        Assert.DoesNotContain(Key, c.Describe());
    }

    [Fact]
    public void OpenAI_compatible_base_url_allows_plain_http_and_no_key()
    {
        var c = From(("OPENAI_BASE_URL", "http://localhost:11434/v1"), ("MORALGAP_MODELS", "llama3.1,qwen2.5"));
        Assert.Equal(LlmProvider.OpenAICompatible, c.Provider);
        Assert.True(c.IsComplete);
        Assert.False(c.HasApiKey);
        Assert.Equal("OpenAI-compatible server at http://localhost:11434/v1, models llama3.1, qwen2.5 (no API key: fine for Ollama / LM Studio)", c.Describe());
        Assert.Equal("openai-compatible:http://localhost:11434/v1", c.ProviderId);
    }

    [Fact]
    public void Provider_id_drops_user_info_and_query_that_could_hold_secrets()
    {
        var c = From(("OPENAI_BASE_URL", "http://user:pa55word@host:8000/v1?token=abc"), ("MORALGAP_MODELS", "m"));
        Assert.Equal("openai-compatible:http://host:8000/v1", c.ProviderId);
        Assert.DoesNotContain("pa55word", c.Describe());
        Assert.DoesNotContain("abc", c.Describe());
    }

    [Theory]
    [InlineData("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com/", "AZURE_OPENAI_API_KEY is not")]
    [InlineData("AZURE_OPENAI_API_KEY", Key, "AZURE_OPENAI_ENDPOINT is not")]
    [InlineData("OPENAI_API_KEY", Key, "MORALGAP_MODELS is empty")]
    [InlineData("OPENAI_BASE_URL", "http://localhost:8000/v1", "MORALGAP_MODELS is empty")]
    [InlineData("OPENAI_BASE_URL", "localhost:8000", "not an absolute http(s) URL")]
    [InlineData("MORALGAP_MODELS", "gpt-4o", "no provider is")]
    public void Incomplete_configurations_say_what_is_missing_without_the_key(string name, string value, string expected)
    {
        var c = From((name, value));
        Assert.False(c.IsComplete);
        Assert.Contains(c.Problems, p => p.Contains(expected));
        Assert.Contains("INCOMPLETE", c.Describe());
        Assert.DoesNotContain(Key, c.Describe());
        Assert.DoesNotContain(Key, string.Join(" ", c.Problems));
        if (c.Provider != LlmProvider.Simulated)
        {
            var e = Assert.Throws<InvalidOperationException>(() => c.CreateClient("m"));
            Assert.DoesNotContain(Key, e.Message);
        }
        // Every stage that calls a model stops, rather than quietly using the simulated judge when a real model was meant.
        var stop = Assert.Throws<InvalidOperationException>(() => MoralGap.Judging.JudgeModel.FromConfiguration(c, Judge.Value));
        Assert.Contains(expected, stop.Message);
        Assert.DoesNotContain(Key, stop.Message);
        Assert.Throws<InvalidOperationException>(() => MoralGap.Notebooks.ProfileModels.Create(c, Sample, Path.GetTempPath()));
    }

    private static readonly Lazy<MoralGap.Llm.SimulatedJudge> Judge = new(() => MoralGap.Llm.SimulatedJudge.FitFromHumans(Sample.Dilemmas, Sample.Judgments));
    private static readonly Lazy<MoralGap.Data.DilemmaDataset> LazySample = new(() => MoralGap.Data.DilemmaDataset.LoadSample());
    private static MoralGap.Data.DilemmaDataset Sample => LazySample.Value;

    [Fact]
    public void Azure_and_base_url_together_is_a_contradiction()
    {
        var c = From(("AZURE_OPENAI_ENDPOINT", "https://r.openai.azure.com/"), ("AZURE_OPENAI_API_KEY", Key),
            ("OPENAI_BASE_URL", "http://localhost:1/v1"), ("MORALGAP_MODELS", "d"));
        Assert.False(c.IsComplete);
        Assert.Contains(c.Problems, p => p.Contains("unset one"));
    }

    [Fact]
    public void Redact_removes_the_key()
    {
        var c = From(("OPENAI_API_KEY", Key), ("MORALGAP_MODELS", "m"));
        Assert.Equal("Incorrect API key provided: ***.", c.Redact($"Incorrect API key provided: {Key}."));
    }
}
