namespace ExperimentRunner.Core.Data;

/// <summary>
/// Per-feature z-scoring. Fit on the training split only, then applied to every split, so validation
/// and test statistics never leak into training.
/// </summary>
public sealed record Standardizer(float[] Mean, float[] Std)
{
    /// <summary>Column means and population standard deviations; a constant column gets std 1 (left unscaled).</summary>
    public static Standardizer Fit(DataSet train)
    {
        if (train.Rows == 0) throw new ArgumentException("cannot fit a standardizer on an empty set", nameof(train));
        var width = train.FeatureCount;
        var sum = new double[width];
        var values = train.Features.Span;
        for (var r = 0; r < train.Rows; r++)
            for (var k = 0; k < width; k++) sum[k] += values[r * width + k];
        var mean = sum.Select(s => s / train.Rows).ToArray();
        var squares = new double[width];
        for (var r = 0; r < train.Rows; r++)
        {
            for (var k = 0; k < width; k++)
            {
                var d = values[r * width + k] - mean[k];
                squares[k] += d * d;
            }
        }
        var std = squares.Select(s => (float)Math.Sqrt(s / train.Rows)).Select(s => s > 0 ? s : 1f);
        return new Standardizer([.. mean.Select(m => (float)m)], [.. std]);
    }

    public DataSet Apply(DataSet d)
    {
        var width = Mean.Length;
        if (d.FeatureCount != width)
            throw new ArgumentException($"standardizer was fitted on {width} features, the set has {d.FeatureCount}", nameof(d));
        var source = d.Features.Span;
        var features = new float[source.Length];
        for (var i = 0; i < features.Length; i++)
            features[i] = (float)((source[i] - (double)Mean[i % width]) / Std[i % width]);
        return d with { Features = features };
    }
}
