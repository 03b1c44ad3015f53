using System.Globalization;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// summary.csv: <c>trial,status,&lt;swept keys&gt;,seed,epochs,best_epoch,best_val_loss,train_loss,val_loss,test_loss,
/// test_&lt;metric&gt;...,[diagnostics...],diverged_epoch,seconds,error</c>. The header depends only on the
/// experiment (swept keys and metrics), so it is fixed before the first trial ends.
/// </summary>
public static class SummaryCsv
{
    public const string FileName = "summary.csv";

    /// <summary>Diagnostics columns every trial reports (empty when layer statistics are off).</summary>
    public static readonly string[] DiagnosticColumns = ["max_dead_fraction", "max_saturated_fraction", "grad_norm_ratio"];

    public static IReadOnlyList<string> Header(IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics) =>
    [
        "trial", "status", .. sweptKeys, "seed", "epochs", "best_epoch", "best_val_loss", "train_loss", "val_loss", "test_loss",
        .. metrics.Select(m => $"test_{m}"), .. DiagnosticColumns, "diverged_epoch", "seconds", "error",
    ];

    public static IReadOnlyList<string> Row(RunManifest m, IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics) =>
    [
        m.Trial, m.Status, .. sweptKeys.Select(k => m.Swept.GetValueOrDefault(k, "")), m.Seed.ToString(CultureInfo.InvariantCulture),
        m.Epochs.ToString(CultureInfo.InvariantCulture), CsvText.Number(m.BestEpoch), CsvText.Number(m.BestValLoss),
        CsvText.Number(m.TrainLoss), CsvText.Number(m.ValLoss), CsvText.Number(m.TestLoss),
        .. metrics.Select(k => CsvText.Number(m.TestMetrics.GetValueOrDefault(k))),
        .. DiagnosticColumns.Select(k => CsvText.Number(m.Diagnostics.GetValueOrDefault(k))),
        CsvText.Number(m.DivergedEpoch), CsvText.Number(Math.Round(m.Seconds, 3)), OneLine(m.Error),
    ];

    public static string Write(IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics, IEnumerable<RunManifest> manifests) =>
        CsvText.Write(Header(sweptKeys, metrics), manifests.Select(m => Row(m, sweptKeys, metrics)));

    /// <summary>
    /// Reads summary.csv back for <c>exprun compare</c>, checking what it relies on: a summary header, a value for every
    /// column in every row and a known status. A damaged file throws <see cref="DamagedFileException"/> naming the row.
    /// </summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Read(string path)
    {
        var table = CheckedTable.Read(path, header =>
            header.Count >= 4 && header[0] == "trial" && header[1] == "status" && header[^1] == "error" ? null : "a summary starts with trial,status and ends with error");
        foreach (var row in table.Rows)
        {
            var status = row.Cells[1];
            if (TrialStatusText.TryParse(status) is null)
                throw table.Damaged(row, $"status '{CheckedTable.Shorten(status)}' is not one of {string.Join(", ", Enum.GetValues<TrialStatus>().Select(s => s.Text()))}");
        }
        return (table.Header, table.Rows.Select(r => r.Cells).ToList());
    }

    // One value per cell and one row per trial: a multi-line stack trace stays in run.json.
    private static string OneLine(string? text) => text is null ? "" : text.ReplaceLineEndings(" ").Trim();
}
