using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>A loss that becomes non-finite ends the trial as diverged: a result of the experiment, not a failure of the tool.</summary>
[Collection(TorchCollection.Name)]
public sealed class DivergenceTests : TorchTest
{
    // Plain SGD at the largest rate the schema allows, on a regression with unclipped gradients: the first step
    // multiplies the weights' error by about 100, the next output is far off, its squared error larger still, and
    // float32 overflows to inf within the first epoch.
    private const string Experiment = """
        name: diverges
        seed: 1
        dataset: {name: sine, samples: 200}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: mse
        optimizer: {name: sgd, lr: 100}
        training: {epochs: 5, batch_size: 32, gradient_clip: 0.0}
        diagnostics: {probe_size: 64}
        """;

    [Fact]
    public void Trial_runner_records_diverged_with_the_epoch()
    {
        var trial = Experiments.Single(Experiment, Temp.Path);
        var manifest = TrialHarness.Run(trial, ExperimentDir("diverges"));

        Assert.Equal("diverged", manifest.Status);
        Assert.Equal(TrialStatus.Diverged, manifest.StatusValue);
        Assert.Equal(1, manifest.DivergedEpoch);
        Assert.Null(manifest.Error);
        Assert.Equal(0, manifest.Epochs);
        Assert.Null(manifest.BestEpoch);
        Assert.Null(manifest.TestLoss);
        // No epoch finished, so metrics.csv was never written.
        Assert.False(File.Exists(Path.Combine(TrialHarness.TrialDir(ExperimentDir("diverges"), trial), "metrics.csv")));
    }

    [Fact]
    public void Exprun_run_exits_0_and_the_summary_row_says_diverged()
    {
        var file = Temp.Write("diverges.yaml", Experiment);
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        var trial = Assert.Single(Experiments.Load(Experiment, Temp.Path).Trials);
        Assert.Contains($"{trial.Id}: diverged after 0 epochs", result.Out);
        Assert.Contains("loss became non-finite in epoch 1", result.Out);
        var summary = CsvTable.Read(Path.Combine(output, "diverges", "summary.csv"));
        var row = Assert.Single(summary.Rows);
        Assert.Equal(trial.Id, row[summary.Column("trial")]);
        Assert.Equal("diverged", row[summary.Column("status")]);
        Assert.Equal("1", row[summary.Column("diverged_epoch")]);
        Assert.Equal("", row[summary.Column("error")]);
        Assert.Equal("", row[summary.Column("test_loss")]);
    }
}
