using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.Sweeps;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Diagnostics;

namespace ExperimentRunner.Tests.Diagnostics;

/// <summary>Configurations whose effect is known, checked from layer_stats.csv as a user would.</summary>
[Collection(TorchCollection.Name)]
public sealed class DiagnosticEffectTests
{
    private const string Deep = """
        name: deep
        seed: 1
        dataset: {name: spirals, samples: 300, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [16, 16, 16, 16, 16, 16, 16, 16, 16, 16], activation: relu, init: kaiming_normal}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.003}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {layer_stats: true, probe_size: 128}
        """;

    private static List<LayerStat> Run(TempDir dir, params string[] overrides)
    {
        var file = dir.Write("deep.yaml", Deep);
        var args = new List<string> { "run", file, "-o", dir.Path };
        foreach (var o in overrides) args.AddRange(["--set", o]);
        Assert.Equal(0, SweepHarness.Cli([.. args]).Code);
        var trial = Assert.Single(Directory.GetDirectories(dir.Combine("deep", "trials")));
        return LayerStatsCollector.Read(Path.Combine(trial, LayerStatsCollector.FileName));
    }

    [Fact]
    public void DeepSigmoidGradientsVanishAtTheFirstLayerButReluWithKaimingKeepsThem()
    {
        using var sigmoidDir = new TempDir();
        var sigmoid = Run(sigmoidDir, "model.activation=sigmoid", "model.init=xavier_normal").Where(s => s.Epoch == 1).ToList();
        using var reluDir = new TempDir();
        var relu = Run(reluDir).Where(s => s.Epoch == 1).ToList();

        Assert.Equal(11, sigmoid.Count); // 10 hidden layers and the output layer
        Assert.Equal(["hidden_1", "output"], new[] { sigmoid[0].Layer, sigmoid[^1].Layer });
        var sigmoidRatio = sigmoid[0].GradNorm / sigmoid[^1].GradNorm;
        var reluRatio = relu[0].GradNorm / relu[^1].GradNorm;
        Assert.True(sigmoidRatio < 1e-4, $"sigmoid first/last gradient norm {sigmoidRatio:E2}");
        Assert.True(reluRatio > 1e-2, $"relu first/last gradient norm {reluRatio:E2}");
        // Gradients shrink layer by layer towards the input under sigmoid.
        Assert.True(sigmoid.Take(10).Zip(sigmoid.Skip(1).Take(9)).All(p => p.First.GradNorm < p.Second.GradNorm));
        Assert.All(sigmoid.Take(10), s => Assert.Equal(0, s.DeadFraction));
    }

    [Fact]
    public void ReluUnitsDieWithANegativeBiasAndNeverComeBack()
    {
        using var dir = new TempDir();
        var stats = Run(dir, "model.bias_init=-3.0");
        var hidden = stats.Where(s => s.Layer != "output").ToList();
        Assert.Equal([1, 2, 3], hidden.Select(s => s.Epoch).Distinct());
        foreach (var epoch in new[] { 1, 3 })
            Assert.True(hidden.Where(s => s.Epoch == epoch).Max(s => s.DeadFraction) > 0.5, $"epoch {epoch}");
        // Dead units pass no gradient: the first layer's weights receive none at all.
        Assert.Equal(0, stats.First(s => s.Epoch == 3 && s.Layer == "hidden_1").GradNorm);
    }

    [Fact]
    public void ALargeLearningRateKillsMoreReluUnitsThanASmallOne()
    {
        using var smallDir = new TempDir();
        using var largeDir = new TempDir();
        static double FinalDead(List<LayerStat> s) => s.Where(x => x.Epoch == s.Max(y => y.Epoch) && x.Layer != "output").Max(x => x.DeadFraction);
        var small = FinalDead(Run(smallDir, "training.epochs=8"));
        var large = FinalDead(Run(largeDir, "training.epochs=8", "optimizer.lr=0.1"));
        Assert.True(large > 0.5, $"dead fraction with lr 0.1: {large}");
        Assert.True(large > small, $"lr 0.1: {large}, lr 0.003: {small}");
    }

    [Fact]
    public void SummaryCarriesPerTrialDiagnostics()
    {
        using var dir = new TempDir();
        Run(dir, "model.activation=sigmoid", "model.init=xavier_normal");
        var (header, rows) = CsvText.Read(dir.Combine("deep", SummaryCsv.FileName));
        var row = Assert.Single(rows);
        var ratio = CsvText.ParseNumber(row[header.ToList().IndexOf("grad_norm_ratio")]);
        Assert.NotNull(ratio);
        Assert.True(ratio < 1e-4);
        Assert.Equal("0", row[header.ToList().IndexOf("max_dead_fraction")]);
    }
}
