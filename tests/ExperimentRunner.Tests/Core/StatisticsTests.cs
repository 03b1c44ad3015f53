using ExperimentRunner.Core.Stats;

namespace ExperimentRunner.Tests.Core;

public class StatisticsTests
{
    [Theory]
    [InlineData(1, 12.706205)]
    [InlineData(2, 4.302653)]
    [InlineData(3, 3.182446)]
    [InlineData(5, 2.570582)]
    [InlineData(10, 2.228139)]
    [InlineData(29, 2.045230)]
    [InlineData(30, 2.042272)]
    [InlineData(100, 1.983972)]
    [InlineData(1000, 1.962339)]
    public void T_quantile_matches_tables(int df, double expected) =>
        Assert.Equal(expected, Statistics.StudentT975(df), 1e-6);

    [Fact]
    public void Small_df_closed_forms()
    {
        // df 1 is Cauchy: tan(pi (0.975 - 0.5)); df 2: (2p - 1) / sqrt(2 p (1 - p)) with p = 0.975
        Assert.Equal(Math.Tan(0.475 * Math.PI), Statistics.StudentT975(1), 1e-10);
        Assert.Equal(0.95 / Math.Sqrt(2 * 0.975 * 0.025), Statistics.StudentT975(2), 1e-10);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(500)]
    [InlineData(1000)]
    public void Series_used_above_1000_agrees_with_the_exact_sum(int df) =>
        Assert.Equal(Statistics.QuantileByBisection(df), Statistics.CornishFisher975(df), 1e-9);

    [Fact]
    public void Large_df_approaches_the_normal_quantile_from_above()
    {
        var t = Statistics.StudentT975(1_000_000);
        Assert.InRange(t, 1.959963984540054, Statistics.StudentT975(1000));
        Assert.Equal(1.959966, t, 1e-6);
        Assert.True(Statistics.StudentT975(1001) < Statistics.StudentT975(1000));
    }

    [Fact]
    public void Mean_and_sample_std()
    {
        // 2 4 4 4 5 5 7 9: mean 5, squared deviations 9+1+1+1+0+0+4+16 = 32, sample variance 32/7
        double[] values = [2, 4, 4, 4, 5, 5, 7, 9];
        Assert.Equal(5.0, Statistics.Mean(values));
        Assert.Equal(Math.Sqrt(32.0 / 7), Statistics.SampleStd(values), 1e-12);
        Assert.True(double.IsNaN(Statistics.SampleStd([3.0])));
        Assert.True(double.IsNaN(Statistics.Mean([])));
    }

    [Fact]
    public void Ci95_of_a_hand_example()
    {
        // 1 2 3: mean 2, sample std 1, t(0.975, 2) = 4.302653, half width 4.302653 / sqrt(3) = 2.484138
        var (low, high) = Statistics.Ci95([1.0, 2.0, 3.0]);
        Assert.Equal(2 - 2.484138, low, 1e-6);
        Assert.Equal(2 + 2.484138, high, 1e-6);
    }

    [Fact]
    public void Ci95_needs_two_values()
    {
        var (low, high) = Statistics.Ci95([1.0]);
        Assert.True(double.IsNaN(low) && double.IsNaN(high));
    }
}
