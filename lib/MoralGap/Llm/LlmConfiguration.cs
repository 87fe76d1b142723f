using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using Microsoft.Extensions.AI;
using OpenAI;

namespace MoralGap.Llm;

/// <summary>Which kind of model answers the judgment prompts.</summary>
public enum LlmProvider
{
    /// <summary>Nothing configured: the seeded <see cref="SimulatedJudge"/> answers (the offline default: every notebook runs without a network or model weights).</summary>
    Simulated,
    /// <summary>OpenAI's API (<c>OPENAI_API_KEY</c>).</summary>
    OpenAI,
    /// <summary>Azure OpenAI (<c>AZURE_OPENAI_ENDPOINT</c> + <c>AZURE_OPENAI_API_KEY</c>); models are deployment names.</summary>
    AzureOpenAI,
    /// <summary>Any OpenAI-compatible server (<c>OPENAI_BASE_URL</c>): Ollama, vLLM, LM Studio…; plain http is allowed.</summary>
    OpenAICompatible,
}

/// <summary>
/// Which LLM provider and models to use, read from the ecosystem's environment variables:
/// <c>AZURE_OPENAI_ENDPOINT</c> + <c>AZURE_OPENAI_API_KEY</c> → Azure OpenAI; <c>OPENAI_BASE_URL</c> (+ <c>OPENAI_API_KEY</c>)
/// → an OpenAI-compatible server; <c>OPENAI_API_KEY</c> alone → OpenAI; nothing → the simulated judge.
/// <c>MORALGAP_MODELS</c> lists the models (or Azure deployments), comma-separated.
/// The API key is held privately: <see cref="ToString"/>, <see cref="Describe"/>, <see cref="Problems"/> and every
/// exception message never contain it.
/// </summary>
public sealed class LlmConfiguration
{
    /// <summary>Environment variable names.</summary>
    public const string AzureEndpointVariable = "AZURE_OPENAI_ENDPOINT", AzureKeyVariable = "AZURE_OPENAI_API_KEY",
        OpenAIKeyVariable = "OPENAI_API_KEY", OpenAIBaseUrlVariable = "OPENAI_BASE_URL", ModelsVariable = "MORALGAP_MODELS";

    /// <summary>The model id the simulated judge answers as.</summary>
    public const string SimulatedModelId = SimulatedJudge.ModelIdValue;

    private readonly string? _apiKey;

    private LlmConfiguration(LlmProvider provider, Uri? endpoint, string? apiKey, IReadOnlyList<string> models, IReadOnlyList<string> problems)
    {
        Provider = provider;
        Endpoint = endpoint;
        _apiKey = apiKey;
        Models = models;
        Problems = problems;
    }

    /// <summary>The provider chosen by the environment.</summary>
    public LlmProvider Provider { get; }

    /// <summary>The Azure endpoint or OpenAI-compatible base URL; <c>null</c> for OpenAI's default and the simulator.</summary>
    public Uri? Endpoint { get; }

    /// <summary>The models (or Azure deployment names) to judge with; <c>["simulated-judge"]</c> for the simulator.</summary>
    public IReadOnlyList<string> Models { get; }

    /// <summary>Whether an API key is set (the key itself is never exposed).</summary>
    public bool HasApiKey => !string.IsNullOrEmpty(_apiKey);

    /// <summary>What is missing or contradictory; empty when the configuration can be used.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>True when <see cref="Problems"/> is empty.</summary>
    public bool IsComplete => Problems.Count == 0;

    /// <summary>
    /// Throws when the configuration is incomplete (e.g. MORALGAP_MODELS set but no provider), listing what is missing,
    /// so no stage quietly falls back to the simulated judge when a real model was meant. Every stage that calls a
    /// model checks this first.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration is incomplete.</exception>
    public void EnsureComplete()
    {
        if (!IsComplete) throw new InvalidOperationException("LLM configuration is incomplete: " + string.Join(" ", Problems));
    }

    /// <summary>True when the simulated judge answers (nothing configured).</summary>
    public bool IsSimulated => Provider == LlmProvider.Simulated;

    /// <summary>
    /// A stable, secret-free identity of the provider for cache keys: <c>openai</c>, <c>azure:https://host/</c>,
    /// <c>openai-compatible:http://host:port/path</c> (user info and query removed), <c>simulated</c>.
    /// </summary>
    public string ProviderId => Provider switch
    {
        LlmProvider.OpenAI => "openai",
        LlmProvider.AzureOpenAI => "azure:" + SafeUrl(Endpoint),
        LlmProvider.OpenAICompatible => "openai-compatible:" + SafeUrl(Endpoint),
        _ => "simulated",
    };

    /// <summary>Reads the configuration from the process environment.</summary>
    public static LlmConfiguration FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Reads the configuration from a dictionary of variables (tests, notebooks that set values explicitly).</summary>
    public static LlmConfiguration FromEnvironment(IReadOnlyDictionary<string, string?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return FromEnvironment(name => variables.TryGetValue(name, out var v) ? v : null);
    }

    /// <summary>Reads the configuration through a variable lookup (<c>name → value or null</c>).</summary>
    public static LlmConfiguration FromEnvironment(Func<string, string?> lookup)
    {
        ArgumentNullException.ThrowIfNull(lookup);
        string? Get(string n) => lookup(n) is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        var azureEndpoint = Get(AzureEndpointVariable);
        var azureKey = Get(AzureKeyVariable);
        var openAIKey = Get(OpenAIKeyVariable);
        var baseUrl = Get(OpenAIBaseUrlVariable);
        var models = (Get(ModelsVariable) ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();
        var problems = new List<string>();

        if (azureEndpoint is not null || azureKey is not null)
        {
            if (baseUrl is not null)
                problems.Add($"Both {AzureEndpointVariable}/{AzureKeyVariable} and {OpenAIBaseUrlVariable} are set; unset one of them.");
            if (azureEndpoint is null) problems.Add($"{AzureKeyVariable} is set but {AzureEndpointVariable} is not (e.g. https://<resource>.openai.azure.com/).");
            if (azureKey is null) problems.Add($"{AzureEndpointVariable} is set but {AzureKeyVariable} is not.");
            var uri = ParseUrl(azureEndpoint, AzureEndpointVariable, problems, requireHttps: false);
            if (models.Length == 0) problems.Add($"Azure OpenAI is configured but {ModelsVariable} is empty: list the deployment names, comma-separated.");
            return new LlmConfiguration(LlmProvider.AzureOpenAI, uri, azureKey, models, problems);
        }
        if (baseUrl is not null)
        {
            var uri = ParseUrl(baseUrl, OpenAIBaseUrlVariable, problems, requireHttps: false);
            if (models.Length == 0) problems.Add($"{OpenAIBaseUrlVariable} is set but {ModelsVariable} is empty: list the model names served there, comma-separated.");
            return new LlmConfiguration(LlmProvider.OpenAICompatible, uri, openAIKey, models, problems);
        }
        if (openAIKey is not null)
        {
            if (models.Length == 0) problems.Add($"{OpenAIKeyVariable} is set but {ModelsVariable} is empty: list the models, comma-separated (e.g. gpt-4o-mini).");
            return new LlmConfiguration(LlmProvider.OpenAI, null, openAIKey, models, problems);
        }
        if (models.Length > 0)
            problems.Add($"{ModelsVariable} is set but no provider is: set {OpenAIKeyVariable}, {OpenAIBaseUrlVariable} or {AzureEndpointVariable} + {AzureKeyVariable}, or unset {ModelsVariable} to use the simulated judge.");
        return new LlmConfiguration(LlmProvider.Simulated, null, null, [SimulatedModelId], problems);
    }

    /// <summary>A configuration for an OpenAI-compatible server, given explicitly (tests, notebooks).</summary>
    public static LlmConfiguration ForOpenAICompatible(Uri baseUrl, string? apiKey, params string[] models)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (models is null || models.Length == 0) throw new ArgumentException("Give at least one model name.", nameof(models));
        return new LlmConfiguration(LlmProvider.OpenAICompatible, baseUrl, apiKey, models, []);
    }

    /// <summary>The simulated-judge configuration (what an empty environment gives).</summary>
    public static LlmConfiguration Simulated { get; } = new(LlmProvider.Simulated, null, null, [SimulatedModelId], []);

    /// <summary>
    /// One line for the notebook environment check, e.g. <c>simulated judge will answer</c> or
    /// <c>OpenAI-compatible server at http://localhost:11434/v1, models llama3.1, qwen2.5 (API key set)</c>.
    /// Never contains the key.
    /// </summary>
    public string Describe()
    {
        var text = Provider switch
        {
            LlmProvider.Simulated => "simulated judge will answer (no LLM configured: set OPENAI_API_KEY, OPENAI_BASE_URL or AZURE_OPENAI_ENDPOINT + AZURE_OPENAI_API_KEY, and MORALGAP_MODELS)",
            LlmProvider.OpenAI => $"OpenAI, models {ModelList()} (API key set)",
            LlmProvider.AzureOpenAI => $"Azure OpenAI at {SafeUrl(Endpoint)}, deployments {ModelList()} ({(HasApiKey ? "API key set" : "no API key")})",
            _ => $"OpenAI-compatible server at {SafeUrl(Endpoint)}, models {ModelList()} ({(HasApiKey ? "API key set" : "no API key: fine for Ollama / LM Studio")})",
        };
        return IsComplete ? text : text + " — INCOMPLETE: " + string.Join(" ", Problems);
    }

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();

    /// <summary>
    /// An <see cref="IChatClient"/> for <paramref name="model"/> on the configured provider. The underlying OpenAI client's
    /// own retries are turned off (the judgment collector retries with its own policy, honouring Retry-After).
    /// </summary>
    /// <exception cref="InvalidOperationException">The configuration is incomplete (the message lists what is missing),
    /// or the provider is the simulator (build a <see cref="SimulatedJudge"/> instead).</exception>
    public IChatClient CreateClient(string model, TimeSpan? networkTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        EnsureComplete();
        var timeout = networkTimeout ?? TimeSpan.FromMinutes(5);
        switch (Provider)
        {
            case LlmProvider.AzureOpenAI:
            {
                var options = new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = timeout };
                return new AzureOpenAIClient(Endpoint!, new ApiKeyCredential(_apiKey!), options).GetChatClient(model).AsIChatClient();
            }
            case LlmProvider.OpenAI:
            case LlmProvider.OpenAICompatible:
            {
                var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = timeout };
                if (Endpoint is not null) options.Endpoint = Endpoint;
                // Servers like Ollama need no key, but the client requires a credential: send a placeholder.
                var credential = new ApiKeyCredential(string.IsNullOrEmpty(_apiKey) ? "no-key" : _apiKey);
                return new OpenAIClient(credential, options).GetChatClient(model).AsIChatClient();
            }
            default:
                throw new InvalidOperationException("No LLM is configured: the simulated judge answers. Build one with SimulatedJudge.FitFromHumans(...).");
        }
    }

    /// <summary>
    /// <see cref="CreateClient"/> wrapped in a <see cref="CachedChatClient"/> over the response cache in
    /// <paramref name="cacheFolder"/>: every answer is stored before it is used and a rerun pays for nothing already
    /// received. The key is <see cref="CacheKey"/> (<see cref="ProviderId"/>, model, messages, temperature, sample index = the
    /// request seed, other options such as max output tokens), the one key judgment collection uses too; the API key
    /// is in none of it. Errors that would show the key are redacted (<see cref="Redact"/>).
    /// <code>var client = LlmConfiguration.FromEnvironment().CreateCachedClient("gpt-4o-mini", "artifacts/llm-cache");</code>
    /// </summary>
    /// <param name="model">The model or Azure deployment.</param>
    /// <param name="cacheFolder">The response cache folder (created if needed; may be shared with judgment collection).</param>
    /// <param name="retry">Retries of transient failures; null: the defaults of <see cref="LlmRetryOptions"/> (5 retries,
    /// 90 s an attempt); <c>new LlmRetryOptions(0)</c>: none.</param>
    /// <param name="networkTimeout">The HTTP client's own timeout (default 5 minutes).</param>
    /// <exception cref="InvalidOperationException">As <see cref="CreateClient"/>: incomplete configuration, or the simulator.</exception>
    public CachedChatClient CreateCachedClient(string model, string cacheFolder, LlmRetryOptions? retry = null, TimeSpan? networkTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        return CreateCachedClient(model, new ResponseCache(cacheFolder), retry, networkTimeout);
    }

    /// <summary>As <see cref="CreateCachedClient(string, string, LlmRetryOptions?, TimeSpan?)"/>, over an open cache (shared by several clients).</summary>
    public CachedChatClient CreateCachedClient(string model, ResponseCache cache, LlmRetryOptions? retry = null, TimeSpan? networkTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var inner = CreateClient(model, networkTimeout);
        return new CachedChatClient(inner, cache, ProviderId, model, retry ?? new LlmRetryOptions(), Redact);
    }

    /// <summary>
    /// An HTTP client for the provider's Files and Batches endpoints (OpenAI <c>https://api.openai.com/v1/</c>, an
    /// OpenAI-compatible base URL, or Azure OpenAI's v1 API <c>{endpoint}/openai/v1/</c>), with the key in its default
    /// headers (never in a URL or a file), and the base address the relative paths <c>files</c> and <c>batches</c> resolve against.
    /// </summary>
    /// <exception cref="InvalidOperationException">Incomplete configuration, or the simulator (which has no Batch API).</exception>
    public HttpClient CreateBatchHttpClient(TimeSpan? networkTimeout = null)
    {
        EnsureComplete();
        if (IsSimulated) throw new InvalidOperationException("The simulated judge has no Batch API: configure OpenAI, Azure OpenAI or an OpenAI-compatible server.");
        var root = Provider switch
        {
            LlmProvider.AzureOpenAI => new Uri(Endpoint!, "openai/v1/"),
            LlmProvider.OpenAI when Endpoint is null => new Uri("https://api.openai.com/v1/"),
            _ => new Uri(Endpoint!.AbsoluteUri.TrimEnd('/') + "/"),
        };
        var http = new HttpClient { BaseAddress = root, Timeout = networkTimeout ?? TimeSpan.FromMinutes(10) };
        if (!string.IsNullOrEmpty(_apiKey))
        {
            if (Provider == LlmProvider.AzureOpenAI) http.DefaultRequestHeaders.Add("api-key", _apiKey);
            else http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _apiKey);
        }
        return http;
    }

    /// <summary>The <c>url</c> of a chat request line in a batch file: <c>/chat/completions</c> on Azure OpenAI, <c>/v1/chat/completions</c> elsewhere.</summary>
    public string BatchChatUrl => Provider == LlmProvider.AzureOpenAI ? "/chat/completions" : "/v1/chat/completions";

    /// <summary>Replaces the API key, wherever it occurs in <paramref name="text"/>, with <c>***</c>.</summary>
    public string Redact(string? text) => SecretRedactor.Redact(text, _apiKey);

    private string ModelList() => Models.Count == 0 ? "(none)" : string.Join(", ", Models);

    private static Uri? ParseUrl(string? value, string variable, List<string> problems, bool requireHttps)
    {
        if (value is null) return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add($"{variable} is not an absolute http(s) URL.");
            return null;
        }
        if (requireHttps && uri.Scheme != Uri.UriSchemeHttps) problems.Add($"{variable} must use https.");
        return uri;
    }

    /// <summary>Scheme, host, port and path only: user info and query (which could carry secrets) are dropped.</summary>
    internal static string SafeUrl(Uri? uri) => uri is null ? "" : uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
}

/// <summary>Removes a secret from text before it is shown, logged or stored.</summary>
public static class SecretRedactor
{
    /// <summary><paramref name="text"/> with every occurrence of <paramref name="secret"/> replaced by <c>***</c>.</summary>
    public static string Redact(string? text, string? secret)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        if (string.IsNullOrEmpty(secret) || secret.Length < 4) return text;
        return text.Replace(secret, "***", StringComparison.Ordinal);
    }
}
