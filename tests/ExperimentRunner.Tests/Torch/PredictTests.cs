using System.Globalization;
using ExperimentRunner.Tests.Data;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// <c>exprun predict</c>: a finished trial applied to rows from a file, read as the trial read its own; on the trial's
/// own test file the scores are the trial's test metrics to the last digit.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PredictTests : TorchTest
{
    private string TrialDir(string name, string yaml)
    {
        var file = Temp.Write($"{name}.yaml", yaml);
        var run = CliHarness.Run("run", file, "-o", Temp.Combine("out"));
        Assert.True(run.ExitCode == 0, run.Error + run.Out);
        return Assert.Single(Directory.GetDirectories(Temp.Combine("out", name, "trials")));
    }

    private static ExperimentRunner.Core.Results.RunManifest Manifest(string trialDir) => ExperimentRunner.Core.Results.RunManifest.TryLoad(trialDir)!;

    /// <summary>A table with a numeric, a categorical and a sometimes-missing column, classes in the last column.</summary>
    private void WriteTable(string name, int rows, int seed, bool unseenCategory = false)
    {
        var random = new Random(seed);
        var lines = new List<string> { "size,colour,weight,kind" };
        for (var i = 0; i < rows; i++)
        {
            var kind = i % 3;
            var size = (kind * 2 + random.NextDouble() * 1.5).ToString("0.###", CultureInfo.InvariantCulture);
            var colour = unseenCategory && i == 0 ? "purple" : new[] { "red", "green", "blue" }[(kind + random.Next(2)) % 3];
            var weight = i % 7 == 3 ? "?" : (kind + random.NextDouble()).ToString("0.###", CultureInfo.InvariantCulture);
            lines.Add($"{size},{colour},{weight},k{kind}");
        }
        Temp.Write(name, string.Join("\n", lines) + "\n");
    }

    private const string CsvTrial = """
        name: predict-csv
        seed: 4
        dataset: {name: csv, path: train.csv, target: kind, categorical: [colour], missing: mean, test_path: test.csv, split: [0.8, 0.2]}
        model: {architecture: mlp, hidden: [12], activation: tanh}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.02}
        training: {epochs: 8, batch_size: 16}
        metrics: [accuracy, f1_macro]
        diagnostics: {layer_stats: false}
        """;

    [Fact]
    public void Predictions_on_the_trials_own_csv_test_file_give_its_test_metrics_exactly()
    {
        WriteTable("train.csv", 150, seed: 1);
        WriteTable("test.csv", 45, seed: 2);
        var trial = TrialDir("predict-csv", CsvTrial);
        var output = Temp.Combine("predictions.csv");

        var result = CliHarness.Run("predict", trial, Temp.Combine("test.csv"), "-o", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var manifest = Manifest(trial);
        var accuracy = manifest.TestMetrics["accuracy"]!.Value;
        var f1 = manifest.TestMetrics["f1_macro"]!.Value;
        Assert.Equal($"wrote {output}: 45 predictions with the best weights; accuracy {accuracy.ToString("0.####", CultureInfo.InvariantCulture)}, f1_macro {f1.ToString("0.####", CultureInfo.InvariantCulture)} over the 45 rows with a target\n", result.Out);
        var table = CsvTable.Read(output);
        Assert.Equal(["line", "target", "predicted", "p_k0", "p_k1", "p_k2"], table.Header);
        Assert.Equal(Enumerable.Range(2, 45).Select(i => i.ToString(CultureInfo.InvariantCulture)), table.Cells("line"));
        var hits = table.Rows.Count(r => r[1] == r[2]);
        Assert.Equal(accuracy, (double)hits / 45);
        Assert.All(table.Rows, r => Assert.Equal(1.0, r.Skip(3).Sum(c => double.Parse(c, CultureInfo.InvariantCulture)), 6));
    }

    [Fact]
    public void New_rows_without_a_target_column_get_predictions_and_no_score()
    {
        WriteTable("train.csv", 150, seed: 1);
        WriteTable("test.csv", 30, seed: 2);
        var trial = TrialDir("predict-csv", CsvTrial);
        Temp.Write("new.csv", "colour,size,weight\nred,0.5,0.2\npurple,4.1,?\n");

        var result = CliHarness.Run("predict", trial, Temp.Combine("new.csv"), "-o", Temp.Combine("p.csv"), "--checkpoint", "last");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal($"wrote {Temp.Combine("p.csv")}: 2 predictions with the last weights\n", result.Out);
        Assert.Equal("warning: 1 row has a category no training row had; encoded as all zeros\n", result.Error);
        Assert.Equal(["line", "predicted", "p_k0", "p_k1", "p_k2"], CsvTable.Read(Temp.Combine("p.csv")).Header);
    }

    [Fact]
    public void Rows_the_trial_cannot_read_are_errors_naming_row_and_column()
    {
        WriteTable("train.csv", 150, seed: 1);
        WriteTable("test.csv", 30, seed: 2);
        var trial = TrialDir("predict-csv", CsvTrial);
        Temp.Write("bad.csv", "size,colour,weight,kind\n1.0,red,0.3,k0\nbig,red,0.3,k1\n");
        Temp.Write("short.csv", "size,weight\n1,2\n");
        Temp.Write("alien.csv", "size,colour,weight,kind\n1.0,red,0.3,k9\n");

        Assert.Equal($"error: {Temp.Combine("bad.csv")}: row 3, column 1 'size': 'big' is not a number; the trial read this column as numbers\n",
            CliHarness.Run("predict", trial, Temp.Combine("bad.csv"), "-o", Temp.Combine("p.csv")).Error);
        Assert.Equal($"error: {Temp.Combine("short.csv")}: has no column 'colour'; the trial was trained on the columns size, colour, weight\n",
            CliHarness.Run("predict", trial, Temp.Combine("short.csv"), "-o", Temp.Combine("p.csv")).Error);
        Assert.Equal($"error: {Temp.Combine("alien.csv")}: row 2, column 4 'kind': class 'k9' is not one of the trial's classes k0, k1, k2\n",
            CliHarness.Run("predict", trial, Temp.Combine("alien.csv"), "-o", Temp.Combine("p.csv")).Error);
        var notATrial = CliHarness.Run("predict", Temp.Path, Temp.Combine("bad.csv"));
        Assert.Equal(2, notATrial.ExitCode);
        Assert.Equal($"error: {Temp.Path}: no readable run.json: not a trial folder (results/<name>/trials/<trial-id>)\n", notATrial.Error);
        Assert.False(File.Exists(Temp.Combine("p.csv")));
    }

    [Fact]
    public void Predictions_on_the_trials_own_idx_test_files_give_its_test_accuracy_exactly()
    {
        Directory.CreateDirectory(Temp.Combine("train"));
        Directory.CreateDirectory(Temp.Combine("test"));
        IdxFiles.Bars(Temp.Combine("train"), 120, 8, gzip: false, seed: 1);
        IdxFiles.Bars(Temp.Combine("test"), 40, 8, gzip: true, seed: 2);
        var trial = TrialDir("predict-idx", """
            name: predict-idx
            seed: 2
            dataset: {name: idx, images: train/bars-images-idx3-ubyte, labels: train/bars-labels-idx1-ubyte, test_images: test/bars-images-idx3-ubyte.gz, test_labels: test/bars-labels-idx1-ubyte.gz}
            model: {architecture: cnn, channels: [4], hidden: [8]}
            loss: nll
            optimizer: {name: adam, lr: 0.02}
            training: {epochs: 3, batch_size: 16}
            diagnostics: {layer_stats: false}
            """);

        var result = CliHarness.Run("predict", trial, Temp.Combine("test", "bars-images-idx3-ubyte.gz"), "--labels", Temp.Combine("test", "bars-labels-idx1-ubyte.gz"), "-o", Temp.Combine("p.csv"));

        Assert.True(result.ExitCode == 0, result.Error);
        var accuracy = Manifest(trial).TestMetrics["accuracy"]!.Value;
        var table = CsvTable.Read(Temp.Combine("p.csv"));
        Assert.Equal(["item", "target", "predicted", "p_0", "p_1", "p_2"], table.Header);
        Assert.Equal(accuracy, (double)table.Rows.Count(r => r[1] == r[2]) / 40);
        Assert.Contains($"accuracy {accuracy.ToString("0.####", CultureInfo.InvariantCulture)}", result.Out);
    }

    [Fact]
    public void A_regression_trial_predicts_values_with_its_test_mae()
    {
        var random = new Random(3);
        string Rows(int n) => string.Join("\n", Enumerable.Range(0, n).Select(_ =>
        {
            var x = random.NextDouble() * 4;
            return string.Create(CultureInfo.InvariantCulture, $"{x:0.###},{2 * x + 1 + random.NextDouble() * 0.1:0.###}");
        }));
        Temp.Write("reg.csv", "x,y\n" + Rows(120) + "\n");
        Temp.Write("reg-test.csv", "x,y\n" + Rows(30) + "\n");
        var trial = TrialDir("predict-reg", """
            name: predict-reg
            dataset: {name: csv, path: reg.csv, target: y, test_path: reg-test.csv}
            model: {architecture: mlp, hidden: [8]}
            loss: mse
            optimizer: {name: adam, lr: 0.05}
            training: {epochs: 10, batch_size: 16}
            diagnostics: {layer_stats: false}
            """);

        var result = CliHarness.Run("predict", trial, Temp.Combine("reg-test.csv"), "-o", Temp.Combine("p.csv"));

        Assert.True(result.ExitCode == 0, result.Error);
        var mae = Manifest(trial).TestMetrics["mae"]!.Value;
        var table = CsvTable.Read(Temp.Combine("p.csv"));
        Assert.Equal(["line", "target", "predicted"], table.Header);
        Assert.Equal(mae, table.Rows.Average(r => Math.Abs((double)float.Parse(r[1], CultureInfo.InvariantCulture) - float.Parse(r[2], CultureInfo.InvariantCulture))), 5);
        Assert.Contains($"mae {mae.ToString("0.####", CultureInfo.InvariantCulture)}", result.Out);
    }
}
