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

    /// <summary>
    /// Reads the rows back, checking them: the header of a trial with these metrics, epochs 1, 2, 3... without a gap,
    /// numbers (or empty) in every other cell. A missing file has no rows; a damaged one throws
    /// <see cref="DamagedFileException"/> naming the row.
    /// </summary>
    /// <param name="metrics">The trial's metric names; null when they are not known (a trial that failed before
    /// recording them, or a tuning trial read before its run.json): then the file's own header names them.</param>
    public static List<EpochRecord> Read(string path, IReadOnlyList<string>? metrics)
    {
        if (!File.Exists(path)) return [];
        metrics ??= MetricsIn(path);
        // Files written before train_seconds existed have the header without it; they are whole, not damaged.
        var full = Header(metrics);
        var table = CheckedTable.Read(path, actual => actual.SequenceEqual(full) || actual.SequenceEqual(full.Take(full.Count - 1))
            ? null : $"expected '{string.Join(",", full)}'");
        var epochs = new List<EpochRecord>();
        foreach (var row in table.Rows)
        {
            var epoch = table.Epoch(row);
            if (epoch != epochs.Count + 1) throw table.Damaged(row, $"epoch {epoch} where epoch {epochs.Count + 1} belongs (each epoch once, in order)");
            double Num(string column) => table.Number(row, column) ?? double.NaN;
            epochs.Add(new EpochRecord(
                epoch, Num("train_loss"), Num("val_loss"),
                metrics.ToDictionary(m => m, m => Num($"train_{m}")),
                metrics.ToDictionary(m => m, m => Num($"val_{m}")),
                Num("lr"), Num("seconds")) { TrainSeconds = table.HasColumn("train_seconds") ? Num("train_seconds") : double.NaN });
        }
        return epochs;
    }

    /// <summary>The metric names a metrics.csv header carries (its train_&lt;metric&gt; columns); none when it cannot be read.</summary>
    public static IReadOnlyList<string> MetricsIn(string path)
    {
        string? first;
        try
        {
            using var reader = new StreamReader(path);
            first = reader.ReadLine();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        return (first ?? "").Split(',').Where(c => c.StartsWith("train_", StringComparison.Ordinal) && c is not ("train_loss" or "train_seconds"))
            .Select(c => c["train_".Length..]).ToList();
    }
}
