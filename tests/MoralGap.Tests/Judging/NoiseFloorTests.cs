using MoralGap.Judging;

namespace MoralGap.Tests.Judging;

public class NoiseFloorTests
{
    private static double MonteCarlo(double p, int n1, int n2, int draws, int seed)
    {
        var rng = new Random(seed);
        double sum = 0;
        for (int t = 0; t < draws; t++)
        {
            int k1 = 0, k2 = 0;
            for (int i = 0; i < n1; i++) if (rng.NextDouble() < p) k1++;
            for (int i = 0; i < n2; i++) if (rng.NextDouble() < p) k2++;
            sum += Math.Abs((double)k1 / n1 - (double)k2 / n2);
        }
        return sum / draws;
    }

    [Theory]
    [InlineData(0.5, 32, 32)]
    [InlineData(0.8, 32, 32)]
    [InlineData(0.3, 32, 10)]
    public void Exact_floor_agrees_with_seeded_Monte_Carlo(double p, int n1, int n2)
    {
        double exact = NoiseFloor.Expected(p, n1, n2);
        double mc = MonteCarlo(p, n1, n2, 100_000, seed: 42);
        // Standard error of the MC mean is below 0.0003 here.
        Assert.True(Math.Abs(exact - mc) < 0.0015, $"exact {exact}, Monte Carlo {mc}");
    }

    [Fact]
    public void Floor_at_32_votes_per_side_is_about_ten_points()
    {
        double half = NoiseFloor.Expected(0.5, 32, 32);
        Assert.InRange(half, 0.095, 0.105); // the critique's ≈ 8–10 pp
        Assert.True(NoiseFloor.Expected(0.8, 32, 32) < half);
        Assert.Equal(0.0, NoiseFloor.Expected(1.0), 15);
        Assert.Equal(0.0, NoiseFloor.Expected(0.0), 15);
        Assert.True(NoiseFloor.Expected(0.5, 320, 320) < half / 3);
    }

    [Fact]
    public void One_sample_a_side_gives_two_p_one_minus_p()
    {
        foreach (var p in new[] { 0.1, 0.5, 0.77 })
            Assert.Equal(2 * p * (1 - p), NoiseFloor.Expected(p, 1, 1), 14);
    }

    [Fact]
    public void Average_over_observed_ps()
    {
        double[] ps = [0.5, 0.8, 0.5, 1.0];
        Assert.Equal((2 * NoiseFloor.Expected(0.5) + NoiseFloor.Expected(0.8)) / 4, NoiseFloor.Average(ps), 15);
        Assert.Throws<ArgumentException>(() => NoiseFloor.Average([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseFloor.Expected(1.2));
        Assert.Throws<ArgumentOutOfRangeException>(() => NoiseFloor.Expected(0.5, 0, 3));
    }

    [Fact]
    public void By_consensus_bin_averages_each_dilemmas_own_floor_in_its_bin()
    {
        double[] p = [0.5, 0.45, 0.2, 0.8, 1.0, 0.0];   // consensus 0.5, 0.55, 0.8, 0.8, 1, 1
        int[] n1 = [32, 32, 10, 32, 32, 5];
        int[] n2 = [32, 16, 32, 32, 32, 32];
        var floor = NoiseFloor.ByConsensusBin(p, n1, n2);
        Assert.Equal(5, floor.Length);
        Assert.Equal((NoiseFloor.Expected(0.5, 32, 32) + NoiseFloor.Expected(0.45, 32, 16)) / 2, floor[0], 15);
        Assert.True(double.IsNaN(floor[1]) && double.IsNaN(floor[2]));            // no dilemma there
        Assert.Equal((NoiseFloor.Expected(0.2, 10, 32) + NoiseFloor.Expected(0.8, 32, 32)) / 2, floor[3], 15);
        Assert.Equal(0, floor[4], 15);                                             // unanimity has no sampling noise
        Assert.Throws<ArgumentException>(() => NoiseFloor.ByConsensusBin(p, n1, [32]));
    }
}
