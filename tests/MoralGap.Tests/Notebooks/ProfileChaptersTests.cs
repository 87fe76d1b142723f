using MoralGap.Data;
using MoralGap.Notebooks;
using MoralGap.Profiles;

namespace MoralGap.Tests.Notebooks;

public class ProfileChaptersTests
{
    [Fact]
    public void SetupOfTheSampleWithPlantedValuesBuildsTopicPriorsFromTheCountsAndCapsTheRun()
    {
        var setup = ProfileChapters.Setup("", "planted", smoothing: 1.0, maxDilemmas: 12, seed: 3);

        Assert.Equal("planted", setup.Counts.Source);
        Assert.Null(setup.Extractor); // planted values need no extractor, and none was asked for
        Assert.Equal(12, setup.Dilemmas.Count);
        Assert.All(setup.Dilemmas, d => Assert.True(setup.HumanP.ContainsKey(d.Id) && setup.HumanN[d.Id] > 0));
        Assert.Equal(ProfileChapters.CapDilemmas(setup.Dataset, 12, 3).Select(d => d.Id), setup.Dilemmas.Select(d => d.Id));

        // The prior of a dilemma is G_topic of its topic, from the same counts and smoothing.
        var byTopic = Priors.ByTopic(setup.Counts.PerDilemma, setup.Counts.DilemmaTopics, 1.0);
        foreach (var d in setup.Dilemmas)
        {
            Assert.Equal(byTopic[d.Topic!].Mean, setup.PriorFor(d));
            Assert.Equal(1.0, setup.PriorFor(d).Sum(), 9);
        }
        // A dilemma of no known topic gets G0.
        Assert.Equal(Priors.Global(setup.Counts.PerDilemma, 1.0).Mean, setup.PriorFor(setup.Dilemmas[0] with { Topic = "no such topic" }));
        Assert.StartsWith(setup.Dataset.ToString() + "\n12 dilemmas in this run; priors from ", setup.ToString());
    }
}
