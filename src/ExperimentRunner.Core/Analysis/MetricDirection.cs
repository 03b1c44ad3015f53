using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Core.Analysis;

/// <summary>Which way a summary column is better, if either.</summary>
public enum MetricDirection
{
    HigherIsBetter,
    LowerIsBetter,
    /// <summary>A diagnostic or a count: shown, but cells are ranked by it only when the user says the order.</summary>
    Neither,
}

/// <summary>
/// The direction every summary.csv column declares: metrics their catalog's (accuracy, f1, r2 higher; mae, rmse
/// lower), losses and seconds lower; diagnostics and epoch counts neither (a gradient ratio of 3e-7 is vanishing
/// gradients, not a win, and a dead fraction of 0 is not better than 0.1 in itself).
/// </summary>
public static class MetricDirections
{
    private static readonly Dictionary<string, MetricDirection> Fixed = new(StringComparer.Ordinal)
    {
        ["best_val_loss"] = MetricDirection.LowerIsBetter,
        ["train_loss"] = MetricDirection.LowerIsBetter,
        ["val_loss"] = MetricDirection.LowerIsBetter,
        ["test_loss"] = MetricDirection.LowerIsBetter,
        ["seconds"] = MetricDirection.LowerIsBetter,
    };

    public static MetricDirection Of(string column, Catalogs catalogs)
    {
        if (Fixed.TryGetValue(column, out var direction)) return direction;
        if (SummaryCsv.DiagnosticColumns.Contains(column)) return MetricDirection.Neither;
        foreach (var prefix in new[] { "test_", "val_", "train_" })
        {
            if (column.StartsWith(prefix, StringComparison.Ordinal) && catalogs.Metrics.TryGet(column[prefix.Length..], out var entry))
                return entry.HigherIsBetter ? MetricDirection.HigherIsBetter : MetricDirection.LowerIsBetter;
        }
        // epochs, best_epoch, diverged_epoch, seed and anything unknown.
        return MetricDirection.Neither;
    }

    /// <summary><c>--order</c> values: the user's word for a direction.</summary>
    public static readonly IReadOnlyDictionary<string, MetricDirection> Orders = new Dictionary<string, MetricDirection>(StringComparer.Ordinal)
    {
        ["higher"] = MetricDirection.HigherIsBetter,
        ["lower"] = MetricDirection.LowerIsBetter,
    };

    public static string Describe(this MetricDirection direction) => direction switch
    {
        MetricDirection.HigherIsBetter => "higher is better",
        MetricDirection.LowerIsBetter => "lower is better",
        _ => "neither higher nor lower is better",
    };
}
