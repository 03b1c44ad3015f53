using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// Steps fitted on the training split only and then applied to all three, so nothing about validation or test
/// rows leaks into training: missing feature cells (NaN, from <c>missing: mean</c>) are filled with the training
/// split's column mean, then, when the dataset asks for it (<c>standardize: true</c>), every column is z-scored
/// with the training split's mean and standard deviation.
/// </summary>
public static class Preprocessing
{
    public static DataSplits Apply(DataSplits splits, Component dataset)
    {
        if (HasNaN(splits.Train) || HasNaN(splits.Validation) || HasNaN(splits.Test))
        {
            var means = ColumnMeans(splits.Train);
            splits = new DataSplits(Fill(splits.Train, means), Fill(splits.Validation, means), Fill(splits.Test, means));
        }
        if (dataset.Has("standardize") && dataset.Bool("standardize") && splits.Train.Rows > 0)
        {
            var standardizer = Standardizer.Fit(splits.Train);
            splits = new DataSplits(standardizer.Apply(splits.Train), standardizer.Apply(splits.Validation), standardizer.Apply(splits.Test));
        }
        return splits;
    }

    private static bool HasNaN(DataSet d) => Array.Exists(d.Features, float.IsNaN);

    /// <summary>Mean of each column over the rows where it is known; 0 for a column unknown in every training row.</summary>
    public static double[] ColumnMeans(DataSet train)
    {
        var width = train.FeatureCount;
        var sum = new double[width];
        var count = new int[width];
        for (var i = 0; i < train.Features.Length; i++)
        {
            var v = train.Features[i];
            if (float.IsNaN(v)) continue;
            sum[i % width] += v;
            count[i % width]++;
        }
        return sum.Select((s, k) => count[k] > 0 ? s / count[k] : 0.0).ToArray();
    }

    private static DataSet Fill(DataSet d, double[] means)
    {
        if (!HasNaN(d)) return d;
        var features = (float[])d.Features.Clone();
        for (var i = 0; i < features.Length; i++)
        {
            if (float.IsNaN(features[i])) features[i] = (float)means[i % means.Length];
        }
        return d with { Features = features };
    }
}
