using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Tests.Core;

public class StandardizerTests
{
    private static DataSet Table(int width, params float[] features) => new()
    {
        Features = features,
        Rows = features.Length / width,
        Shape = [width],
        Task = TaskKind.Regression,
        Values = new float[features.Length / width],
        Outputs = 1,
    };

    [Fact]
    public void Fit_takes_column_mean_and_population_std_with_constant_columns_left_unscaled()
    {
        // column 0: 1, 3, 5 -> mean 3, variance (4 + 0 + 4) / 3 = 8/3; column 1: constant 10 -> std 1
        var s = Standardizer.Fit(Table(2, 1, 10, 3, 10, 5, 10));
        Assert.Equal([3f, 10f], s.Mean);
        Assert.Equal((float)Math.Sqrt(8.0 / 3), s.Std[0], 1e-6f);
        Assert.Equal(1f, s.Std[1]);

        // (7 - 3) / sqrt(8/3) = 2.449490, (12 - 10) / 1 = 2
        var applied = s.Apply(Table(2, 7, 12));
        Assert.Equal(2.449490f, applied.Features.Span[0], 1e-5f);
        Assert.Equal(2f, applied.Features.Span[1]);
    }

    [Fact]
    public void Training_features_become_mean_zero_std_one()
    {
        var data = SyntheticDatasets.GaussianBlobs.Load(CatalogComponents.Dataset("blobs", ("features", 4L), ("spread", 20.0)), 3, ".");
        var train = Splitter.Split(data, [0.7, 0.15, 0.15], 3).Train;
        var scaled = Standardizer.Fit(train).Apply(train);
        for (var k = 0; k < 4; k++)
        {
            var column = Enumerable.Range(0, scaled.Rows).Select(r => (double)scaled.Features.Span[r * 4 + k]).ToList();
            var mean = column.Average();
            Assert.Equal(0.0, mean, 1e-5);
            Assert.Equal(1.0, Math.Sqrt(column.Average(v => (v - mean) * (v - mean))), 1e-5);
        }
        Assert.Equal(train.Labels, scaled.Labels);
    }

    [Fact]
    public void Width_mismatch_is_rejected() =>
        Assert.Throws<ArgumentException>(() => Standardizer.Fit(Table(2, 1, 2)).Apply(Table(3, 1, 2, 3)));
}
