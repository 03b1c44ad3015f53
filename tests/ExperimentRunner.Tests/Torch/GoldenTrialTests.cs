using System.Globalization;
using ExperimentRunner.Tests.Data;
using ExperimentRunner.Tests.TestSupport;
using Xunit.Abstractions;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Fixed-seed trials whose metrics.csv, layer_stats.csv and test scores were stored in tests/ExperimentRunner.Tests/Golden
/// before the trial pipeline was restructured: every refactor since must reproduce them bit for bit (time columns aside)
/// on a CPU a set was recorded on (Golden/&lt;CPU key&gt;/, see <see cref="GoldenMachine"/>). Set EXPRUN_WRITE_GOLDEN=1 to
/// write this CPU's set anew: only when a change of numbers is intended and explained in its commit, or for a new CPU on a
/// commit that reproduces a recorded set on that set's CPU.
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

    private readonly ITestOutputHelper _output;

    public GoldenTrialTests(ITestOutputHelper output) => _output = output;

    private static string GoldenRoot => Path.Combine(UciDatasets.RepositoryRoot(), "tests", "ExperimentRunner.Tests", "Golden");

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fixed_seed_trial_reproduces_its_stored_results(string name)
    {
        var actual = Run(name, "first");
        var mine = Path.Combine(GoldenRoot, GoldenMachine.Key, name);
        if (Environment.GetEnvironmentVariable("EXPRUN_WRITE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(mine);
            foreach (var (file, text) in actual) File.WriteAllText(Path.Combine(mine, file), text);
            File.WriteAllText(Path.Combine(GoldenRoot, GoldenMachine.Key, "machine.txt"), GoldenMachine.Description + "\n");
        }
        if (Directory.Exists(mine))
        {
            foreach (var (file, text) in actual)
                Assert.Equal(File.ReadAllText(Path.Combine(mine, file)), text);
            return;
        }

        // No set was recorded on a CPU like this one, so its kernels round differently from every set (see GoldenMachine):
        // hold it to what does not depend on the CPU. The same seed again is bit-identical, and the files have the rows,
        // columns and words of every recorded set (same epochs, layers, activations, metrics); only numbers may differ.
        var again = Run(name, "again");
        foreach (var (file, text) in actual) Assert.Equal(text, again[file]);
        var sets = Directory.GetDirectories(GoldenRoot).Select(d => Path.Combine(d, name)).Where(Directory.Exists).ToList();
        Assert.NotEmpty(sets);
        foreach (var set in sets)
        {
            foreach (var (file, text) in actual)
                AssertSameShape(Path.Combine(set, file), File.ReadAllText(Path.Combine(set, file)), text);
        }
        _output.WriteLine($"no golden set for this CPU ({GoldenMachine.Key}: {GoldenMachine.Description}): checked that the trial " +
            "repeats bit for bit and has the recorded rows and columns; record a set with EXPRUN_WRITE_GOLDEN=1 on a commit whose numbers match a recorded set on its CPU");
    }

    /// <summary>
    /// The CNN with 4 and 8 channels diverged in about one run in ten, one run after another, on an AVX-512 EPYC: in
    /// NCHW order libtorch's convolutions read memory nothing wrote, until exprun ran them channels-last (ChannelsLast);
    /// five runs in one process must be one result.
    /// </summary>
    [Fact]
    public void The_small_channel_cnn_gives_one_result_run_after_run()
    {
        var first = Run("shapes-cnn", "run-1");
        for (var i = 2; i <= 5; i++)
        {
            var again = Run("shapes-cnn", $"run-{i}");
            foreach (var (file, text) in first) Assert.Equal(text, again[file]);
        }
    }

    private Dictionary<string, string> Run(string name, string folder)
    {
        var configDir = Path.Combine(UciDatasets.RepositoryRoot(), "configs");
        var trial = Experiments.Single(Golden[name], configDir);
        var experimentDir = Path.Combine(ExperimentDir(name), folder);
        var manifest = TrialHarness.Run(trial, experimentDir);
        Assert.True(manifest.Status == "completed", $"{name} ({folder}): {manifest.Status}, diverged at epoch {manifest.DivergedEpoch}, {manifest.Error}");
        var dir = TrialHarness.TrialDir(experimentDir, trial);
        return new Dictionary<string, string>
        {
            ["metrics.csv"] = WithoutTimes(File.ReadAllText(Path.Combine(dir, "metrics.csv"))),
            ["layer_stats.csv"] = File.ReadAllText(Path.Combine(dir, "layer_stats.csv")),
            ["test.txt"] = string.Join("\n", manifest.TestMetrics.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => $"{kv.Key}={R(kv.Value)}").Prepend($"test_loss={R(manifest.TestLoss)}")) + "\n",
        };
    }

    /// <summary>Same lines and cells; cells that are not numbers equal, numbers numbers (or both empty).</summary>
    private static void AssertSameShape(string path, string expected, string actual)
    {
        static string[][] Cells(string text) => text.TrimEnd('\n').Split('\n').Select(l => l.Split(',', '=')).ToArray();
        var (want, got) = (Cells(expected), Cells(actual));
        Assert.True(want.Length == got.Length, $"{path}: {got.Length} lines, recorded {want.Length}");
        for (var row = 0; row < want.Length; row++)
        {
            Assert.True(want[row].Length == got[row].Length, $"{path} line {row + 1}: {got[row].Length} cells, recorded {want[row].Length}");
            for (var col = 0; col < want[row].Length; col++)
            {
                var (w, g) = (want[row][col], got[row][col]);
                var same = IsNumber(w) ? IsNumber(g) : w == g;
                Assert.True(same, $"{path} line {row + 1} cell {col + 1}: '{g}', recorded '{w}'");
            }
        }
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

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
