using MoralGap.Data;
using MoralGap.Llm;
using MoralGap.Profiles;

namespace MoralGap.Tests.Llm;

public class SimulatedJudgeElicitationTests
{
    [Fact]
    public void ADirectElicitationPromptGetsAShareNearTheHumanShareNotAVerdict()
    {
        var dilemma = new Dilemma("d1", "Kept the change", "The main actor kept extra change a cashier gave by mistake.", "test");
        var judge = new SimulatedJudge(_ => 0.30, new SimulatedJudgeOptions(Seed: 7, ElicitationNoise: 0.05));
        var shares = Enumerable.Range(0, 64).Select(i => ResponseParsing.ParseShare(judge.Answer(DmpPrompt.DirectElicitation(dilemma), i))).ToArray();
        Assert.All(shares, s => Assert.NotNull(s));
        Assert.InRange(shares.Average(s => s!.Value), 0.27, 0.33);
        Assert.Contains("Evaluation:", judge.Answer(DmpPrompt.Vanilla(dilemma), 0));
    }
}
