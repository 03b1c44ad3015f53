using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Config;

public sealed record EarlyStoppingSpec(string Monitor, int Patience, double MinDelta);

public sealed record TrainingSpec(int Epochs, int BatchSize, EarlyStoppingSpec? EarlyStopping, double GradientClip, int EvalBatchSize)
{
    public static TrainingSpec From(Component c)
    {
        var es = c.ChildOrNull("early_stopping");
        return new TrainingSpec(c.Int32("epochs"), c.Int32("batch_size"),
            es is null ? null : new EarlyStoppingSpec(es.String("monitor"), es.Int32("patience"), es.Float("min_delta")),
            c.Float("gradient_clip"), c.Int32("eval_batch_size"));
    }
}

public sealed record CheckpointSpec(IReadOnlyList<string> Formats, IReadOnlyList<string> Keep, double StateInterval)
{
    public bool Writes(string format, string which) => Formats.Contains(format) && Keep.Contains(which);

    public static CheckpointSpec From(Component c) => new(c.Strings("formats"), c.Strings("keep"), c.Float("state_interval"));
}

public sealed record DiagnosticsSpec(bool LayerStats, int ProbeSize, int Every, double SaturationTolerance)
{
    public static DiagnosticsSpec From(Component c) =>
        new(c.Bool("layer_stats"), c.Int32("probe_size"), c.Int32("every"), c.Float("saturation_tolerance"));
}

/// <summary>
/// One fully resolved, immutable trial: what to train and how. Model settings (<see cref="Model"/>) stay
/// apart from training settings (<see cref="Training"/>), as in nanoGPT's GPTConfig vs train config.
/// </summary>
public sealed record ExperimentSpec
{
    public required string Name { get; init; }
    public required long Seed { get; init; }
    public required DatasetSettings Dataset { get; init; }
    public required ModelSettings Model { get; init; }
    public required LossSettings Loss { get; init; }
    public required OptimizerSettings Optimizer { get; init; }
    public required SchedulerSettings Scheduler { get; init; }
    public required TrainingSpec Training { get; init; }
    /// <summary>Metric names as written; empty means the task's defaults (see <see cref="MetricsFor"/>).</summary>
    public required IReadOnlyList<string> Metrics { get; init; }
    public required CheckpointSpec Checkpoint { get; init; }
    public required DiagnosticsSpec Diagnostics { get; init; }
    /// <summary>Logger names (catalog names, canonical), each writing the trial's curves somewhere besides the CSV files.</summary>
    public IReadOnlyList<string> Loggers { get; init; } = [];
    /// <summary>Safety limits checked before anything runs; never part of what the trial computes.</summary>
    public required LimitsSettings Limits { get; init; }
    /// <summary>Folder of the experiment file: relative data paths are resolved against it.</summary>
    public string BaseDirectory { get; init; } = "";
    /// <summary>The bound tree, for writing config.yaml, hashing and showing swept values; nothing below the loader reads settings from it.</summary>
    public required Component Tree { get; init; }

    public IReadOnlyList<string> MetricsFor(TaskKind task) =>
        Metrics.Count > 0 ? Metrics : task == TaskKind.Classification ? ["accuracy", "f1_macro"] : ["mae", "rmse"];

    public static ExperimentSpec From(Component tree, string baseDirectory) => new()
    {
        Name = tree.String("name"),
        Seed = tree.Int("seed"),
        Dataset = DatasetSettings.From(tree.Child("dataset")),
        Model = ModelSettings.From(tree.Child("model")),
        Loss = LossSettings.From(tree.Child("loss")),
        Optimizer = OptimizerSettings.From(tree.Child("optimizer")),
        Scheduler = SchedulerSettings.From(tree.Child("scheduler")),
        Training = TrainingSpec.From(tree.Child("training")),
        Metrics = tree.Strings("metrics"),
        Checkpoint = CheckpointSpec.From(tree.Child("checkpoint")),
        Diagnostics = DiagnosticsSpec.From(tree.Child("diagnostics")),
        Loggers = tree.Strings("loggers"),
        Limits = LimitsSettings.From(tree.Child("limits")),
        BaseDirectory = baseDirectory,
        Tree = tree,
    };
}
