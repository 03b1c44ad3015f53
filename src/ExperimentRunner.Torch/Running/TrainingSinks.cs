using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Torch.Checkpoints;
using ExperimentRunner.Torch.Diagnostics;
using ExperimentRunner.Torch.Logging;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Running;

/// <summary>What a sink may need when it is made for one trial.</summary>
public sealed record SinkContext(TrialSpec Trial, ExperimentSpec Spec, string TrialDir, CheckpointStore Checkpoints, RunOptions Options, ActivationFactory Activations);

/// <summary>
/// The callbacks a trial trains with, made from its settings. Each is one registration (a name, when it applies,
/// how to make it) in the order they run, so a new logger is one more line here. Sinks write files only when the
/// trainer checkpoints, from what the session holds, so a resumed trial never records an epoch twice.
/// </summary>
public sealed class TrainingSinks
{
    private sealed record Registration(string Name, Func<ExperimentSpec, bool> Applies, Func<SinkContext, ITrainingCallback> Create);

    private readonly List<Registration> _registrations = [];

    public IReadOnlyList<string> Names => _registrations.Select(r => r.Name).ToList();

    public TrainingSinks Add(string name, Func<ExperimentSpec, bool> applies, Func<SinkContext, ITrainingCallback> create)
    {
        if (_registrations.Any(r => r.Name == name)) throw new InvalidOperationException($"training sink '{name}' is registered twice");
        _registrations.Add(new Registration(name, applies, create));
        return this;
    }

    public IReadOnlyList<ITrainingCallback> Create(SinkContext context) =>
        _registrations.Where(r => r.Applies(context.Spec)).Select(r => r.Create(context)).ToList();

    /// <summary>metrics.csv, layer_stats.csv, checkpoints, loggers and progress, in that order (diagnostics measure before best weights are saved; loggers write only what the resume state keeps).</summary>
    public static TrainingSinks Standard() => new TrainingSinks()
        .Add("metrics_csv", _ => true, c => new MetricsCsvSink(c.TrialDir))
        .Add("layer_stats", s => s.Diagnostics.LayerStats, c => new LayerStatsCollector(c.TrialDir, c.Spec.Diagnostics, c.Activations))
        .Add("checkpoints", _ => true, c => new CheckpointSink(c.Checkpoints))
        .Add(LoggerCatalog.TensorBoard, s => s.Loggers.Contains(LoggerCatalog.TensorBoard), TensorBoardSink.Create)
        .Add("progress", _ => true, c => new ProgressCallback(c.Trial, c.Options.Progress));
}
