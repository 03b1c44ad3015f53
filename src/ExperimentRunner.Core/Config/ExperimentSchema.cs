using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config;

/// <summary>The keys of an experiment file, declared once; binding, the JSON Schema and the docs all read this.</summary>
public static class ExperimentSchema
{
    public const string NamePattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

    public static readonly string[] Monitors = ["val_loss", "train_loss"];

    public static ParamSpec EarlyStopping { get; } = P.Section("early_stopping", "stop when the monitored loss stops improving; null turns it off", true,
        P.Choice("monitor", "val_loss", "value watched (losses are minimized)", Monitors),
        P.Int("patience", 8, "epochs without improvement before stopping", min: 1),
        P.Float("min_delta", 0.0, "smallest decrease that counts as improvement", min: 0));

    public static ParamSpec Training { get; } = P.Section("training", "how long and in what batches to train", false,
        P.Int("epochs", 30, "passes over the training split", min: 1, max: 1_000_000),
        P.Int("batch_size", 64, "examples per optimizer step (the last batch may be smaller)", min: 1),
        EarlyStopping with { Default = null },
        P.Float("gradient_clip", 0.0, "clip the global gradient norm to this value (0: off)", min: 0),
        P.Int("eval_batch_size", 4096, "examples per forward pass when evaluating (memory bound only)", min: 1));

    public static readonly string[] CheckpointFormats = ["safetensors", "pt"];
    public static readonly string[] CheckpointKeeps = ["best", "last"];

    public static ParamSpec Checkpoint { get; } = P.Section("checkpoint", "which weights are kept and in what formats", false,
        new ParamSpec { Name = "formats", Type = ParamType.ComponentList, Description = "file formats of the weights: safetensors (best and last), pt (PyTorch state_dict, last)", Default = CheckpointFormats, Choices = CheckpointFormats },
        new ParamSpec { Name = "keep", Type = ParamType.ComponentList, Description = "which weights to keep: best (lowest val_loss) and/or last", Default = CheckpointKeeps, Choices = CheckpointKeeps },
        P.Float("state_interval", 1.0, "seconds between resume checkpoints (state, metrics.csv, layer_stats.csv); 0 saves after every epoch. A killed run loses at most this much training", min: 0));

    public static ParamSpec Diagnostics { get; } = P.Section("diagnostics", "per-layer statistics recorded during training", false,
        P.Bool("layer_stats", true, "write layer_stats.csv (activation, dead and saturated fractions, gradient and weight norms)"),
        P.Int("probe_size", 256, "examples in the fixed probe batch the statistics are measured on", min: 1, max: 100_000),
        P.Int("every", 1, "measure every N epochs (and always the first and last)", min: 1),
        P.Float("saturation_tolerance", 0.01, "distance to an activation's bound that counts as saturated", min: 0, max: 1));

    /// <summary>
    /// Safety limits <c>validate</c> checks before anything is allocated. They decide whether a trial may run, never what
    /// it computes, so they are left out of the trial's id and the folder's experiment record (<see cref="ResultNeutral"/>).
    /// </summary>
    public static ParamSpec Limits { get; } = P.Section("limits", "safety limits checked before anything runs (not part of a trial's id)", false,
        P.Int("max_memory_mb", null, "most memory a trial may need, estimated from the layer shapes: weights, gradients, optimizer state, one batch's activations and generated data (unset: half of this machine's memory)", min: 1));

    /// <summary>
    /// Top-level sections that decide whether a trial may run, never what it computes (safety limits). Part of
    /// <see cref="OutsideFingerprint"/>, the one list the trial id and the experiment record leave out.
    /// </summary>
    public static readonly string[] ResultNeutral = ["limits"];

    /// <summary>Top-level keys of a trial (the <c>sweep</c> section is described by <see cref="SweepSchema"/>).</summary>
    public static IReadOnlyList<ParamSpec> Fields { get; } =
    [
        P.Text("name", null, "folder name under the output directory; letters, digits, '-', '_' and '.'", required: true, pattern: NamePattern),
        P.Int("seed", 0, "seed for data generation, splits, initialization and batch order", min: 0, max: int.MaxValue),
        P.Component("dataset", CatalogKind.Dataset, null, "where the examples come from", required: true),
        P.Component("model", CatalogKind.Architecture, null, "the network: architecture and its settings", required: true),
        P.Component("loss", CatalogKind.Loss, null, "what training minimizes", required: true),
        P.Component("optimizer", CatalogKind.Optimizer, "adam", "how parameters are updated"),
        P.Component("scheduler", CatalogKind.Scheduler, "constant", "how the learning rate changes over training"),
        Training,
        P.Components("metrics", CatalogKind.Metric, [], "scores computed on every split besides the loss (empty: accuracy and f1_macro for classes, mae and rmse for values)"),
        Checkpoint,
        Diagnostics,
        P.Components("loggers", CatalogKind.Logger, [], "where each trial's curves are also written: tensorboard (event files under <output>/<name>/tensorboard/<trial-id>). Not part of the trial id"),
        Limits,
    ];

    /// <summary>
    /// Top-level keys that never change what a trial computes, left out of the trial's fingerprint
    /// (<see cref="ConfigWriter.Hash"/>) and of the folder's experiment record (experiment.json): the keys that only say
    /// where results are also written (loggers) and the <see cref="ResultNeutral"/> sections (limits). So turning a
    /// logger on or raising a limit does not rename a trial (a resumed sweep keeps its trials, and aggregate.csv never
    /// counts one trial twice under two ids) nor make the folder another experiment.
    /// </summary>
    public static readonly string[] OutsideFingerprint = ["loggers", .. ResultNeutral];
}
