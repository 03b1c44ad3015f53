using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using CsvTable = ExperimentRunner.Tests.TestSupport.CsvTable;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Torch.Training;
using Microsoft.Extensions.Time.Testing;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// metrics.csv's <c>seconds</c> is the whole epoch as the user waits for it, callbacks and checkpoints included;
/// <c>train_seconds</c> is the pass over the training batches alone. Time is a fake clock that the loss and the
/// callbacks advance by known amounts, so the expected numbers are exact.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class EpochSecondsTests : TorchTest
{
    private const double PerLossCall = 0.25;
    private const double PerEpochEnd = 3;
    private const double PerCheckpoint = 2;

    [Fact]
    public void Seconds_cover_callbacks_and_checkpoints_and_train_seconds_the_batches_alone()
    {
        // About 160 training rows in batches of 32: 5 loss calls a training pass; about 20 validation rows: 1 call.
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "training.epochs=3", "dataset.split=[0.8, 0.1, 0.1]");
        var clock = new FakeTimeProvider(TrialHarness.Start);
        var dir = Temp.Combine("trial");
        Directory.CreateDirectory(dir);
        using var session = Session(trial.Spec, clock);
        Assert.Equal(5, (session.Train.Rows + 31) / 32);
        Assert.InRange(session.Validation.Rows, 1, trial.Spec.Training.EvalBatchSize);

        var slow = new SlowCallback(clock);
        var outcome = new Trainer([new MetricsCsvSink(dir), slow], clock).Run(session);

        Assert.Equal(StopReason.Completed, outcome.Reason);
        // The state interval is 1 s and every epoch's callbacks take 3 s: each epoch ends with a checkpoint.
        Assert.Equal(3, slow.Checkpoints);
        const double training = 5 * PerLossCall;
        const double whole = training + 1 * PerLossCall + PerEpochEnd + PerCheckpoint;
        Assert.All(session.History, r => Assert.Equal(training, r.TrainSeconds));
        Assert.All(session.History, r => Assert.Equal(whole, r.Seconds));

        // The file on disk says the same, with train_seconds after seconds.
        var csv = CsvTable.Read(Path.Combine(dir, MetricsCsvSink.FileName));
        Assert.Equal(["lr", "seconds", "train_seconds"], csv.Header.TakeLast(3));
        Assert.Equal(["6.5", "6.5", "6.5"], csv.Cells("seconds"));
        Assert.Equal(["1.25", "1.25", "1.25"], csv.Cells("train_seconds"));
        Assert.Equal(session.History, MetricsCsv.Read(Path.Combine(dir, MetricsCsvSink.FileName), session.Metrics), new RecordTimes());
    }

    [Fact]
    public void An_epoch_checkpointed_only_when_training_ends_gets_that_time_too()
    {
        // state_interval 100 s: no checkpoint inside the loop; the final one belongs to the last epoch.
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, "training.epochs=2", "dataset.split=[0.8, 0.1, 0.1]", "checkpoint.state_interval=100");
        var clock = new FakeTimeProvider(TrialHarness.Start);
        var dir = Temp.Combine("trial");
        Directory.CreateDirectory(dir);
        using var session = Session(trial.Spec, clock);
        var slow = new SlowCallback(clock);
        new Trainer([new MetricsCsvSink(dir), slow], clock).Run(session);

        Assert.Equal(1, slow.Checkpoints);
        const double epoch = 6 * PerLossCall + PerEpochEnd;
        Assert.Equal([epoch, epoch + PerCheckpoint], session.History.Select(r => r.Seconds));
        Assert.Equal(["4.5", "6.5"], CsvTable.Read(Path.Combine(dir, MetricsCsvSink.FileName)).Cells("seconds"));
    }

    /// <summary>The trial's own session, its loss advancing the clock on every call (training and validation alike).</summary>
    private static TrainingSession Session(ExperimentSpec spec, FakeTimeProvider clock)
    {
        var prepared = ExperimentRunner.Core.Data.Preparation.DataPreparation.Prepare(spec, Catalogs.Default);
        var splits = prepared.Splits;
        var loss = Catalogs.Default.Losses.Get(spec.Loss.Name);
        var built = TestRuntime.Instance.Sessions.Create(spec, prepared.Task, TensorSplit.Create(splits.Train, loss), TensorSplit.Create(splits.Validation, loss), TensorSplit.Create(splits.Test, loss));
        var inner = built.Loss;
        return new TrainingSession
        {
            Spec = built.Spec,
            Model = built.Model,
            Optimizer = built.Optimizer,
            Schedule = built.Schedule,
            Loss = (output, target) =>
            {
                clock.Advance(TimeSpan.FromSeconds(PerLossCall));
                return inner(output, target);
            },
            Task = built.Task,
            Train = built.Train,
            Validation = built.Validation,
            Test = built.Test,
            Metrics = built.Metrics,
        };
    }

    private sealed class SlowCallback(FakeTimeProvider clock) : ITrainingCallback
    {
        public int Checkpoints { get; private set; }

        public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest) => clock.Advance(TimeSpan.FromSeconds(PerEpochEnd));

        public void OnCheckpoint(TrainingSession session)
        {
            Checkpoints++;
            clock.Advance(TimeSpan.FromSeconds(PerCheckpoint));
        }
    }

    private sealed class RecordTimes : IEqualityComparer<EpochRecord>
    {
        public bool Equals(EpochRecord? a, EpochRecord? b) => a!.Epoch == b!.Epoch && a.Seconds == b.Seconds && a.TrainSeconds == b.TrainSeconds;

        public int GetHashCode(EpochRecord r) => r.Epoch;
    }
}
