using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Stats;

namespace ExperimentRunner.Core.Analysis;

/// <summary>One compared cell: its key values and the statistics of the chosen metric over its trials.</summary>
public sealed record CellStats(IReadOnlyList<string> Key, int N, int Trials, double Mean, double Std, double CiLow, double CiHigh)
{
    public double HalfWidth => double.IsFinite(CiHigh) ? (CiHigh - CiLow) / 2 : double.NaN;
}

/// <summary>
/// Cells compared by a metric: <see cref="Ranked"/> best first when the metric has a direction (its own, or the one the
/// user gave), else in sweep order with no best.
/// </summary>
public sealed record ComparisonTable(string Metric, MetricDirection Direction, IReadOnlyList<string> By, IReadOnlyList<CellStats> Ranked)
{
    public bool IsRanked => Direction != MetricDirection.Neither;

    public bool HigherIsBetter => Direction == MetricDirection.HigherIsBetter;

    public CellStats? Best => IsRanked ? Ranked.FirstOrDefault(c => c.N > 0) : null;

    /// <summary>Whether two cells' 95% intervals overlap (a quick, conservative "not clearly different").</summary>
    public static bool Overlaps(CellStats a, CellStats b) =>
        double.IsFinite(a.CiLow) && double.IsFinite(b.CiLow) && a.CiLow <= b.CiHigh && b.CiLow <= a.CiHigh;
}

/// <summary>
/// Ranks cells of a summary.csv by a metric: groups rows by the chosen keys, aggregates over seeds and
/// sorts best first (direction from the metric, see <see cref="MetricDirections"/>, unless the caller gives one).
/// </summary>
public static class Comparison
{
    public static readonly string[] FixedColumns = ["trial", "status", "seed", "epochs", "best_epoch", "best_val_loss", "train_loss", "val_loss", "test_loss", "diverged_epoch", "seconds", "error"];

    /// <summary>Swept-key columns of a summary header: those between <c>status</c> and <c>seed</c>.</summary>
    public static IReadOnlyList<string> SweptKeys(IReadOnlyList<string> header)
    {
        var start = header.ToList().IndexOf("status") + 1;
        var end = header.ToList().IndexOf("seed");
        return start > 0 && end > start ? header.Skip(start).Take(end - start).ToList() : [];
    }

    public static string DefaultMetric(IReadOnlyList<string> header) =>
        header.FirstOrDefault(h => h.StartsWith("test_", StringComparison.Ordinal) && h != "test_loss") ?? (header.Contains("test_loss") ? "test_loss" : "best_val_loss");

    /// <param name="order">The direction to rank by; null: the metric's own (a diagnostic has none, and its cells stay in sweep order).</param>
    public static ComparisonTable Compare(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, string metric, IReadOnlyList<string> by, Catalogs catalogs, MetricDirection? order = null)
    {
        var h = header.ToList();
        var metricColumn = h.IndexOf(metric);
        var statusColumn = h.IndexOf("status");
        var keyColumns = by.Select(k => h.IndexOf(k)).ToList();
        var direction = order ?? MetricDirections.Of(metric, catalogs);
        var cells = rows
            .GroupBy(r => string.Join("\u001f", keyColumns.Select(c => r[c])))
            .Select(g =>
            {
                var trials = g.ToList();
                var values = trials
                    .Where(r => statusColumn < 0 || TrialStatusText.Parse(r[statusColumn]).IsTerminal())
                    .Select(r => CsvText.ParseNumber(r[metricColumn]))
                    .Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).ToList();
                var (low, high) = Statistics.Ci95(values);
                return new CellStats(keyColumns.Select(c => trials[0][c]).ToList(), values.Count, trials.Count, Statistics.Mean(values), Statistics.SampleStd(values), low, high);
            })
            .ToList();
        if (direction == MetricDirection.Neither) return new ComparisonTable(metric, direction, by, cells);
        // Cells without a value (all failed) go last; otherwise best mean first, ties by key for a stable order.
        var ranked = cells
            .OrderBy(c => c.N == 0)
            .ThenBy(c => direction == MetricDirection.HigherIsBetter ? -c.Mean : c.Mean)
            .ThenBy(c => string.Join(",", c.Key), StringComparer.Ordinal)
            .ToList();
        return new ComparisonTable(metric, direction, by, ranked);
    }
}
