using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Metrics;

/// <summary>
/// Scores computed on CPU from predictions; names (and aliases) as in the metric catalog. Sums are
/// accumulated in double so large evaluation sets do not lose precision. Macro averages follow
/// scikit-learn: over the classes present in the targets or the predictions, with zero_division=0.
/// </summary>
public static partial class MetricCalculator
{
    public static bool HigherIsBetter(string name) => Entry(name).HigherIsBetter;

    public static double Classification(string name, ReadOnlySpan<long> predicted, ReadOnlySpan<long> actual, int classes)
    {
        var entry = Entry(name, TaskKind.Classification);
        CheckLengths(predicted.Length, actual.Length);
        if (actual.Length == 0) return double.NaN;
        var confusion = ConfusionCounts.From(predicted, actual, classes);
        return entry.Name switch
        {
            "accuracy" => (double)confusion.Correct / actual.Length,
            "precision_macro" => confusion.MacroMean(c => Ratio(confusion.TruePositives[c], confusion.Predicted[c])),
            "recall_macro" => confusion.MacroMean(c => Ratio(confusion.TruePositives[c], confusion.Actual[c])),
            // 2tp / (2tp + fp + fn) equals 2PR / (P + R) and is 0, not NaN, when tp = 0.
            "f1_macro" => confusion.MacroMean(c => Ratio(2 * confusion.TruePositives[c], confusion.Predicted[c] + confusion.Actual[c])),
            _ => throw Unhandled(entry),
        };
    }

    /// <remarks>Several target columns are scored as one pooled column (scikit-learn would average r2 per column).</remarks>
    public static double Regression(string name, ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        var entry = Entry(name, TaskKind.Regression);
        CheckLengths(predicted.Length, actual.Length);
        if (actual.Length == 0) return double.NaN;
        double absolute = 0, squared = 0, sum = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var error = (double)predicted[i] - actual[i];
            absolute += Math.Abs(error);
            squared += error * error;
            sum += actual[i];
        }
        var n = actual.Length;
        return entry.Name switch
        {
            "mae" => absolute / n,
            "rmse" => Math.Sqrt(squared / n),
            "r2" => RSquared(squared, TotalSquares(actual, sum / n)),
            _ => throw Unhandled(entry),
        };
    }

    /// <summary>1 - SSres/SStot; a constant target scores 1 when matched exactly and 0 otherwise (scikit-learn).</summary>
    private static double RSquared(double residualSquares, double totalSquares) =>
        totalSquares > 0 ? 1 - residualSquares / totalSquares : residualSquares == 0 ? 1.0 : 0.0;

    private static double TotalSquares(ReadOnlySpan<float> actual, double mean)
    {
        double total = 0;
        foreach (var a in actual) total += (a - mean) * (a - mean);
        return total;
    }

    private static double Ratio(long numerator, long denominator) => denominator == 0 ? 0.0 : (double)numerator / denominator;

    private static MetricEntry Entry(string name, TaskKind? task = null)
    {
        var valid = task is null ? Catalogs.Default.Metrics.Entries : Catalogs.Default.Metrics.Entries.Where(e => e.Task == task).ToList();
        if (Catalogs.Default.Metrics.TryGet(name, out var entry) && valid.Contains(entry)) return entry;
        var kind = task is null ? "metric" : $"{task.Value.ToString().ToLowerInvariant()} metric";
        throw new ArgumentException($"unknown {kind} '{name}'; valid: {string.Join(", ", valid.Select(e => e.Name))}", nameof(name));
    }

    private static void CheckLengths(int predicted, int actual)
    {
        if (predicted != actual)
            throw new ArgumentException($"{predicted} predictions for {actual} targets");
    }

    private static InvalidOperationException Unhandled(MetricEntry entry) =>
        new($"metric '{entry.Name}' is in the catalog but has no formula here");
}
