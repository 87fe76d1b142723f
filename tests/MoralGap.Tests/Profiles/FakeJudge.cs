using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Profiles;

namespace MoralGap.Tests.Profiles;

/// <summary>
/// A deterministic fake chat model for the DMP tests. It knows each dilemma's human p (looked up by the text between
/// the dilemma delimiters). Without a profile it answers UNACCEPTABLE with probability q0 = p sharpened toward the
/// majority: q0 = p + Sharpen·(1 − p) if p &gt; 0.5, p − Sharpen·p if p &lt; 0.5. With a profile in the prompt it uses
/// q = q0 + Pull·(p − q0) (clamped to [0, 1]): Pull &gt; 0 moves toward humans, Pull &lt; 0 away.
/// Direct elicitation is answered with "Share: round(100·p + ElicitationBias)%". The draw uses Random(options.Seed mixed
/// with a stable hash of the prompt), as the simulated judge does: sample i of every prompt is sent with seed i.
/// About one draw in <see cref="GarbageEvery"/> (if &gt; 0) gets an unparseable answer.
/// </summary>
internal sealed class FakeJudge(IReadOnlyDictionary<string, double> humanPByText) : IChatClient
{
    public double Sharpen { get; init; } = 0.8;
    public double Pull { get; init; } = 0.7;
    public double ElicitationBias { get; init; }
    public int GarbageEvery { get; init; }
    private int _calls;
    public int Calls => _calls;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        var text = PromptConventions.SplitDilemma(prompt)!.Value.Dilemma;
        var p = humanPByText[text];
        var seed = (int)(options?.Seed ?? 0);
        var draw = seed ^ BitConverter.ToInt32(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(prompt)), 0);
        var rng = new Random(draw);
        string answer;
        if (GarbageEvery > 0 && (draw & int.MaxValue) % GarbageEvery == 0)
            answer = "I would rather not say.";
        else if (prompt.Contains("What share of people", StringComparison.Ordinal))
            answer = $"Share: {Math.Clamp(Math.Round(100 * p + ElicitationBias), 0, 100).ToString(CultureInfo.InvariantCulture)}%\nRationale: people differ.";
        else
        {
            var q0 = p > 0.5 ? p + Sharpen * (1 - p) : p < 0.5 ? p - Sharpen * p : p;
            var profile = PromptConventions.ParseProfile(prompt);
            var q = profile.Count > 0 ? Math.Clamp(q0 + Pull * (p - q0), 0, 1) : q0;
            var unacceptable = rng.NextDouble() < q;
            var value = profile.Count > 0 ? profile[0].Value : "Respect";
            answer = $"Evaluation: {(unacceptable ? "UNACCEPTABLE" : "ACCEPTABLE")}\nRationale: It is about {value}.";
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var r = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var u in r.ToChatResponseUpdates()) yield return u;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() { }

    /// <summary>n dilemmas with human p spread evenly over [0.05, 0.95] and the lookup the fake needs.</summary>
    public static (List<Dilemma> Dilemmas, Dictionary<string, double> HumanP, Dictionary<string, double> ByText) World(int n, string topic = "family")
    {
        var dilemmas = new List<Dilemma>();
        var humanP = new Dictionary<string, double>();
        var byText = new Dictionary<string, double>();
        for (var i = 0; i < n; i++)
        {
            var p = 0.05 + 0.9 * i / Math.Max(1, n - 1);
            var d = new Dilemma($"d{i:D3}", $"Dilemma {i}", $"The main actor did thing number {i} to a relative.", "test", topic);
            dilemmas.Add(d);
            humanP[d.Id] = p;
            byText[PromptConventions.DilemmaContent(d)] = p;
        }
        return (dilemmas, humanP, byText);
    }
}
