namespace ExperimentRunner.Core.Metrics;

/// <summary>Per-class counts that every classification metric is a ratio of.</summary>
internal sealed class ConfusionCounts
{
    private ConfusionCounts(int classes)
    {
        TruePositives = new long[classes];
        Predicted = new long[classes];
        Actual = new long[classes];
    }

    public long[] TruePositives { get; }
    /// <summary>How often each class was predicted (tp + fp).</summary>
    public long[] Predicted { get; }
    /// <summary>How often each class is the target (tp + fn).</summary>
    public long[] Actual { get; }
    public long Correct { get; private set; }

    public static ConfusionCounts From(ReadOnlySpan<long> predicted, ReadOnlySpan<long> actual, int classes)
    {
        var counts = new ConfusionCounts(classes);
        for (var i = 0; i < actual.Length; i++)
        {
            var (p, a) = (predicted[i], actual[i]);
            if (p < 0 || p >= classes || a < 0 || a >= classes)
                throw new ArgumentException($"class index out of range [0, {classes}) at position {i}: predicted {p}, actual {a}");
            counts.Predicted[p]++;
            counts.Actual[a]++;
            if (p == a)
            {
                counts.TruePositives[a]++;
                counts.Correct++;
            }
        }
        return counts;
    }

    /// <summary>Unweighted mean over the classes that occur in the targets or the predictions.</summary>
    public double MacroMean(Func<int, double> perClass)
    {
        var present = Enumerable.Range(0, Actual.Length).Where(c => Actual[c] > 0 || Predicted[c] > 0).ToList();
        return present.Average(perClass);
    }
}
