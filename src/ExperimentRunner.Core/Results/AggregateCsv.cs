using System.Globalization;
using ExperimentRunner.Core.Stats;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// aggregate.csv: one row per cell (the swept values without the seed):
/// <c>&lt;swept keys&gt;,n,n_diverged,n_failed,n_damaged,&lt;metric&gt;_mean,&lt;metric&gt;_std,&lt;metric&gt;_ci95_low,&lt;metric&gt;_ci95_high...</c>.
/// n counts trials with a result (completed, early-stopped, diverged); failed and damaged trials (files that failed the
/// check on reading) are counted apart, never in n or the statistics; a metric's statistics use the trials
/// that have a finite value for it. std is the sample standard deviation and the interval is
/// mean +- t(0.975, n-1) * std / sqrt(n).
/// </summary>
public static class AggregateCsv
{
    public const string FileName = "aggregate.csv";

    /// <summary>Numeric summary columns that are aggregated, in summary.csv order.</summary>
    public static IReadOnlyList<(string Name, Func<RunManifest, double?> Value)> Columns(IReadOnlyList<string> metrics) =>
    [
        ("epochs", m => m.Epochs), ("best_epoch", m => m.BestEpoch), ("best_val_loss", m => m.BestValLoss),
        ("train_loss", m => m.TrainLoss), ("val_loss", m => m.ValLoss), ("test_loss", m => m.TestLoss),
        .. metrics.Select(k => ($"test_{k}", (Func<RunManifest, double?>)(m => m.TestMetrics.GetValueOrDefault(k)))),
        .. SummaryCsv.DiagnosticColumns.Select(k => (k, (Func<RunManifest, double?>)(m => m.Diagnostics.GetValueOrDefault(k)))),
        ("seconds", m => m.Seconds),
    ];

    public static IReadOnlyList<string> Header(IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics) =>
        [.. sweptKeys, "n", "n_diverged", "n_failed", "n_damaged", .. Columns(metrics).SelectMany(c => new[] { $"{c.Name}_mean", $"{c.Name}_std", $"{c.Name}_ci95_low", $"{c.Name}_ci95_high" })];

    public static string Write(IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics, IEnumerable<RunManifest> manifests)
    {
        var columns = Columns(metrics);
        var cells = manifests
            .GroupBy(m => string.Join("\u001f", sweptKeys.Select(k => m.Swept.GetValueOrDefault(k, ""))))
            .Select(g => g.ToList());
        var rows = new List<IReadOnlyList<string>>();
        foreach (var cell in cells)
        {
            var results = cell.Where(m => m.StatusValue.IsTerminal()).ToList();
            var row = new List<string>(sweptKeys.Select(k => cell[0].Swept.GetValueOrDefault(k, "")))
            {
                results.Count.ToString(CultureInfo.InvariantCulture),
                cell.Count(m => m.StatusValue == TrialStatus.Diverged).ToString(CultureInfo.InvariantCulture),
                cell.Count(m => m.StatusValue == TrialStatus.Failed).ToString(CultureInfo.InvariantCulture),
                cell.Count(m => m.StatusValue == TrialStatus.Damaged).ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (_, value) in columns)
            {
                var values = results.Select(value).Where(v => v is { } d && double.IsFinite(d)).Select(v => v!.Value).ToList();
                var (low, high) = Statistics.Ci95(values);
                row.AddRange([CsvText.Number(Statistics.Mean(values)), CsvText.Number(Statistics.SampleStd(values)), CsvText.Number(low), CsvText.Number(high)]);
            }
            rows.Add(row);
        }
        return CsvText.Write(Header(sweptKeys, metrics), rows);
    }
}
