using System.Globalization;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Tests.Sweeps;

public sealed class AggregateTests
{
    private static RunManifest Trial(string loss, long seed, double accuracy, string status = "completed") => new()
    {
        Trial = $"{loss}-s{seed}",
        Experiment = "e",
        Status = status,
        ConfigHash = "x",
        Seed = seed,
        Epochs = 10,
        Swept = new Dictionary<string, string> { ["loss"] = loss },
        Metrics = ["accuracy"],
        TestMetrics = new Dictionary<string, double?> { ["accuracy"] = status == "failed" ? null : accuracy },
        Seconds = 1,
    };

    [Fact]
    public void MeanStdAndTIntervalMatchHandComputation()
    {
        var text = AggregateCsv.Write(["loss"], ["accuracy"],
        [
            Trial("mse", 1, 0.8), Trial("mse", 2, 0.9), Trial("mse", 3, 1.0),
            Trial("ce", 1, 0.5), Trial("ce", 2, 0.7), Trial("ce", 3, 0.0, "failed"),
        ]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        Assert.Equal(["loss", "n", "n_diverged", "n_failed", "n_damaged", "epochs_mean"], header.Take(6));
        var mse = lines[1].Split(',');
        double Cell(string[] row, string column) => double.Parse(row[header.IndexOf(column)], CultureInfo.InvariantCulture);

        // mse: 0.8, 0.9, 1.0 -> mean 0.9; sample std sqrt(((-.1)^2 + 0 + .1^2) / 2) = 0.1;
        // half width t(0.975, 2) * 0.1 / sqrt(3) = 4.302653 * 0.057735 = 0.248414
        Assert.Equal("mse", mse[0]);
        Assert.Equal("3", mse[1]);
        Assert.Equal(0.9, Cell(mse, "test_accuracy_mean"), 12);
        Assert.Equal(0.1, Cell(mse, "test_accuracy_std"), 12);
        Assert.Equal(0.9 - 0.248414, Cell(mse, "test_accuracy_ci95_low"), 5);
        Assert.Equal(0.9 + 0.248414, Cell(mse, "test_accuracy_ci95_high"), 5);

        // ce: the failed trial counts in n_failed, not in n or the statistics: 0.5, 0.7 -> mean 0.6,
        // std sqrt(0.02) = 0.141421, half width t(0.975, 1) * 0.141421 / sqrt(2) = 12.706205 * 0.1 = 1.2706205
        var ce = lines[2].Split(',');
        Assert.Equal(["ce", "2", "0", "1"], ce.Take(4));
        Assert.Equal(0.6, Cell(ce, "test_accuracy_mean"), 12);
        Assert.Equal(Math.Sqrt(0.02), Cell(ce, "test_accuracy_std"), 12);
        Assert.Equal(0.6 + 1.2706205, Cell(ce, "test_accuracy_ci95_high"), 6);
    }

    [Fact]
    public void ASingleSeedHasNoIntervalButStillAMean()
    {
        var text = AggregateCsv.Write(["loss"], ["accuracy"], [Trial("mse", 1, 0.75)]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',').ToList();
        var row = lines[1].Split(',');
        Assert.Equal("0.75", row[header.IndexOf("test_accuracy_mean")]);
        Assert.Equal("", row[header.IndexOf("test_accuracy_std")]);
        Assert.Equal("", row[header.IndexOf("test_accuracy_ci95_low")]);
    }
}
