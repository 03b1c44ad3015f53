using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>"The loss goes down" (TorchSharp's TestTraining.cs): small problems a working trainer must learn.</summary>
[Collection(TorchCollection.Name)]
public sealed class LearningTests : TorchTest
{
    [Fact]
    public void Spirals_are_learned_well_above_chance()
    {
        const string yaml = """
            name: learn-spirals
            seed: 7
            dataset: {name: spirals, samples: 600, classes: 3, noise: 0.1}
            model: {architecture: mlp, hidden: [32, 32], activation: relu, init: kaiming_uniform}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.02}
            training: {epochs: 40, batch_size: 32}
            metrics: [accuracy]
            diagnostics: {layer_stats: false}
            """;
        var trial = Experiments.Single(yaml, Temp.Path);

        var manifest = TrialHarness.Run(trial, ExperimentDir("learn-spirals"));

        Assert.Equal("completed", manifest.Status);
        var metrics = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir("learn-spirals"), trial), "metrics.csv"));
        var loss = metrics.Numbers("train_loss");
        // Chance on 3 balanced classes: accuracy 1/3, cross-entropy ln 3 = 1.0986.
        Assert.True(loss[0] > 0.5, $"first epoch train_loss {loss[0]}");
        Assert.True(loss[^1] < loss[0] / 3, $"train_loss went from {loss[0]} to {loss[^1]}");
        var accuracy = metrics.Numbers("val_accuracy");
        Assert.True(accuracy.Max() > 0.9, $"best val_accuracy {accuracy.Max()}");
        Assert.True(manifest.TestMetrics["accuracy"] > 0.85, $"test accuracy {manifest.TestMetrics["accuracy"]}");
    }

    [Fact]
    public void Sine_regression_reaches_a_low_error()
    {
        const string yaml = """
            name: learn-sine
            seed: 7
            dataset: {name: sine, samples: 400, noise: 0.05}
            model: {architecture: mlp, hidden: [32, 32], activation: tanh}
            loss: mse
            optimizer: {name: adam, lr: 0.01}
            training: {epochs: 40, batch_size: 32}
            metrics: [mae, r2]
            diagnostics: {layer_stats: false}
            """;
        var trial = Experiments.Single(yaml, Temp.Path);

        var manifest = TrialHarness.Run(trial, ExperimentDir("learn-sine"));

        Assert.Equal("completed", manifest.Status);
        var metrics = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir("learn-sine"), trial), "metrics.csv"));
        var loss = metrics.Numbers("train_loss");
        Assert.True(loss[^1] < loss[0] / 5, $"train_loss went from {loss[0]} to {loss[^1]}");
        // sin has mean absolute value 2/pi = 0.64 around its mean 0: predicting the mean scores about that.
        Assert.True(manifest.TestMetrics["mae"] < 0.1, $"test mae {manifest.TestMetrics["mae"]}");
        Assert.True(manifest.TestMetrics["r2"] > 0.95, $"test r2 {manifest.TestMetrics["r2"]}");
    }
}
