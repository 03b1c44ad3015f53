using System.Globalization;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// One row of metrics.csv: losses and metric values on train and validation after an epoch. <see cref="Seconds"/>
/// is the whole epoch as the user waits for it (training, validation, diagnostics, files and checkpoints);
/// <see cref="TrainSeconds"/> the training pass over the batches alone.
/// </summary>
public sealed record EpochRecord(
    int Epoch,
    double TrainLoss,
    double ValLoss,
    IReadOnlyDictionary<string, double> TrainMetrics,
    IReadOnlyDictionary<string, double> ValMetrics,
    double LearningRate,
    double Seconds)
{
    public double TrainSeconds { get; init; } = double.NaN;
}

/// <summary>metrics.csv: <c>epoch,train_loss,val_loss,train_&lt;metric&gt;...,val_&lt;metric&gt;...,lr,seconds,train_seconds</c>.</summary>
public static class MetricsCsv
{
    public const string FileName = "metrics.csv";

    public static IReadOnlyList<string> Header(IReadOnlyList<string> metrics) =>
        ["epoch", "train_loss", "val_loss", .. metrics.Select(m => $"train_{m}"), .. metrics.Select(m => $"val_{m}"), "lr", "seconds", "train_seconds"];

    public static string Write(IReadOnlyList<string> metrics, IEnumerable<EpochRecord> epochs) =>
        CsvText.Write(Header(metrics), epochs.Select(e => (IReadOnlyList<string>)
        [
            e.Epoch.ToString(CultureInfo.InvariantCulture), CsvText.Number(e.TrainLoss), CsvText.Number(e.ValLoss),
            .. metrics.Select(m => CsvText.Number(e.TrainMetrics.GetValueOrDefault(m, double.NaN))),
            .. metrics.Select(m => CsvText.Number(e.ValMetrics.GetValueOrDefault(m, double.NaN))),
            CsvText.Number(e.LearningRate), CsvText.Number(e.Seconds), CsvText.Number(e.TrainSeconds),
        ]));

    /// <summary>Reads rows back (resume continues the file from the last checkpointed epoch).</summary>
    public static List<EpochRecord> Read(string path, IReadOnlyList<string> metrics)
    {
        if (!File.Exists(path)) return [];
        var (header, rows) = CsvText.Read(path);
        int Col(string name) => header.ToList().IndexOf(name);
        double Num(IReadOnlyList<string> row, string name) => Col(name) is var i and >= 0 ? CsvText.ParseNumber(row[i]) ?? double.NaN : double.NaN;
        return rows.Select(r => new EpochRecord(
            (int)Num(r, "epoch"), Num(r, "train_loss"), Num(r, "val_loss"),
            metrics.ToDictionary(m => m, m => Num(r, $"train_{m}")),
            metrics.ToDictionary(m => m, m => Num(r, $"val_{m}")),
            Num(r, "lr"), Num(r, "seconds")) { TrainSeconds = Num(r, "train_seconds") }).ToList();
    }
}
