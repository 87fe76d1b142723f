using MoralGap.Judging;

namespace MoralGap.Tests.Judging;

public class AlignmentTests
{
    [Fact]
    public void Jensen_Shannon_distance_matches_scipy_base_2()
    {
        // scipy.spatial.distance.jensenshannon([p, 1-p], [q, 1-q], base=2), scipy 1.10.1
        Assert.Equal(0.4372241495260536, Alignment.JensenShannonDistance(0.3, 0.8), 14);
        Assert.Equal(0.3831358798599423, Alignment.JensenShannonDistance(0.5, 0.9), 14);
        Assert.Equal(1.0, Alignment.JensenShannonDistance(0, 1), 14);
        Assert.Equal(0.0, Alignment.JensenShannonDistance(0.37, 0.37), 14);
        Assert.Equal(Alignment.JensenShannonDistance(0.1, 0.6), Alignment.JensenShannonDistance(0.6, 0.1), 15);
        Assert.Equal([0.4372241495260536, 1.0], Alignment.JensenShannonDistances([0.3, 0.0], [0.8, 1.0]), new DoubleTolerance(1e-14));
    }

    [Fact]
    public void Gap_consensus_pearson_and_council()
    {
        Assert.Equal(0.75, Alignment.Consensus(0.25));
        Assert.Equal(0.5, Alignment.Consensus(0.5));
        Assert.Equal([0.25, 0.0, 1.0], Alignment.AbsoluteGaps([0.5, 0.2, 1.0], [0.25, 0.2, 0.0]));
        Assert.Equal(1.0, Alignment.PearsonR([0.1, 0.2, 0.4, 0.7], [0.3, 0.4, 0.6, 0.9]), 12);
        Assert.Equal(-1.0, Alignment.PearsonR([0.1, 0.5, 0.9], [0.9, 0.5, 0.1]), 12);
        // Council pools samples: (10 + 2) / (32 + 8), not the mean of 10/32 and 2/8.
        Assert.Equal(12.0 / 40, Alignment.Council([10, 2], [32, 8]), 15);
        Assert.Equal([12.0 / 40, 1.0], Alignment.Council([[10, 5], [2, 5]], [[32, 5], [8, 5]]));
        Assert.Throws<ArgumentException>(() => Alignment.Council([9], [8]));
        Assert.Throws<ArgumentException>(() => Alignment.AbsoluteGaps([0.1], [0.1, 0.2]));
        Assert.Contains("Dilemma 1", Assert.Throws<ArgumentException>(() => Alignment.AbsoluteGaps([0.1, double.NaN], [0.1, 0.2])).Message);
    }

    [Fact]
    public void Gap_by_consensus_bins_means_and_bootstrap_intervals()
    {
        var rng = new Random(3);
        int d = 600;
        var human = Enumerable.Range(0, d).Select(_ => rng.Next(0, 33) / 32.0).ToArray();
        // A model that follows the majority: the gap grows as consensus falls, as in the paper's Finding 1.
        var model = human.Select(p => p >= 0.5 ? Math.Min(1, p + 0.5 * (1 - Alignment.Consensus(p))) : Math.Max(0, p - 0.5 * (1 - Alignment.Consensus(p)))).ToArray();
        var bins = Alignment.GapByConsensus(model, human, seed: 9);
        Assert.Equal(5, bins.Length);
        Assert.Equal(d, bins.Sum(b => b.Dilemmas));
        for (int b = 0; b < bins.Length; b++)
        {
            var bin = bins[b];
            var members = Enumerable.Range(0, d).Where(i =>
            {
                double c = Alignment.Consensus(human[i]);
                return c >= bin.Lower && (c < bin.Upper || b == bins.Length - 1);
            }).ToArray();
            Assert.Equal(members.Length, bin.Dilemmas);
            Assert.Equal(members.Average(i => Math.Abs(model[i] - human[i])), bin.MeanAbsoluteGap, 12);
            Assert.True(bin.CiLower <= bin.MeanAbsoluteGap && bin.MeanAbsoluteGap <= bin.CiUpper, bin.ToString());
        }
        Assert.True(bins[0].MeanAbsoluteGap > bins[^1].MeanAbsoluteGap);
        Assert.Equal(bins, Alignment.GapByConsensus(model, human, seed: 9));
        // Unanimous dilemmas (consensus exactly 1.0) belong to the last, closed bin.
        Assert.Equal(human.Count(p => p is 0 or 1), Alignment.GapByConsensus(model, human, [0.5, 0.99, 1.0])[1].Dilemmas);

        var empty = Alignment.GapByConsensus([0.5], [0.5], [0.5, 0.75, 1.0]);
        Assert.Equal(1, empty[0].Dilemmas);
        Assert.True(double.IsNaN(empty[1].MeanAbsoluteGap));
    }

    [Fact]
    public void A_dilemma_without_a_model_p_throws_by_default_and_is_skipped_and_counted_on_request()
    {
        double[] human = [0.5, 0.45, 0.95, 0.0, 0.75];
        double[] model = [1.0, 0.45, 0.9, 0.2, double.NaN];     // dilemma 4: no answer of the model parsed

        var e = Assert.Throws<ArgumentException>(() => Alignment.MeanAbsoluteGap(model, human));
        Assert.Contains("Dilemma 4", e.Message);
        Assert.Contains(nameof(MissingModelP.Skip), e.Message);
        Assert.Throws<ArgumentException>(() => Alignment.GapByConsensus(model, human));

        var gap = Alignment.MeanAbsoluteGap(model, human, MissingModelP.Skip);
        Assert.Equal((0.5 + 0 + 0.05 + 0.2) / 4, gap.MeanAbsoluteGap, 12);
        Assert.Equal(4, gap.Dilemmas);
        Assert.Equal(1, gap.Skipped);
        Assert.Contains("1 without a model p skipped", gap.ToString());

        var bins = Alignment.GapByConsensus(model, human, missing: MissingModelP.Skip);
        Assert.Equal(2, bins[0].Dilemmas);                       // consensus 0.5 and 0.55
        Assert.Equal(0.25, bins[0].MeanAbsoluteGap, 12);
        Assert.Equal((0, 1), (bins[2].Dilemmas, bins[2].Skipped)); // consensus 0.75, counted where it would have been
        Assert.Contains("1 without a model p skipped", bins[2].ToString());
        Assert.Equal(2, bins[4].Dilemmas);                       // 0.95 and 1.0 (closed last bin)
        Assert.Equal(0.125, bins[4].MeanAbsoluteGap, 12);
        Assert.Equal(1, bins.Sum(b => b.Skipped));
        Assert.Equal(["[0.5,0.6)", "[0.6,0.7)", "[0.7,0.8)", "[0.8,0.9)", "[0.9,1.0]"], bins.Select(b => b.Label));

        // Skipping is for NaN only: an impossible model share or a missing human share is still an error.
        Assert.Throws<ArgumentException>(() => Alignment.MeanAbsoluteGap([double.PositiveInfinity, 0.5], [0.5, 0.5], MissingModelP.Skip));
        Assert.Throws<ArgumentException>(() => Alignment.MeanAbsoluteGap([1.2, 0.5], [0.5, 0.5], MissingModelP.Skip));
        Assert.Throws<ArgumentException>(() => Alignment.MeanAbsoluteGap([0.5, 0.5], [double.NaN, 0.5], MissingModelP.Skip));
        var none = Alignment.MeanAbsoluteGap([double.NaN], [0.5], MissingModelP.Skip);
        Assert.True(double.IsNaN(none.MeanAbsoluteGap));
        Assert.Equal((0, 1), (none.Dilemmas, none.Skipped));
    }

    [Fact]
    public void Mean_gap_and_binned_gap_agree_and_without_NaN_the_policy_changes_nothing()
    {
        var rng = new Random(11);
        var human = Enumerable.Range(0, 200).Select(_ => rng.Next(0, 33) / 32.0).ToArray();
        var model = Enumerable.Range(0, 200).Select(_ => rng.Next(0, 33) / 32.0).ToArray();
        var gap = Alignment.MeanAbsoluteGap(model, human);
        Assert.Equal(Alignment.AbsoluteGaps(model, human).Average(), gap.MeanAbsoluteGap, 12);
        var one = Alignment.GapByConsensus(model, human, [0.5, 1.0], seed: 1)[0];
        Assert.Equal(gap.MeanAbsoluteGap, one.MeanAbsoluteGap, 12);
        Assert.Equal(Alignment.GapByConsensus(model, human, seed: 2), Alignment.GapByConsensus(model, human, seed: 2, missing: MissingModelP.Skip));
        Assert.Equal(gap, Alignment.MeanAbsoluteGap(model, human, MissingModelP.Skip));
    }

    private sealed class DoubleTolerance(double tol) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tol;
        public int GetHashCode(double obj) => 0;
    }
}
