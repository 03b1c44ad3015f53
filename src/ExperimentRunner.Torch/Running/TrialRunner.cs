using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Checkpoints;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Diagnostics;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Running;

/// <summary>
/// Runs one trial end to end in its own folder, in five steps: prepare the data, build the session, train with the
/// sinks its settings ask for, evaluate the best weights on the test split, and record the outcome in run.json.
/// Never throws for a trial's own failure: that is recorded in run.json as status failed.
/// </summary>
public sealed class TrialRunner(ExprunRuntime runtime)
{
    public RunManifest Run(TrialSpec trial, string experimentDir, RunOptions options)
    {
        var dir = TrialPaths.TrialDir(experimentDir, trial.Id);
        var previous = RunManifest.TryLoad(dir);
        if (previous is not null && previous.StatusValue.IsSettled()) return previous;

        using var trialLock = TrialLock.TryAcquire(dir);
        if (trialLock is null) return Busy(trial, previous);
        // Another process may have finished it while we waited for the lock.
        previous = RunManifest.TryLoad(dir);
        if (previous is not null && previous.StatusValue.IsSettled()) return previous;
        AtomicFile.RemoveLeftovers(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, TrialPaths.ConfigFile), ConfigWriter.ToYaml(trial.Spec.Tree));
        var started = options.Clock.GetUtcNow();
        var startedAt = options.Clock.GetTimestamp();
        var manifest = RunManifest.For(trial, TrialStatus.Running) with
        {
            Threads = options.Threads,
            Versions = RuntimeInfo.Versions,
            StartedAt = started,
            Warnings = trial.Warnings.Select(w => w.ToString()).ToList(),
        };
        manifest.Save(dir);
        try
        {
            manifest = Execute(trial, dir, options, manifest);
        }
        catch (Exception ex)
        {
            manifest = manifest with
            {
                Status = TrialStatus.Failed.Text(),
                Error = TrialFailure.Message(ex),
                ErrorTail = Tail(ex.ToString(), 40),
            };
        }
        manifest = manifest with { Seconds = (manifest.ResumedFromEpoch is not null ? previous?.Seconds ?? 0 : 0) + options.Clock.GetElapsedTime(startedAt).TotalSeconds, FinishedAt = options.Clock.GetUtcNow() };
        manifest.Save(dir);
        options.Progress.TrialEnded(trial, manifest);
        return manifest;
    }

    private RunManifest Execute(TrialSpec trial, string dir, RunOptions options, RunManifest manifest)
    {
        RuntimeInfo.UseThreads(options.Threads);
        var prepared = DataPreparation.Prepare(trial.Spec, runtime.Catalogs, options.MaxRows);
        var spec = Capped(trial.Spec, options);
        using var session = Build(spec, prepared);
        manifest = manifest with
        {
            Task = prepared.Task.ToString().ToLowerInvariant(),
            Metrics = session.Metrics,
            ClassNames = prepared.Preprocessing.ClassNames,
            Preprocessing = prepared.Preprocessing,
            Warnings = prepared.UnseenCategoryRows == 0 ? manifest.Warnings : [.. manifest.Warnings, UnseenCategoriesWarning(prepared.UnseenCategoryRows)],
        };

        var store = new CheckpointStore(dir, CheckpointMetadata.For(trial, prepared.Preprocessing));
        var resumedFrom = Restore(session, store, dir, options.Resume);
        manifest = manifest with { ResumedFromEpoch = resumedFrom };
        manifest.Save(dir);
        options.Progress.TrialStarted(trial, spec.Training.Epochs, resumedFrom ?? 0);

        var sinks = runtime.Sinks.Create(new SinkContext(trial, spec, dir, store, options, runtime.Activations));
        var outcome = new Trainer(sinks, options.Clock).Run(session, options.StopAfterEpoch);
        if (outcome.Reason == StopReason.Interrupted)
            return manifest with { Epochs = session.State.EpochsDone };

        var test = Evaluate(session, store, options.ScoreTest);
        return Record(manifest, session, outcome, test, sinks);
    }

    /// <summary>Smoke runs cap the epochs; the capped spec is what the session trains with.</summary>
    private static ExperimentSpec Capped(ExperimentSpec spec, RunOptions options)
    {
        var epochs = Math.Min(spec.Training.Epochs, options.MaxEpochs ?? int.MaxValue);
        return epochs == spec.Training.Epochs ? spec : spec with { Training = spec.Training with { Epochs = epochs } };
    }

    private TrainingSession Build(ExperimentSpec spec, PreparedData prepared)
    {
        var loss = runtime.Catalogs.Losses.Get(spec.Loss.Name);
        var (train, validation, test) = prepared.Splits;
        return runtime.Sessions.Create(spec, prepared.Task,
            TensorSplit.Create(train, loss), TensorSplit.Create(validation, loss), TensorSplit.Create(test, loss));
    }

    /// <summary>Continues from the last committed epoch when asked to and there is one; otherwise clears an abandoned attempt's files.</summary>
    private static int? Restore(TrainingSession session, CheckpointStore store, string dir, bool resume)
    {
        if (resume && store.HasState)
        {
            session.State = store.LoadState(session);
            return session.State.EpochsDone;
        }
        // A fresh start must not mix with files of an earlier, abandoned attempt.
        if (Directory.Exists(store.Dir)) Directory.Delete(store.Dir, recursive: true);
        File.Delete(Path.Combine(dir, MetricsCsvSink.FileName));
        File.Delete(Path.Combine(dir, LayerStatsCollector.FileName));
        return null;
    }

    private sealed record TestResult(double? Loss, IReadOnlyDictionary<string, double?> Metrics);

    /// <summary>Saves the last weights, scores the best ones on the test split, and drops what the settings do not keep.</summary>
    private static TestResult Evaluate(TrainingSession session, CheckpointStore store, bool scoreTest)
    {
        var checkpoint = session.Spec.Checkpoint;
        store.SaveLast(session.Network, checkpoint.Formats.Contains("safetensors"), checkpoint.Writes("pt", "last"));
        var result = new TestResult(null, new Dictionary<string, double?>());
        if (File.Exists(store.BestWeights))
        {
            store.LoadBest(session.Network);
            if (checkpoint.Writes("pt", "best")) store.SaveBestPyTorch(session.Network);
            if (scoreTest && session.Test.Rows > 0)
            {
                var (loss, metrics) = Evaluator.Evaluate(session, session.Test);
                result = new TestResult(loss, metrics.ToDictionary(kv => kv.Key, kv => (double?)kv.Value));
            }
        }
        store.Finish(checkpoint.Keep.Contains("best") && checkpoint.Formats.Contains("safetensors"), checkpoint.Keep.Contains("last"));
        return result;
    }

    private static RunManifest Record(RunManifest manifest, TrainingSession session, TrainingOutcome outcome, TestResult test, IReadOnlyList<ITrainingCallback> sinks)
    {
        var last = session.History.LastOrDefault();
        var status = outcome.Reason switch
        {
            StopReason.EarlyStopped => TrialStatus.EarlyStopped,
            StopReason.Diverged => TrialStatus.Diverged,
            _ => TrialStatus.Completed,
        };
        var best = session.State.BestEpoch > 0;
        return manifest with
        {
            Status = status.Text(),
            Epochs = session.State.EpochsDone,
            BestEpoch = best ? session.State.BestEpoch : null,
            BestValLoss = best ? session.State.BestValLoss : null,
            DivergedEpoch = outcome.DivergedEpoch,
            TrainLoss = last?.TrainLoss,
            ValLoss = last?.ValLoss,
            TestLoss = test.Loss,
            TestMetrics = test.Metrics,
            Diagnostics = sinks.OfType<ITrialSummarySource>().SelectMany(s => s.Diagnostics()).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
    }

    private static string UnseenCategoriesWarning(int rows) => string.Create(CultureInfo.InvariantCulture,
        $"warning: dataset: {rows} validation/test {(rows == 1 ? "row has" : "rows have")} a category no training row has; encoded as all zeros (the network learned no weight for it)");

    /// <summary>What a trial that another process is training looks like from here: running, with a reason, nothing written.</summary>
    private static RunManifest Busy(TrialSpec trial, RunManifest? previous) =>
        (previous ?? RunManifest.For(trial, TrialStatus.Running)) with { Status = TrialStatus.Running.Text(), Error = "another process is training this trial (its folder is locked); skipped here" };

    private static string Tail(string text, int lines)
    {
        var all = text.ReplaceLineEndings("\n").Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
