namespace ExperimentRunner.Core.Data.Preparation;

/// <summary>
/// Missing input cells (NaN, from a csv's <c>missing: mean</c>) filled with the training rows' column means, so no
/// statistic of validation or test rows reaches training.
/// </summary>
public static class MissingValues
{
    public static bool Any(DataSet d)
    {
        foreach (var v in d.Features.Span)
        {
            if (float.IsNaN(v)) return true;
        }
        return false;
    }

    /// <summary>Mean of each column over the rows where it is known; 0 for a column unknown in every training row.</summary>
    public static double[] ColumnMeans(DataSet train)
    {
        var width = train.FeatureCount;
        var sum = new double[width];
        var count = new int[width];
        var values = train.Features.Span;
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (float.IsNaN(v)) continue;
            sum[i % width] += v;
            count[i % width]++;
        }
        return sum.Select((s, k) => count[k] > 0 ? s / count[k] : 0.0).ToArray();
    }

    public static DataSet Fill(DataSet d, IReadOnlyList<double> means)
    {
        if (!Any(d)) return d;
        var features = d.Features.ToArray();
        for (var i = 0; i < features.Length; i++)
        {
            if (float.IsNaN(features[i])) features[i] = (float)means[i % means.Count];
        }
        return d with { Features = features };
    }
}
