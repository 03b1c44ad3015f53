using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.Reporting;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Cli;

/// <summary><c>exprun compare</c>: which way each metric is better, and what it says about folders it cannot compare.</summary>
public sealed class CompareTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The report fixture (2 losses x 2 activations x 2 seeds) with a gradient ratio per cell and summary.csv collected.</summary>
    private string Fixture()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var ratios = new Dictionary<string, double> { ["cross_entropy relu"] = 3.1e-7, ["cross_entropy " + ReportFixture.EvilActivation] = 0.62, ["mse relu"] = 0.17, ["mse " + ReportFixture.EvilActivation] = 0.034 };
        foreach (var trialDir in Directory.GetDirectories(ExperimentResults.TrialsDir(dir)))
        {
            var manifest = RunManifest.TryLoad(trialDir)!;
            var diagnostics = manifest.Diagnostics.ToDictionary();
            diagnostics["grad_norm_ratio"] = ratios[$"{manifest.Swept["loss"]} {manifest.Swept["model.activation"]}"];
            (manifest with { Diagnostics = diagnostics }).Save(trialDir);
        }
        Assert.Equal(0, CliHarness.Run("collect", dir).ExitCode);
        return dir;
    }

    private static List<(string Rank, string Cell, string Mean)> Rows(string csv)
    {
        var table = CsvTable.Parse(csv);
        return table.Rows.Select(r => (r[0], $"{r[1]} {r[2]}", r[table.Column(table.Header.Single(h => h.EndsWith("_mean", StringComparison.Ordinal)))])).ToList();
    }

    [Theory]
    [InlineData("test_accuracy", MetricDirection.HigherIsBetter)]
    [InlineData("val_f1_macro", MetricDirection.HigherIsBetter)]
    [InlineData("test_r2", MetricDirection.HigherIsBetter)]
    [InlineData("test_mae", MetricDirection.LowerIsBetter)]
    [InlineData("test_rmse", MetricDirection.LowerIsBetter)]
    [InlineData("test_loss", MetricDirection.LowerIsBetter)]
    [InlineData("best_val_loss", MetricDirection.LowerIsBetter)]
    [InlineData("seconds", MetricDirection.LowerIsBetter)]
    [InlineData("grad_norm_ratio", MetricDirection.Neither)]
    [InlineData("max_dead_fraction", MetricDirection.Neither)]
    [InlineData("max_saturated_fraction", MetricDirection.Neither)]
    [InlineData("epochs", MetricDirection.Neither)]
    [InlineData("seed", MetricDirection.Neither)]
    public void Every_summary_column_declares_its_direction(string column, MetricDirection direction) =>
        Assert.Equal(direction, MetricDirections.Of(column, Catalogs.Default));

    [Fact]
    public void A_diagnostic_is_shown_but_not_ranked_unless_the_order_is_given()
    {
        var dir = Fixture();

        var plain = CliHarness.Run("compare", dir, "--metric", "grad_norm_ratio", "--format", "csv");
        var lower = CliHarness.Run("compare", dir, "--metric", "grad_norm_ratio", "--order", "lower", "--format", "csv");
        var higher = CliHarness.Run("compare", dir, "--metric", "grad_norm_ratio", "--order", "higher", "--format", "csv");
        var text = CliHarness.Run("compare", dir, "--metric", "grad_norm_ratio");

        var evil = ReportFixture.EvilActivation;
        // Sweep order, no rank: 3.1e-7 is vanishing gradients, not the best result.
        Assert.Equal([("", "cross_entropy relu", "3.1E-07"), ("", $"cross_entropy {evil}", "0.62"), ("", "mse relu", "0.17"), ("", $"mse {evil}", "0.034")], Rows(plain.Out));
        Assert.Equal([("1", "cross_entropy relu", "3.1E-07"), ("2", $"mse {evil}", "0.034"), ("3", "mse relu", "0.17"), ("4", $"cross_entropy {evil}", "0.62")], Rows(lower.Out));
        Assert.Equal(["cross_entropy " + evil, "mse relu", "mse " + evil, "cross_entropy relu"], Rows(higher.Out).Select(r => r.Cell));
        Assert.Equal("grad_norm_ratio: neither higher nor lower is better, so the cells are in sweep order, not ranked (add --order higher or --order lower to rank them); "
            + "mean over seeds with a t-based 95% interval; n = trials with a value / trials in the cell", text.Out.TrimEnd('\n').Split('\n')[^1]);
        // Nothing is called best: the columns stay (the same in every format), their cells are empty.
        var csv = CsvTable.Parse(plain.Out);
        Assert.All(csv.Rows, r => Assert.Equal(("", ""), (r[csv.Column("delta_to_best")], r[csv.Column("overlaps_best")])));
    }

    [Fact]
    public void Metrics_rank_by_their_own_direction()
    {
        var dir = Fixture();

        var accuracy = CliHarness.Run("compare", dir, "--metric", "test_accuracy");
        var loss = CliHarness.Run("compare", dir, "--metric", "test_loss", "--format", "csv");

        Assert.StartsWith("higher is better; ", accuracy.Out.TrimEnd('\n').Split('\n')[^1]);
        Assert.Equal(["cross_entropy relu", "mse relu"], Rows(loss.Out).Take(2).Select(r => r.Cell));
        Assert.Equal("1", Rows(loss.Out)[0].Rank);
    }

    [Fact]
    public void A_bad_order_is_a_usage_error()
    {
        var result = CliHarness.Run("compare", Fixture(), "--order", "up");

        Assert.Equal((2, "", "error: --order: 'up' is not allowed; allowed: higher, lower\n"), (result.ExitCode, result.Out, result.Error));
    }

    [Fact]
    public void Report_needs_the_order_to_rank_by_a_diagnostic()
    {
        var dir = Fixture();

        var result = CliHarness.Run("report", dir, "--metric", "max_dead_fraction");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{dir}: error: --metric: 'max_dead_fraction': neither higher nor lower is better (a diagnostic or a count), and the report ranks cells by it; add --order higher or --order lower\n", result.Error);
        Assert.False(File.Exists(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void Folders_that_are_not_an_experiment_get_a_message_for_what_they_are()
    {
        var dir = ReportFixture.Write(_temp.Path);
        var trial = Directory.GetDirectories(ExperimentResults.TrialsDir(dir)).Order(StringComparer.Ordinal).First();
        var empty = Directory.CreateDirectory(_temp.Combine("empty")).FullName;
        var missing = _temp.Combine("missing");

        string Error(string folder)
        {
            var result = CliHarness.Run("compare", folder);
            Assert.Equal((2, ""), (result.ExitCode, result.Out));
            return result.Error;
        }

        Assert.Equal($"{missing}: error: no such folder; give an experiment's results folder, results/<experiment-name>\n", Error(missing));
        Assert.Equal($"{trial}: error: this is one trial's folder; give its experiment's results folder ({dir})\n", Error(trial));
        Assert.Equal($"{_temp.Path}: error: this folder holds experiments, not trials; give one of them: {dir}\n", Error(_temp.Path));
        // Only where trials/ exists can collect help.
        Assert.Equal($"{dir}: error: no summary.csv here; run 'exprun collect {dir}' to rebuild it from trials/\n", Error(dir));
        Assert.Equal($"{empty}: error: not an experiment's results folder (no summary.csv, no trials/); give results/<experiment-name> after 'exprun run'\n", Error(empty));
    }

    [Fact]
    public void By_on_an_experiment_without_a_sweep_says_there_are_no_swept_keys()
    {
        var dir = _temp.Combine("single");
        var trialDir = Path.Combine(ExperimentResults.TrialsDir(dir), "t1");
        Directory.CreateDirectory(trialDir);
        new RunManifest { Trial = "t1", Experiment = "single", Status = "completed", ConfigHash = "x", Metrics = ["accuracy"], TestMetrics = new Dictionary<string, double?> { ["accuracy"] = 0.9 } }.Save(trialDir);
        Assert.Equal(0, CliHarness.Run("collect", dir).ExitCode);

        var result = CliHarness.Run("compare", dir, "--by", "loss");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{Path.Combine(dir, SummaryCsv.FileName)}: error: --by: 'loss' is not a column; this experiment sweeps no keys, so its trials form one cell: leave out --by\n", result.Error);
    }
}
