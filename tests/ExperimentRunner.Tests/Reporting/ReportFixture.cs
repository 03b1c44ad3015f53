using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Diagnostics;

namespace ExperimentRunner.Tests.Reporting;

/// <summary>
/// A results folder written by hand with the real writers (run.json, metrics.csv, layer_stats.csv), with known
/// numbers: a 2 x 2 sweep (loss x model.activation) over two seeds, one failed and one diverged trial, and
/// names and an error that need HTML escaping.
/// </summary>
internal static class ReportFixture
{
    public const string Experiment = "fixture";
    public const string EvilActivation = "<tanh & co>";
    public const string EvilError = "boom <script>alert('x')</script> & more\n   at Stack.Frame()";
    public static readonly string[] Metrics = ["accuracy"];
    public static readonly string[] Layers = ["hidden_1", "hidden_2", "output"];

    /// <summary>Test accuracy per (loss, activation, seed); null: the trial failed. Cell means 0.85, 0.65, 0.75, 0.30.</summary>
    public static readonly (string Loss, string Activation, long Seed, string Status, double? Accuracy)[] Trials =
    [
        ("cross_entropy", "relu", 1, "completed", 0.9),
        ("cross_entropy", "relu", 2, "completed", 0.8),
        ("cross_entropy", EvilActivation, 1, "completed", 0.6),
        ("cross_entropy", EvilActivation, 2, "early_stopped", 0.7),
        ("mse", "relu", 1, "completed", 0.75),
        ("mse", "relu", 2, "completed", 0.75),
        ("mse", EvilActivation, 1, "failed", null),
        ("mse", EvilActivation, 2, "diverged", 0.3),
    ];

    /// <summary>The cells best first by test_accuracy: what the ranking table must list, in this order.</summary>
    public static readonly (string Loss, string Activation)[] Ranked =
        [("cross_entropy", "relu"), ("mse", "relu"), ("cross_entropy", EvilActivation), ("mse", EvilActivation)];

    public const int Epochs = 3;

    public static string Write(string root)
    {
        var dir = Path.Combine(root, Experiment);
        for (var i = 0; i < Trials.Length; i++)
        {
            var (loss, activation, seed, status, accuracy) = Trials[i];
            var id = $"t{i}-{loss}-s{seed}";
            var trialDir = Path.Combine(ExperimentResults.TrialsDir(dir), id);
            Directory.CreateDirectory(trialDir);
            var epochs = status switch { "failed" => 0, "diverged" => 2, _ => Epochs };
            var manifest = new RunManifest
            {
                Trial = id,
                Index = i,
                Experiment = Experiment,
                Status = status,
                Error = status == "failed" ? EvilError : null,
                ErrorTail = status == "failed" ? "native tail line 1\nnative tail line 2" : null,
                Swept = new Dictionary<string, string> { ["loss"] = loss, ["model.activation"] = activation },
                Seed = seed,
                ConfigHash = $"{i:x8}",
                Task = "classification",
                Metrics = Metrics,
                Epochs = epochs,
                BestEpoch = epochs > 0 ? epochs : null,
                BestValLoss = epochs > 0 ? 0.5 : null,
                DivergedEpoch = status == "diverged" ? 2 : null,
                TrainLoss = epochs > 0 ? 0.4 : null,
                ValLoss = epochs > 0 ? 0.5 : null,
                TestLoss = accuracy is null ? null : 1 - accuracy,
                TestMetrics = accuracy is null ? new Dictionary<string, double?>() : new Dictionary<string, double?> { ["accuracy"] = accuracy },
                Diagnostics = new Dictionary<string, double?> { ["max_dead_fraction"] = 0.25, ["max_saturated_fraction"] = null, ["grad_norm_ratio"] = 0.1 },
                Seconds = 1.5,
                Threads = 1,
                Versions = new RuntimeVersions("1.0.0", "0.107.0", "2.10.0.0", ".NET 10.0.0", "Debian GNU/Linux 12 (bookworm)"),
            };
            manifest.Save(trialDir);
            if (epochs == 0) continue;
            var records = Enumerable.Range(1, epochs).Select(e => new EpochRecord(
                e, TrainLoss(seed, e), ValLoss(seed, e),
                new Dictionary<string, double> { ["accuracy"] = 0.5 + 0.1 * e },
                new Dictionary<string, double> { ["accuracy"] = 0.45 + 0.1 * e },
                0.01, 0.1)).ToList();
            AtomicFile.WriteAllText(Path.Combine(trialDir, "metrics.csv"), MetricsCsv.Write(Metrics, records));
            var stats = new[] { 1, epochs }.Distinct().SelectMany(e => Layers.Select((layer, l) => new LayerStat(
                e, layer, layer == "output" ? "identity" : activation, 0.1, 0.5,
                DeadFraction: layer == "output" ? 0 : 0.1 * e, SaturatedFraction: activation == "relu" ? null : 0.05 * l,
                GradNorm: Math.Pow(10, l - 3) * seed, WeightNorm: 2))).ToList();
            AtomicFile.WriteAllText(Path.Combine(trialDir, LayerStatsCollector.FileName), LayerStatsCollector.Write(stats));
        }
        return dir;
    }

    /// <summary>Known curves: seed 1 and 2 differ by 0.2 at every epoch, so the band is [mean - 0.1, mean + 0.1].</summary>
    public static double TrainLoss(long seed, int epoch) => 1.0 / epoch + 0.2 * (seed - 1);

    public static double ValLoss(long seed, int epoch) => 1.2 / epoch + 0.2 * (seed - 1);
}
