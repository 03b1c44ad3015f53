using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Diagnostics;
using ExperimentRunner.Torch.Logging.TensorBoard;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Logging;

/// <summary>
/// <c>loggers: [tensorboard]</c>: the trial as one TensorBoard run, results/&lt;name&gt;/tensorboard/&lt;trial-id&gt;. Per epoch
/// (step = epoch): <c>loss/train</c>, <c>loss/val</c>, <c>&lt;metric&gt;/train</c>, <c>&lt;metric&gt;/val</c> and <c>lr</c>, the
/// numbers of metrics.csv; <c>layers/&lt;layer&gt;/&lt;statistic&gt;</c> for the rows of layer_stats.csv; and at step 0 the
/// hparams plugin's experiment and session start (the swept values, grouped by cell so the seeds of a cell are one
/// row of TensorBoard's comparison table), with the session end once the trial reaches a terminal state.
/// <para>
/// Like the CSV sinks it writes only when the trainer checkpoints (and at the end), from what the session and the
/// committed layer_stats.csv hold; it runs after the checkpoint sink, so a step is never written before the resume
/// state that keeps it. It reads the model and the RNG not at all. Non-finite values (an empty CSV cell) are left out.
/// </para>
/// </summary>
public sealed class TensorBoardSink : ITrainingCallback
{
    private static readonly string[] LayerStatistics = ["mean", "std", "dead_fraction", "saturated_fraction", "grad_norm", "weight_norm"];

    private readonly TrialSpec _trial;
    private readonly string _layerStatsPath;
    private readonly TimeProvider _clock;
    private readonly TensorBoardRun _run;
    private readonly Dictionary<int, double> _epochEnded = [];
    private double _started;
    private int _historySent;
    private int _layerEpochSent;

    public TensorBoardSink(TrialSpec trial, string trialDir, string runDir, TimeProvider clock)
    {
        _trial = trial;
        _layerStatsPath = Path.Combine(trialDir, LayerStatsCollector.FileName);
        _clock = clock;
        _run = new TensorBoardRun(runDir, clock);
    }

    public static TensorBoardSink Create(SinkContext context) =>
        new(context.Trial, context.TrialDir, TrialPaths.TensorBoardRunDir(TrialPaths.ExperimentDirOf(context.TrialDir), context.Trial.Id), context.Options.Clock);

    private double Now => TensorBoardRun.WallTime(_clock);

    /// <summary>When an epoch ended; epochs restored on resume (ended in an earlier attempt) get the time they are written.</summary>
    private double EndOf(int epoch) => _epochEnded.TryGetValue(epoch, out var ended) ? ended : Now;

    public void OnTrainStart(TrainingSession session)
    {
        _started = Now;
        _historySent = 0;
        _layerEpochSent = 0;
        // A fresh start drops an abandoned attempt's steps (the trial runner does the same with the CSV files).
        if (session.State.EpochsDone == 0) _run.Clear();
        else _run.LoadWritten();
    }

    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest) => _epochEnded[record.Epoch] = Now;

    public void OnCheckpoint(TrainingSession session) => _run.Append(Pending(session));

    public void OnTrainEnd(TrainingSession session, TrainingOutcome outcome)
    {
        // After the last checkpoint the layer statistics may still get the final epoch of an early-stopped run.
        var events = Pending(session);
        // An interrupted trial is resumed later: its session has not ended.
        if (outcome.Reason != StopReason.Interrupted)
        {
            var status = outcome.Reason == StopReason.Diverged ? SessionStatus.Failure : SessionStatus.Success;
            events.Add(TensorBoardEvent.PluginAt(HParamsPlugin.SessionEndTag, 0, Now, HParamsPlugin.SessionEnd(status, Now)));
        }
        _run.Append(events);
    }

    /// <summary>Everything the session holds now; the run drops what is already written (by this attempt or an earlier one).</summary>
    private List<TensorBoardEvent> Pending(TrainingSession session)
    {
        var hparams = TrialHParams.Of(_trial);
        var events = new List<TensorBoardEvent>
        {
            TensorBoardEvent.PluginAt(HParamsPlugin.ExperimentTag, 0, _started, HParamsPlugin.Experiment(hparams, MetricInfos(session.Metrics))),
            TensorBoardEvent.PluginAt(HParamsPlugin.SessionStartTag, 0, _started, HParamsPlugin.SessionStart(hparams, TrialHParams.Group(_trial), _started)),
        };
        foreach (var record in session.History.Skip(_historySent))
        {
            var wallTime = EndOf(record.Epoch);
            Scalar(events, "loss/train", record.Epoch, wallTime, record.TrainLoss);
            Scalar(events, "loss/val", record.Epoch, wallTime, record.ValLoss);
            foreach (var metric in session.Metrics)
            {
                Scalar(events, $"{metric}/train", record.Epoch, wallTime, record.TrainMetrics.GetValueOrDefault(metric, double.NaN));
                Scalar(events, $"{metric}/val", record.Epoch, wallTime, record.ValMetrics.GetValueOrDefault(metric, double.NaN));
            }
            Scalar(events, "lr", record.Epoch, wallTime, record.LearningRate);
        }
        _historySent = session.History.Count;
        // Rows are in epoch order, so each layer tag's steps only grow (TensorBoard drops later steps when one goes back).
        var layers = File.Exists(_layerStatsPath) ? LayerStatsCollector.Read(_layerStatsPath) : [];
        foreach (var row in layers.Where(r => r.Epoch > _layerEpochSent)) LayerScalars(events, row, EndOf(row.Epoch));
        _layerEpochSent = layers.Select(r => r.Epoch).DefaultIfEmpty(_layerEpochSent).Max();
        return events;
    }

    private static void LayerScalars(List<TensorBoardEvent> events, LayerStat row, double wallTime)
    {
        double?[] values = [row.Mean, row.Std, row.DeadFraction, row.SaturatedFraction, row.GradNorm, row.WeightNorm];
        for (var i = 0; i < LayerStatistics.Length; i++)
            Scalar(events, $"layers/{row.Layer}/{LayerStatistics[i]}", row.Epoch, wallTime, values[i]);
    }

    private static void Scalar(List<TensorBoardEvent> events, string tag, int step, double wallTime, double? value)
    {
        if (value is { } v && double.IsFinite(v)) events.Add(TensorBoardEvent.ScalarAt(tag, step, wallTime, v));
    }

    /// <summary>The columns of the comparison table: every loss and metric on both splits.</summary>
    private static List<HParamsMetric> MetricInfos(IReadOnlyList<string> metrics) =>
    [
        new("loss/train", MetricDataset.Training),
        new("loss/val", MetricDataset.Validation),
        .. metrics.Select(m => new HParamsMetric($"{m}/train", MetricDataset.Training)),
        .. metrics.Select(m => new HParamsMetric($"{m}/val", MetricDataset.Validation)),
    ];
}
