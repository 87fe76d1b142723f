using MoralGap.Data;
using MoralGap.Notebooks;
using MoralGap.Profiles;

namespace MoralGap.Tests.Notebooks;

public class ProfileChaptersTests
{
    [Fact]
    public void SetupOfTheSampleWithPlantedValuesBuildsTopicPriorsFromTheCountsAndCapsTheRun()
    {
        var setup = ProfileChapters.Setup("", "planted", smoothing: 1.0, maxDilemmas: 12, seed: 3, priorFolds: 1);

        Assert.Equal("planted", setup.Counts.Source);
        Assert.Null(setup.Extractor); // planted values need no extractor, and none was asked for
        Assert.Equal(12, setup.Dilemmas.Count);
        Assert.All(setup.Dilemmas, d => Assert.True(setup.HumanP.ContainsKey(d.Id) && setup.HumanN[d.Id] > 0));
        Assert.Equal(ProfileChapters.CapDilemmas(setup.Dataset, 12, 3).Select(d => d.Id), setup.Dilemmas.Select(d => d.Id));

        // In-sample (one fold): the prior of a dilemma is G_topic of its topic, from the same counts and smoothing.
        Assert.True(setup.Priors.InSample);
        var byTopic = Priors.ByTopic(setup.Counts.PerDilemma, setup.Counts.DilemmaTopics, 1.0);
        foreach (var d in setup.Dilemmas)
        {
            Assert.Equal(byTopic[d.Topic!].Mean, setup.PriorFor(d));
            Assert.Equal(1.0, setup.PriorFor(d).Sum(), 9);
        }
        Assert.StartsWith(setup.Dataset.ToString() + "\n12 dilemmas in this run; priors in-sample", setup.ToString());

        // By default out of fold: a dilemma's prior is its fold's G_topic, built without its own rationales.
        var folded = ProfileChapters.Setup("", "planted", smoothing: 1.0, maxDilemmas: 12, seed: 3);
        Assert.Equal(5, folded.Priors.Folds);
        foreach (var d in folded.Dilemmas)
        {
            var row = Array.IndexOf(folded.Counts.DilemmaIds, d.Id);
            Assert.DoesNotContain(row, folded.Priors.TrainingRows(row));
            Assert.Equal(folded.Priors.For(row), folded.PriorFor(d));
            Assert.NotEqual(byTopic[d.Topic!].Mean, folded.PriorFor(d));
        }
        Assert.Contains("priors out of fold", folded.ToString());
    }
}
