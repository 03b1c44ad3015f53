using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Checkpoints;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Diagnostics;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using ExperimentRunner.Torch.Training;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Running;

/// <summary>
/// Runs one trial end to end in its own folder: config.yaml, run.json, metrics.csv, layer_stats.csv and
/// checkpoints. Never throws for a trial's own failure: that is recorded in run.json as status failed.
/// </summary>
public sealed class TrialRunner(Catalogs catalogs, DatasetProviders datasets)
{
    public static TrialRunner Default { get; } = new(Catalogs.Default, DatasetProviders.Default);

    public RunManifest Run(TrialSpec trial, string experimentDir, RunOptions options)
    {
        var dir = TrialPaths.TrialDir(experimentDir, trial.Id);
        var previous = RunManifest.TryLoad(dir);
        if (previous is not null && previous.StatusValue.IsTerminal()) return previous;

        using var trialLock = TrialLock.TryAcquire(dir);
        if (trialLock is null) return Busy(trial, previous);
        // Another process may have finished it while we waited for the lock.
        previous = RunManifest.TryLoad(dir);
        if (previous is not null && previous.StatusValue.IsTerminal()) return previous;
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
            manifest = Train(trial, dir, options, manifest);
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

    private RunManifest Train(TrialSpec trial, string dir, RunOptions options, RunManifest manifest)
    {
        var spec = trial.Spec;
        RuntimeInfo.UseThreads(options.Threads);
        var data = datasets.For(spec.Dataset.Name).Load(spec.Dataset, spec.Seed, spec.BaseDirectory);
        // A csv's task (task: auto) and an idx's classes are known only now: the checks validate could not make.
        DataChecks.MatchSpec(spec, data, catalogs);
        var splits = Splitter.Split(data, spec.Dataset.Floats("split"), spec.Seed);
        // Missing-value means and standardization are fitted on the training split only, then applied to all three.
        splits = Preprocessing.Apply(splits, spec.Dataset);
        if (options.MaxRows is { } maxRows) splits = Cap(splits, maxRows);
        var epochs = Math.Min(spec.Training.Epochs, options.MaxEpochs ?? int.MaxValue);
        if (epochs != spec.Training.Epochs) spec = spec with { Training = spec.Training with { Epochs = epochs } };

        var loss = catalogs.Losses.Get(spec.Loss.Name);
        using var session = SessionFactory.Create(spec, data.Task,
            TensorSplit.Create(splits.Train, loss), TensorSplit.Create(splits.Validation, loss), TensorSplit.Create(splits.Test, loss));
        var metrics = session.Metrics;
        manifest = manifest with { Task = data.Task.ToString().ToLowerInvariant(), Metrics = metrics, ClassNames = data.ClassNames };

        var store = new CheckpointStore(dir);
        int? resumedFrom = null;
        if (options.Resume && store.HasState)
        {
            session.State = store.LoadState(session);
            resumedFrom = session.State.EpochsDone;
        }
        else
        {
            // A fresh start must not mix with files of an earlier, abandoned attempt.
            if (Directory.Exists(store.Dir)) Directory.Delete(store.Dir, recursive: true);
            File.Delete(Path.Combine(dir, MetricsCsvSink.FileName));
            File.Delete(Path.Combine(dir, LayerStatsCollector.FileName));
        }
        manifest = manifest with { ResumedFromEpoch = resumedFrom };
        manifest.Save(dir);
        options.Progress.TrialStarted(trial, epochs, resumedFrom ?? 0);

        var layerStats = spec.Diagnostics.LayerStats ? new LayerStatsCollector(dir, spec.Diagnostics, catalogs) : null;
        var callbacks = new List<ITrainingCallback> { new MetricsCsvSink(dir) };
        if (layerStats is not null) callbacks.Add(layerStats);
        callbacks.Add(new CheckpointSink(store));
        callbacks.Add(new ProgressCallback(trial, options.Progress));
        var outcome = new Trainer(callbacks, options.Clock).Run(session, options.StopAfterEpoch);
        if (outcome.Reason == StopReason.Interrupted)
            return manifest with { Epochs = session.State.EpochsDone };

        store.SaveLast(session.Network, spec.Checkpoint.Formats.Contains("safetensors"), spec.Checkpoint.Writes("pt", "last"));
        double? testLoss = null;
        var testMetrics = new Dictionary<string, double?>();
        if (File.Exists(store.BestWeights) && session.Test.Rows > 0)
        {
            store.LoadBest(session.Network);
            var (tl, tm) = Evaluator.Evaluate(session, session.Test);
            testLoss = tl;
            foreach (var (k, v) in tm) testMetrics[k] = v;
        }
        store.Finish(spec.Checkpoint.Keep.Contains("best") && spec.Checkpoint.Formats.Contains("safetensors"), spec.Checkpoint.Keep.Contains("last"));

        var last = session.History.LastOrDefault();
        var status = outcome.Reason switch
        {
            StopReason.EarlyStopped => TrialStatus.EarlyStopped,
            StopReason.Diverged => TrialStatus.Diverged,
            _ => TrialStatus.Completed,
        };
        return manifest with
        {
            Status = status.Text(),
            Epochs = session.State.EpochsDone,
            BestEpoch = session.State.BestEpoch > 0 ? session.State.BestEpoch : null,
            BestValLoss = session.State.BestEpoch > 0 ? session.State.BestValLoss : null,
            DivergedEpoch = outcome.DivergedEpoch,
            TrainLoss = last?.TrainLoss,
            ValLoss = last?.ValLoss,
            TestLoss = testLoss,
            TestMetrics = testMetrics,
            Diagnostics = layerStats?.Summary() ?? new Dictionary<string, double?>(),
        };
    }

    /// <summary>What a trial that another process is training looks like from here: running, with a reason, nothing written.</summary>
    private static RunManifest Busy(TrialSpec trial, RunManifest? previous) =>
        (previous ?? RunManifest.For(trial, TrialStatus.Running)) with { Status = TrialStatus.Running.Text(), Error = "another process is training this trial (its folder is locked); skipped here" };

    private static DataSplits Cap(DataSplits s, int rows)
    {
        static DataSet Head(DataSet d, int n) => d.Rows <= n ? d : d.Take(Enumerable.Range(0, n).ToList());
        return new DataSplits(Head(s.Train, rows), Head(s.Validation, rows), Head(s.Test, rows));
    }

    private static string Tail(string text, int lines)
    {
        var all = text.ReplaceLineEndings("\n").Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
