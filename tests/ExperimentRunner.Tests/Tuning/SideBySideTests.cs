using ExperimentRunner.Core.Analysis;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.Sweeps;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Tuning;

/// <summary><c>exprun compare A --against B</c>: two rankings of the same cells, the settings each chose, and what moved.</summary>
[Collection(TorchCollection.Name)]
public sealed class SideBySideTests
{
    private static SummaryTable Table(string sweptExtra, params (string Loss, string Extra, double Accuracy)[] rows)
    {
        List<string> header = ["trial", "status", "loss", .. sweptExtra.Length > 0 ? [sweptExtra] : Array.Empty<string>(), "seed", "test_accuracy"];
        var body = rows.Select((r, i) => (IReadOnlyList<string>)
            ["t" + i, "completed", r.Loss, .. sweptExtra.Length > 0 ? [r.Extra] : Array.Empty<string>(), (i % 3 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), CsvText.Number(r.Accuracy)]).ToList();
        return new SummaryTable(header, body);
    }

    [Fact]
    public void Cells_are_joined_by_their_keys_with_ranks_standard_errors_choices_and_moves()
    {
        var tuned = Table("optimizer.lr", ("ce", "0.05", 0.90), ("ce", "0.05", 0.92), ("ce", "0.05", 0.94), ("mse", "0.01", 0.95), ("mse", "0.01", 0.96), ("mse", "0.01", 0.97));
        var shared = Table("", ("ce", "", 0.80), ("ce", "", 0.82), ("ce", "", 0.84), ("mse", "", 0.60), ("mse", "", 0.61), ("mse", "", 0.62));
        var catalogs = TestRuntime.Instance.Catalogs;
        var a = Comparison.Compare(tuned.Header, tuned.Rows, "test_accuracy", ["loss"], catalogs);
        var b = Comparison.Compare(shared.Header, shared.Rows, "test_accuracy", ["loss"], catalogs);
        var (header, rows) = SideBySide.Build(a, b, tuned, shared, ComparisonFormatter.Short);
        Assert.Equal(["loss", "a_rank", "a_test_accuracy", "a_se", "a_optimizer.lr", "b_rank", "b_test_accuracy", "b_se", "delta", "within_b_se", "rank_change"], header);
        Assert.Equal(["mse", "1", "0.9600", "0.0058", "0.01", "2", "0.6100", "0.0058", "0.3500", "no", "+1"], rows[0]);
        Assert.Equal(["ce", "2", "0.9200", "0.0115", "0.05", "1", "0.8200", "0.0115", "0.1000", "no", "-1"], rows[1]);
        Assert.Equal(2, SideBySide.Moved(rows));
        Assert.Equal("within b's standard error: 0, a better by more: 2, a worse by more: 0", SideBySide.Tally(header, rows, higherIsBetter: true));
    }

    [Fact]
    public void A_difference_inside_b_standard_error_is_within_and_an_equal_cell_does_not_move()
    {
        var asha = Table("optimizer.lr", ("ce", "0.02", 0.90), ("ce", "0.02", 0.91), ("ce", "0.02", 0.95));
        var exhaustive = Table("optimizer.lr", ("ce", "0.05", 0.88), ("ce", "0.05", 0.92), ("ce", "0.05", 0.93));
        var catalogs = TestRuntime.Instance.Catalogs;
        var a = Comparison.Compare(asha.Header, asha.Rows, "test_accuracy", ["loss"], catalogs);
        var b = Comparison.Compare(exhaustive.Header, exhaustive.Rows, "test_accuracy", ["loss"], catalogs);
        var (header, rows) = SideBySide.Build(a, b, asha, exhaustive, ComparisonFormatter.Short);
        // a 0.92, b 0.91 with b's standard error 0.0153: within.
        Assert.Equal(["ce", "1", "0.9200", "0.0153", "0.02", "1", "0.9100", "0.0153", "0.05", "0.0100", "yes", "0"], rows[0]);
        Assert.Equal(0, SideBySide.Moved(rows));
        Assert.Equal("within b's standard error: 1, a better by more: 0, a worse by more: 0; the same optimizer.lr chosen: 0 of 1", SideBySide.Tally(header, rows, higherIsBetter: true));
    }

    [Fact]
    public void The_cli_puts_a_tuned_sweep_beside_the_same_sweep_at_one_shared_setting()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", TuningRunTests.Tuned.Replace("epochs: 9", "epochs: 3").Replace("seeds: [1, 2]", "seeds: [1, 2, 3]"));
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Path, "--set", "sweep.tune.stopping=none").Code);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Path, "--set", "sweep.tune=null", "--set", "name=shared").Code);
        var (code, output, error) = SweepHarness.Cli("compare", dir.Combine("tuned"), "--against", dir.Combine("shared"), "--metric", "test_accuracy", "--format", "csv");
        Assert.True(code == 0, error);
        var table = CsvTable.Parse(output);
        Assert.Equal(["loss", "a_rank", "a_test_accuracy", "a_se", "a_optimizer.lr", "b_rank", "b_test_accuracy", "b_se", "delta", "within_b_se", "rank_change"], table.Header);
        Assert.Equal(["cross_entropy", "mse"], table.Rows.Select(r => r[0]).Order());
        var choices = CsvText.Read(Path.Combine(dir.Combine("tuned"), "tuning", "choices.csv"));
        foreach (var row in table.Rows) Assert.Equal(choices.Rows.Single(c => c[0] == row[0])[2], row[4]);

        var text = SweepHarness.Cli("compare", dir.Combine("tuned"), "--against", dir.Combine("shared"), "--metric", "test_accuracy");
        Assert.Contains($"a = {dir.Combine("tuned")}, b = {dir.Combine("shared")}; higher is better", text.Out);
        Assert.Matches(@"\d of 2 cells change rank", text.Out);

        var missing = SweepHarness.Cli("compare", dir.Combine("tuned"), "--against", dir.Combine("nowhere"));
        Assert.Equal(2, missing.Code);
    }
}
