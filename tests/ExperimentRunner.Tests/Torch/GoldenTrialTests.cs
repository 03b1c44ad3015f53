using System.Globalization;
using ExperimentRunner.Tests.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Fixed-seed trials whose metrics.csv, layer_stats.csv and test scores were stored in tests/ExperimentRunner.Tests/Golden
/// before the trial pipeline was restructured: every refactor since must reproduce them bit for bit (time columns aside).
/// Set EXPRUN_WRITE_GOLDEN=1 to write them anew, only when a change of numbers is intended and explained in its commit.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GoldenTrialTests : TorchTest
{
    public static TheoryData<string> Cases => new(Golden.Keys);

    private static readonly Dictionary<string, string> Golden = new()
    {
        // Dropout (torch's RNG), batch norm, Adam, a cosine schedule with warmup, clipping and layer stats.
        ["spirals-mlp"] = """
            name: golden-spirals
            seed: 5
            dataset: {name: spirals, samples: 300, classes: 3, noise: 0.2}
            model: {architecture: mlp, hidden: [32, 32], activation: relu, dropout: 0.1, norm: batch, init: kaiming_uniform}
            loss: cross_entropy
            optimizer: {name: adam, lr: 0.01, weight_decay: 0.0001}
            scheduler: {name: cosine, warmup_epochs: 1}
            training: {epochs: 5, batch_size: 32, gradient_clip: 1.0}
            diagnostics: {probe_size: 64}
            """,
        // A csv read from the repository: header and delimiter detection, text classes, standardization fitted on train.
        ["iris-csv"] = """
            name: golden-iris
            seed: 2
            dataset: {name: csv, path: ../data/uci/iris.csv, target: -1, split: [0.6, 0.2, 0.2]}
            model: {architecture: mlp, hidden: [16], activation: tanh}
            loss: mse
            optimizer: {name: sgd, lr: 0.1, momentum: 0.9}
            scheduler: {name: step, step_size: 2}
            training: {epochs: 4, batch_size: 16}
            diagnostics: {probe_size: 32}
            """,
        // Convolutions, pooling, batch norm and an output activation chosen by the loss (nll -> log_softmax).
        ["shapes-cnn"] = """
            name: golden-shapes
            seed: 9
            dataset: {name: shapes, samples: 160, classes: 3, size: 12}
            model: {architecture: cnn, channels: [4, 8], norm: batch, hidden: [16], activation: gelu}
            loss: nll
            optimizer: {name: rmsprop, lr: 0.003}
            training: {epochs: 2, batch_size: 16}
            diagnostics: {probe_size: 32}
            """,
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fixed_seed_trial_reproduces_its_stored_results(string name)
    {
        var configDir = Path.Combine(UciDatasets.RepositoryRoot(), "configs");
        var trial = Experiments.Single(Golden[name], configDir);
        var manifest = TrialHarness.Run(trial, ExperimentDir(name));
        Assert.True(manifest.Status == "completed", manifest.Error);
        var dir = TrialHarness.TrialDir(ExperimentDir(name), trial);
        var actual = new Dictionary<string, string>
        {
            ["metrics.csv"] = WithoutTimes(File.ReadAllText(Path.Combine(dir, "metrics.csv"))),
            ["layer_stats.csv"] = File.ReadAllText(Path.Combine(dir, "layer_stats.csv")),
            ["test.txt"] = string.Join("\n", manifest.TestMetrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key}={R(kv.Value)}").Prepend($"test_loss={R(manifest.TestLoss)}")) + "\n",
        };
        var goldenDir = Path.Combine(UciDatasets.RepositoryRoot(), "tests", "ExperimentRunner.Tests", "Golden", name);
        if (Environment.GetEnvironmentVariable("EXPRUN_WRITE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(goldenDir);
            foreach (var (file, text) in actual) File.WriteAllText(Path.Combine(goldenDir, file), text);
        }
        foreach (var (file, text) in actual)
            Assert.Equal(File.ReadAllText(Path.Combine(goldenDir, file)), text);
    }

    private static string R(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    /// <summary>metrics.csv without its time columns (seconds and any other *seconds column), the only cells that vary.</summary>
    private static string WithoutTimes(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => !header[i].EndsWith("seconds", StringComparison.Ordinal)).ToList();
        return string.Join("\n", lines.Select(l => string.Join(",", keep.Select(i => l.Split(',')[i])))) + "\n";
    }
}
