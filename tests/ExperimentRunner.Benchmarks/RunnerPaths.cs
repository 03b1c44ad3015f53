using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Torch.Training;
using static TorchSharp.torch;

namespace ExperimentRunner.Benchmarks;

/// <summary>Timing of one run of some path: wall time of the epochs only, plus what the path did around them.</summary>
public sealed record RunTiming(int Epochs, Mark EpochsTime, Mark Setup, Mark Teardown, double FinalValLoss, double FinalValAccuracy)
{
    public double MsPerEpoch => EpochsTime.WallMs / Epochs;
    public double CpuMsPerEpoch => EpochsTime.CpuMs / Epochs;
}

/// <summary>The runner's two ways to train: its <see cref="Trainer"/> alone, and the full <see cref="TrialRunner"/>.</summary>
public static class RunnerPaths
{
    /// <summary>
    /// Builds a <see cref="TrainingSession"/> the way TrialRunner.Train does (same seed, factories, schedule) on
    /// the benchmark's shared tensors and runs <c>new Trainer([]).Run(session)</c>: the training loop with no sinks.
    /// </summary>
    public static RunTiming Trainer(BenchCase bench, int epochs)
    {
        var spec = bench.WithEpochs(epochs).Spec;
        var setup = CpuClock.Now();
        // Not disposed as a whole: TrainingSession.Dispose would dispose the shared data tensors.
        var session = BenchRuntime.Instance.Sessions.Create(spec, TaskKind.Classification, bench.Train, bench.Validation, bench.Test);
        var start = CpuClock.Now();
        try
        {
            var outcome = new Trainer([]).Run(session);
            var end = CpuClock.Now();
            if (outcome.Reason != StopReason.Completed) throw new InvalidOperationException($"trainer stopped: {outcome.Reason}");
            var last = session.History[^1];
            return new RunTiming(epochs, end - start, start - setup, default, last.ValLoss, last.ValMetrics["accuracy"]);
        }
        finally
        {
            session.Optimizer.Dispose();
            session.Network.Dispose();
        }
    }

    /// <summary>
    /// <c>BenchRuntime.Instance.Runner.Run</c> into a fresh folder: loads/generates and splits the data itself, writes
    /// config.yaml/run.json, metrics.csv, layer_stats.csv and checkpoints every epoch, then tests the best weights.
    /// Epoch time is from TrialStarted to the last EpochEnded (both reported after the sinks ran).
    /// </summary>
    public static RunTiming TrialRunner(BenchCase bench, int epochs, string scratchRoot)
    {
        var trial = bench.WithEpochs(epochs);
        var experimentDir = Path.Combine(scratchRoot, $"run-{Guid.NewGuid():N}");
        var timer = new TimingProgress();
        var begin = CpuClock.Now();
        var manifest = BenchRuntime.Instance.Runner.Run(trial, experimentDir, new RunOptions { Threads = 1, Progress = timer });
        var end = CpuClock.Now();
        if (manifest.Status != TrialStatus.Completed.Text())
            throw new InvalidOperationException($"trial ended {manifest.Status}: {manifest.Error}\n{manifest.ErrorTail}");
        if (timer.EpochEnds.Count != epochs) throw new InvalidOperationException($"saw {timer.EpochEnds.Count} epochs, expected {epochs}");
        var last = timer.LastRecord!;
        try
        {
            Directory.Delete(experimentDir, recursive: true);
        }
        catch (IOException)
        {
            // Scratch; the root is removed at exit anyway.
        }
        return new RunTiming(epochs, timer.EpochEnds[^1] - timer.Started, timer.Started - begin, end - timer.EpochEnds[^1], last.ValLoss, last.ValMetrics["accuracy"]);
    }

    private sealed class TimingProgress : IProgressSink
    {
        public Mark Started { get; private set; }
        public List<Mark> EpochEnds { get; } = [];
        public EpochRecord? LastRecord { get; private set; }

        public void TrialStarted(TrialSpec trial, int totalEpochs, int resumedFromEpoch) => Started = CpuClock.Now();

        public void EpochEnded(TrialSpec trial, EpochRecord record, IReadOnlyList<string> metrics)
        {
            EpochEnds.Add(CpuClock.Now());
            LastRecord = record;
        }
    }
}
