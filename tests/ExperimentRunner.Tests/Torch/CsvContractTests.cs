using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// The CSV contract of DESIGN.md section 2, checked as exact text: headers, invariant numbers, LF, UTF-8
/// without BOM, whatever the current culture of the process is.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed partial class CsvContractTests : TorchTest
{
    private const string Experiment = """
        name: csv-contract
        seed: 5
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16, 8], activation: tanh}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        metrics: [accuracy, f1_macro]
        diagnostics: {probe_size: 64}
        """;

    // An invariant number as "R" writes it: optional minus, digits, optional fraction, optional exponent. No
    // thousands separator, no other minus sign, no comma.
    [GeneratedRegex(@"^-?\d+(\.\d+)?(E[-+]\d+)?$")]
    private static partial Regex InvariantNumber();

    [Fact]
    public void Metrics_csv_header_is_exact()
    {
        var (trialDir, _, _) = RunOne();
        var metrics = CsvTable.Read(Path.Combine(trialDir, "metrics.csv"));
        Assert.Equal("epoch,train_loss,val_loss,train_accuracy,train_f1_macro,val_accuracy,val_f1_macro,lr,seconds,train_seconds", string.Join(",", metrics.Header));
        Assert.Equal(["1", "2", "3"], metrics.Cells("epoch"));
        Assert.All(metrics.Numbers("lr"), lr => Assert.Equal(0.01, lr));
    }

    [Fact]
    public void Summary_csv_header_is_exact_for_a_single_trial()
    {
        var (_, experimentDir, _) = RunOne();
        var summary = CsvTable.Read(Path.Combine(experimentDir, "summary.csv"));
        // DESIGN.md lists trial,status,<swept>,seed,epochs,best_epoch,best_val_loss,train_loss,val_loss,test_loss,
        // test_<metric>...,seconds,error; SummaryCsv.cs adds three diagnostics columns and diverged_epoch before seconds.
        Assert.Equal(
            "trial,status,seed,epochs,best_epoch,best_val_loss,train_loss,val_loss,test_loss,test_accuracy,test_f1_macro,max_dead_fraction,max_saturated_fraction,grad_norm_ratio,diverged_epoch,seconds,error",
            string.Join(",", summary.Header));
        var row = Assert.Single(summary.Rows);
        Assert.Equal("completed", row[summary.Column("status")]);
        Assert.Equal("5", row[summary.Column("seed")]);
        Assert.Equal("3", row[summary.Column("epochs")]);
        Assert.Equal("", row[summary.Column("diverged_epoch")]);
        Assert.Equal("", row[summary.Column("error")]);
    }

    [Fact]
    public void Summary_csv_has_a_column_per_swept_key_named_by_its_dotted_path()
    {
        var yaml = Experiment + "\nsweep: {method: grid, parameters: {model.activation: [relu, tanh]}}\n";
        var experiment = Experiments.Load(yaml, Temp.Path, "training.epochs=1");
        var experimentDir = ExperimentDir("csv-contract");
        foreach (var trial in experiment.Trials) TrialHarness.Run(trial, experimentDir);
        ExperimentResults.Write(experimentDir, experiment);

        var summary = CsvTable.Read(Path.Combine(experimentDir, "summary.csv"));
        Assert.Equal(
            "trial,status,model.activation,seed,epochs,best_epoch,best_val_loss,train_loss,val_loss,test_loss,test_accuracy,test_f1_macro,max_dead_fraction,max_saturated_fraction,grad_norm_ratio,diverged_epoch,seconds,error",
            string.Join(",", summary.Header));
        Assert.Equal(experiment.Trials.Select(t => t.Id), summary.Cells("trial"));
        Assert.Equal(["relu", "tanh"], summary.Cells("model.activation"));
    }

    [Fact]
    public void Layer_stats_csv_header_is_exact()
    {
        var (trialDir, _, _) = RunOne();
        var stats = CsvTable.Read(Path.Combine(trialDir, "layer_stats.csv"));
        Assert.Equal("epoch,layer,activation,mean,std,dead_fraction,saturated_fraction,grad_norm,weight_norm", string.Join(",", stats.Header));
        // One row per probed layer (hidden_1, hidden_2, output) for each of the 3 epochs.
        Assert.Equal(["1", "1", "1", "2", "2", "2", "3", "3", "3"], stats.Cells("epoch"));
        Assert.Equal(["hidden_1", "hidden_2", "output", "hidden_1", "hidden_2", "output", "hidden_1", "hidden_2", "output"], stats.Cells("layer"));
        Assert.Equal(["tanh", "tanh", "identity"], stats.Cells("activation").Take(3));
        // tanh is bounded, so saturation is measured; identity is not, so its cell is empty.
        Assert.Equal("", stats.Rows[2][stats.Column("saturated_fraction")]);
        Assert.NotEqual("", stats.Rows[0][stats.Column("saturated_fraction")]);
    }

    /// <summary>
    /// The repo builds with InvariantGlobalization, so "de-DE" cannot be created here. A writable clone of the
    /// invariant culture with German-style separators (and a Unicode minus, as sv-SE uses) stands in for it: any
    /// number formatted with the current culture would show a comma, a dot group separator or U+2212.
    /// </summary>
    [Fact]
    public void Every_file_is_invariant_lf_utf8_without_bom_under_a_foreign_current_culture()
    {
        var foreign = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        foreign.NumberFormat.NumberDecimalSeparator = ",";
        foreign.NumberFormat.NumberGroupSeparator = ".";
        foreign.NumberFormat.NegativeSign = "\u2212";
        foreign.DateTimeFormat.DateSeparator = ".";
        foreign.DateTimeFormat.TimeSeparator = "\u2236";
        Assert.Equal("\u22121,5", (-1.5).ToString(foreign)); // the stand-in really formats differently

        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        string trialDir, experimentDir;
        try
        {
            CultureInfo.CurrentCulture = foreign;
            CultureInfo.CurrentUICulture = foreign;
            (trialDir, experimentDir, _) = RunOne();
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
            CultureInfo.CurrentUICulture = beforeUi;
        }

        string[] text = ["trial", "status", "layer", "activation", "error"];
        foreach (var path in new[] { Path.Combine(trialDir, "metrics.csv"), Path.Combine(trialDir, "layer_stats.csv"), Path.Combine(experimentDir, "summary.csv") })
        {
            var bytes = File.ReadAllBytes(path);
            Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, $"{path} starts with a BOM");
            var content = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            Assert.DoesNotContain('\r', content);
            Assert.EndsWith("\n", content);
            var table = CsvTable.Parse(content);
            Assert.All(table.Rows, r => Assert.Equal(table.Header.Count, r.Count));
            var numeric = table.Header.Where(h => !text.Contains(h)).ToList();
            foreach (var column in numeric)
            {
                foreach (var cell in table.Cells(column).Where(c => c.Length > 0))
                {
                    Assert.True(InvariantNumber().IsMatch(cell), $"{Path.GetFileName(path)}: {column} cell '{cell}' is not an invariant number");
                    Assert.True(double.IsFinite(double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture)));
                }
            }
        }
        // Negative numbers occur (tanh means), so the minus sign was exercised.
        Assert.Contains(CsvTable.Read(Path.Combine(trialDir, "layer_stats.csv")).Cells("mean"), c => c.StartsWith('-'));

        // run.json times are ISO 8601 UTC from the injected clock.
        var json = File.ReadAllText(Path.Combine(trialDir, "run.json"));
        Assert.Contains("\"started_at\": \"2025-03-04T05:06:07+00:00\"", json);
        Assert.Contains("\"finished_at\": \"2025-03-04T05:06:07+00:00\"", json);
    }

    [Fact]
    public void Numbers_round_trip_to_the_values_in_run_json()
    {
        var (trialDir, experimentDir, manifest) = RunOne();
        var metrics = CsvTable.Read(Path.Combine(trialDir, "metrics.csv"));
        Assert.Equal(manifest.TrainLoss, metrics.Numbers("train_loss")[^1]);
        Assert.Equal(manifest.ValLoss, metrics.Numbers("val_loss")[^1]);
        var summary = CsvTable.Read(Path.Combine(experimentDir, "summary.csv"));
        Assert.Equal(manifest.TestLoss, summary.Numbers("test_loss")[0]);
        Assert.Equal(manifest.TestMetrics["accuracy"], summary.Numbers("test_accuracy")[0]);
        Assert.Equal(manifest.BestValLoss, summary.Numbers("best_val_loss")[0]);
        Assert.Equal(manifest.BestValLoss, metrics.Numbers("val_loss").Min());
    }

    private (string TrialDir, string ExperimentDir, RunManifest Manifest) RunOne()
    {
        var experiment = Experiments.Load(Experiment, Temp.Path);
        var trial = Assert.Single(experiment.Trials);
        var experimentDir = ExperimentDir("csv-contract");
        var manifest = TrialHarness.Run(trial, experimentDir);
        Assert.True(manifest.Status == "completed", $"{manifest.Status}: {manifest.Error}");
        ExperimentResults.Write(experimentDir, experiment);
        return (TrialHarness.TrialDir(experimentDir, trial), experimentDir, manifest);
    }
}
