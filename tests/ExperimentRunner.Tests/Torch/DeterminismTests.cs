using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>Same config, same seed, same thread count: the same numbers and the same weights, bit for bit.</summary>
[Collection(TorchCollection.Name)]
public sealed class DeterminismTests : TorchTest
{
    // Dropout draws from torch's global RNG and batches come from the (seed, epoch) permutation: both must repeat.
    private const string Experiment = """
        name: determinism
        seed: 11
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16, 16], activation: relu, dropout: 0.2, init: kaiming_normal}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        scheduler: {name: cosine}
        training: {epochs: 4, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    [Fact]
    public void The_same_trial_twice_gives_identical_metrics_and_weights()
    {
        var trial = Experiments.Single(Experiment, Temp.Path);
        var first = Temp.Combine("a", "determinism");
        var second = Temp.Combine("b", "determinism");

        var m1 = TrialHarness.Run(trial, first);
        var m2 = TrialHarness.Run(trial, second);

        Assert.Equal("completed", m1.Status);
        Assert.Equal("completed", m2.Status);
        var dir1 = TrialHarness.TrialDir(first, trial);
        var dir2 = TrialHarness.TrialDir(second, trial);
        var csv1 = CsvTable.Read(Path.Combine(dir1, "metrics.csv"));
        var csv2 = CsvTable.Read(Path.Combine(dir2, "metrics.csv"));
        Assert.Equal(4, csv1.Rows.Count);
        Assert.Equal(csv1.TextWithout("seconds"), csv2.TextWithout("seconds"));
        Assert.Equal(File.ReadAllText(Path.Combine(dir1, "layer_stats.csv")), File.ReadAllText(Path.Combine(dir2, "layer_stats.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir1, "checkpoints", "best.safetensors")), File.ReadAllBytes(Path.Combine(dir2, "checkpoints", "best.safetensors")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir1, "checkpoints", "last.safetensors")), File.ReadAllBytes(Path.Combine(dir2, "checkpoints", "last.safetensors")));
        Assert.Equal(m1.TestLoss, m2.TestLoss);
        Assert.Equal(m1.TestMetrics, m2.TestMetrics);
        Assert.Equal(File.ReadAllText(Path.Combine(dir1, "config.yaml")), File.ReadAllText(Path.Combine(dir2, "config.yaml")));
    }

    [Fact]
    public void A_different_seed_gives_different_numbers()
    {
        // Guards the test above against comparing two files that could not differ anyway.
        var a = Experiments.Single(Experiment, Temp.Path);
        var b = Experiments.Single(Experiment, Temp.Path, "seed=12");
        Assert.NotEqual(a.Id, b.Id);
        TrialHarness.Run(a, ExperimentDir("determinism"));
        TrialHarness.Run(b, ExperimentDir("determinism"));
        var csvA = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir("determinism"), a), "metrics.csv"));
        var csvB = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir("determinism"), b), "metrics.csv"));
        Assert.NotEqual(csvA.Cells("train_loss"), csvB.Cells("train_loss"));
    }
}
