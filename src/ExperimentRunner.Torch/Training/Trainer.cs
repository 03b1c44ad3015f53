using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Optim;
using TorchSharp;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>
/// The training loop, and nothing else: batches are slices of a permutation seeded by (seed, epoch) so a
/// resumed run draws the same batches; a dispose scope per batch; evaluation under no_grad. Everything
/// observable happens in callbacks.
/// </summary>
public sealed class Trainer(IReadOnlyList<ITrainingCallback> callbacks, TimeProvider? clock = null)
{
    private TimeProvider Clock { get; } = clock ?? TimeProvider.System;
    private long _lastCheckpoint;
    private int _checkpointedEpochs;
    /// <summary>The last epoch this run recorded and when it began; null until one was.</summary>
    private (int Epoch, long Started)? _recorded;

    private void Checkpoint(TrainingSession s)
    {
        foreach (var c in callbacks) c.OnCheckpoint(s);
        _lastCheckpoint = Clock.GetTimestamp();
        _checkpointedEpochs = s.State.EpochsDone;
    }

    /// <summary>
    /// Brings the last epoch's <c>seconds</c> up to now, so it covers whatever ran for that epoch after its record
    /// was made: callbacks, diagnostics, file writes, checkpoints. Files written later (the next checkpoint, the
    /// end of training) carry the settled value.
    /// </summary>
    private void Settle(TrainingSession s)
    {
        if (_recorded is not { } r || s.History.Count == 0 || s.History[^1].Epoch != r.Epoch) return;
        s.History[^1] = s.History[^1] with { Seconds = Clock.GetElapsedTime(r.Started).TotalSeconds };
    }

    /// <param name="stopAfterEpoch">Stop (as if interrupted) once this many epochs are done; for tests and smoke runs.</param>
    public TrainingOutcome Run(TrainingSession s, int? stopAfterEpoch = null, CancellationToken cancel = default)
    {
        foreach (var c in callbacks) c.OnTrainStart(s);
        _lastCheckpoint = Clock.GetTimestamp();
        _checkpointedEpochs = s.State.EpochsDone;
        _recorded = null;
        var outcome = Loop(s, stopAfterEpoch, cancel);
        if (s.State.EpochsDone > _checkpointedEpochs)
        {
            Checkpoint(s);
            Settle(s);
        }
        foreach (var c in callbacks) c.OnTrainEnd(s, outcome);
        return outcome;
    }

    private TrainingOutcome Loop(TrainingSession s, int? stopAfterEpoch, CancellationToken cancel)
    {
        var training = s.Spec.Training;
        var parameters = s.Network.parameters().ToList();
        s.Network.train();
        for (var epoch = s.State.EpochsDone; epoch < training.Epochs; epoch++)
        {
            if (cancel.IsCancellationRequested || stopAfterEpoch is { } stop && epoch >= stop)
                return new TrainingOutcome(StopReason.Interrupted, null);
            var started = Clock.GetTimestamp();
            var (trainLoss, trainMetrics, finite) = TrainEpoch(s, epoch, parameters);
            var trainSeconds = Clock.GetElapsedTime(started).TotalSeconds;
            if (!finite) return new TrainingOutcome(StopReason.Diverged, epoch + 1);
            var (valLoss, valMetrics) = Evaluator.Evaluate(s, s.Validation);
            var lr = s.Schedule.LearningRate(epoch, 0);
            s.Schedule.EndEpoch(epoch, trainLoss, valLoss);
            if (!double.IsFinite(valLoss)) return new TrainingOutcome(StopReason.Diverged, epoch + 1);

            var isBest = valLoss < s.State.BestValLoss;
            var monitored = training.EarlyStopping?.Monitor == "train_loss" ? trainLoss : valLoss;
            var improved = monitored < s.State.MonitorBest - (training.EarlyStopping?.MinDelta ?? 0);
            s.State = s.State with
            {
                EpochsDone = epoch + 1,
                BestValLoss = isBest ? valLoss : s.State.BestValLoss,
                BestEpoch = isBest ? epoch + 1 : s.State.BestEpoch,
                MonitorBest = improved ? monitored : s.State.MonitorBest,
                EpochsWithoutImprovement = improved ? 0 : s.State.EpochsWithoutImprovement + 1,
                Schedule = s.Schedule.SaveState(),
            };
            // Seconds so far; Settle adds what the callbacks and the checkpoint take.
            var record = new EpochRecord(epoch + 1, trainLoss, valLoss, trainMetrics, valMetrics, lr, Clock.GetElapsedTime(started).TotalSeconds)
            {
                TrainSeconds = trainSeconds,
            };
            s.History.Add(record);
            _recorded = (record.Epoch, started);
            foreach (var c in callbacks) c.OnEpochEnd(s, record, isBest);
            Settle(s);
            if (Clock.GetElapsedTime(_lastCheckpoint).TotalSeconds >= s.Spec.Checkpoint.StateInterval)
            {
                Checkpoint(s);
                Settle(s);
            }
            if (training.EarlyStopping is { } es && s.State.EpochsWithoutImprovement >= es.Patience && epoch + 1 < training.Epochs)
                return new TrainingOutcome(StopReason.EarlyStopped, null);
        }
        return new TrainingOutcome(StopReason.Completed, null);
    }

    private static (double Loss, Dictionary<string, double> Metrics, bool Finite) TrainEpoch(TrainingSession s, int epoch, List<TorchSharp.Modules.Parameter> parameters)
    {
        var rows = s.Train.Rows;
        var batch = s.Spec.Training.BatchSize;
        var clip = s.Spec.Training.GradientClip;
        var steps = (rows + batch - 1) / batch;
        using var generator = new Generator(BatchSeed(s.Spec.Seed, epoch));
        using var order = randperm(rows, generator: generator);
        using var predictions = new Predictions(s.Task, rows, s.Train.Data.Outputs);
        if (!s.Schedule.PerStep) OptimizerFactory.SetLearningRate(s.Optimizer, s.Schedule.LearningRate(epoch, 0));
        double total = 0;
        for (var step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            if (s.Schedule.PerStep) OptimizerFactory.SetLearningRate(s.Optimizer, s.Schedule.LearningRate(epoch, step));
            var length = Math.Min(batch, rows - step * batch);
            var index = order.narrow(0, step * batch, length);
            s.ClearGradients();
            var output = s.Network.forward(s.Train.Inputs.index_select(0, index));
            var loss = s.Loss(output, s.Train.Targets.index_select(0, index));
            var value = loss.item<float>();
            if (!float.IsFinite(value)) return (double.NaN, [], false);
            loss.backward();
            if (clip > 0) nn.utils.clip_grad_norm_(parameters, clip);
            s.Optimizer.step();
            total += (double)value * length;
            predictions.Add(output, index);
        }
        return (total / rows, predictions.Score(s.Metrics, s.Train.Data), true);
    }

    /// <summary>One seed per (trial seed, epoch), mixed so neighbouring seeds give unrelated permutations.</summary>
    public static ulong BatchSeed(long seed, int epoch)
    {
        var z = (ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch + 1;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) & 0x7FFF_FFFF_FFFF_FFFFUL;
    }
}
