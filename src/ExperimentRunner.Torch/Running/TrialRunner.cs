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
/// Never throws for a trial's own failure, whatever its cause (bad data, a full disk, a bug): that is recorded in
/// run.json as status failed with a one-line error, the full trace in the trial's error.log, and never left running.
/// A trial whose files are damaged (a finished one's results or checkpoints, an unfinished one's resume state) is
/// trained again from scratch only with <see cref="RunOptions.RestartDamaged"/>; without it, it fails naming the file.
/// </summary>
public sealed class TrialRunner(ExprunRuntime runtime)
{
    /// <summary>The flag that lets a damaged trial start again from scratch (README: Sweeps).</summary>
    public const string RestartDamagedOption = Core.Export.RunArguments.RestartDamagedOption;

    public RunManifest Run(TrialSpec trial, string experimentDir, RunOptions options)
    {
        // The trial's lock is released on every way out, the early ones (finished, refused, busy) included.
        var held = new HeldLock();
        try
        {
            return Run(trial, experimentDir, options, held);
        }
        finally
        {
            held.Lock?.Dispose();
        }
    }

    private sealed class HeldLock
    {
        public TrialLock? Lock;
    }

    private RunManifest Run(TrialSpec trial, string experimentDir, RunOptions options, HeldLock held)
    {
        var dir = TrialPaths.TrialDir(experimentDir, trial.Id);
        var started = options.Clock.GetUtcNow();
        var startedAt = options.Clock.GetTimestamp();
        var recovery = new List<string>();
        var manifest = RunManifest.For(trial, TrialStatus.Running) with
        {
            Threads = options.Threads,
            Versions = RuntimeInfo.Versions,
            StartedAt = started,
            Warnings = trial.Warnings.Select(w => w.ToString()).ToList(),
        };
        RunManifest? previous = null;
        var wroteRunning = false;
        try
        {
            var found = Inspect(dir, options, recovery);
            if (found.Finished) return found.Previous!;
            held.Lock = TrialLock.TryAcquire(dir);
            if (held.Lock is null) return Busy(trial, found.Previous);
            // Another process may have finished it while we waited for the lock.
            recovery.Clear();
            found = Inspect(dir, options, recovery);
            if (found.Finished) return found.Previous!;
            if (found.Refused is { } refusedNow)
            {
                manifest = refusedNow(manifest);
                // An unfinished trial's run.json says failed (never left running); a finished one's is left as the evidence.
                if (found.Previous is { } unfinished && !unfinished.StatusValue.IsSettled()) manifest = Record(manifest, dir, wroteRunning: false);
                options.Progress.TrialEnded(trial, manifest);
                return manifest;
            }
            previous = found.Previous;
            AtomicFile.RemoveLeftovers(dir);
            File.Delete(Path.Combine(dir, TrialPaths.ErrorLog));
            AtomicFile.WriteAllText(Path.Combine(dir, TrialPaths.ConfigFile), ConfigWriter.ToYaml(trial.Spec.Tree));
            manifest.Save(dir);
            wroteRunning = true;
            manifest = Execute(trial, dir, options with { Resume = options.Resume && !found.Fresh }, manifest, recovery);
        }
        catch (Exception ex)
        {
            manifest = Failed(manifest, ex, dir, options.Clock);
        }
        manifest = manifest with
        {
            Seconds = (manifest.ResumedFromEpoch is not null ? previous?.Seconds ?? 0 : 0) + options.Clock.GetElapsedTime(startedAt).TotalSeconds,
            FinishedAt = options.Clock.GetUtcNow(),
        };
        if (recovery.Count > 0) manifest = manifest with { Warnings = [.. manifest.Warnings, .. recovery] };
        manifest = Record(manifest, dir, wroteRunning);
        options.Progress.TrialEnded(trial, manifest);
        return manifest;
    }

    /// <summary>
    /// What the folder holds: a finished trial with whole files (not run again); damage that refuses the trial (without
    /// the restart flag: the failure to report); or whether the trial must start from scratch.
    /// </summary>
    private sealed record Found(RunManifest? Previous, bool Finished, bool Fresh, Func<RunManifest, RunManifest>? Refused = null);

    private static Found Inspect(string dir, RunOptions options, List<string> recovery)
    {
        var (previous, damage) = RunManifest.Read(dir);
        TrialDamage? found = damage is not null ? new TrialDamage(RunManifest.FileName, damage) : null;
        if (found is null && previous is not null && previous.StatusValue.IsSettled())
        {
            found = TrialCheck.Read(dir, checkpoints: true)?.Damage;
            if (found is null) return new Found(previous, true, false);
        }
        else if (found is null && previous is not null && options.Resume && CheckpointFiles.VerifyState(dir) is { } state)
        {
            found = state;
        }
        if (found is null) return new Found(previous, false, false);
        var line = $"{Path.Combine(dir, found.File)}: damaged: {found.Reason}";
        if (options.RestartDamaged)
        {
            recovery.Add($"{line}; {RestartDamagedOption}: the trial trains again from scratch");
            return new Found(previous, false, true);
        }
        // Nothing in the folder is touched: the damage stays there to be looked at (or restarted with the flag).
        return new Found(previous, false, false, m => m with
        {
            Status = TrialStatus.Failed.Text(),
            Error = $"{line}; run again with {RestartDamagedOption} to train this trial from scratch",
        });
    }

    /// <summary>
    /// The failure as run.json records it: the exception's message as the error (it names the file and the cause for
    /// I/O failures), the end of the trace in error_tail, the whole trace in error.log (written if the disk allows).
    /// </summary>
    private static RunManifest Failed(RunManifest manifest, Exception ex, string dir, TimeProvider clock)
    {
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, TrialPaths.ErrorLog),
                $"{clock.GetUtcNow():O} exprun {RuntimeInfo.Versions.Exprun}: trial {manifest.Trial} failed\n{ex}\n");
        }
        catch (Exception logFailure) when (logFailure is IOException or UnauthorizedAccessException)
        {
            // The disk that failed the trial may refuse the log too; run.json's error_tail still has the trace's end.
        }
        return manifest with
        {
            Status = TrialStatus.Failed.Text(),
            Error = TrialFailure.Message(ex),
            ErrorTail = Tail(ex.ToString(), 40),
        };
    }

    /// <summary>
    /// Writes the final run.json, trying once more when the first write fails (a full disk may have room again after the
    /// temporary files went). When both fail, the folder keeps the run.json before it (writes are atomic: a trial that
    /// had started says running there), and the outcome returned says failed with both reasons, so the sweep counts it.
    /// </summary>
    private static RunManifest Record(RunManifest manifest, string dir, bool wroteRunning)
    {
        Exception? first = null;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                manifest.Save(dir);
                return manifest;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                first ??= ex;
            }
        }
        var outcome = manifest.StatusValue == TrialStatus.Failed ? $"failed: {manifest.Error}" : $"{manifest.Status} after {manifest.Epochs} epochs";
        var left = wroteRunning ? "; its folder's run.json still says running" : "";
        return manifest with
        {
            Status = TrialStatus.Failed.Text(),
            Error = $"{TrialFailure.Message(first!)} (the trial's outcome, {outcome}, is not recorded{left})",
        };
    }

    private RunManifest Execute(TrialSpec trial, string dir, RunOptions options, RunManifest manifest, List<string> recovery)
    {
        TrialMemory.FreeLeftovers();
        RuntimeInfo.UseThreads(options.Threads);
        var flushed = Native.DenormalFlush.OnThisThread();
        var prepared = DataPreparation.Prepare(trial.Spec, runtime.Catalogs, options.MaxRows);
        var spec = Capped(trial.Spec, options);
        using var session = Build(spec, prepared);
        manifest = manifest with
        {
            Task = prepared.Task.ToString().ToLowerInvariant(),
            FlushDenormal = flushed,
            AllocFill = Native.AllocationFill.InEffect,
            Metrics = session.Metrics,
            ClassNames = prepared.Preprocessing.ClassNames,
            Preprocessing = prepared.Preprocessing,
            Warnings = prepared.UnseenCategoryRows == 0 ? manifest.Warnings : [.. manifest.Warnings, UnseenCategoriesWarning(prepared.UnseenCategoryRows)],
        };

        var store = new CheckpointStore(dir, CheckpointMetadata.For(trial, prepared.Preprocessing));
        var resumedFrom = Restore(session, store, dir, options.Resume, options.RestartDamaged, recovery);
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

    /// <summary>
    /// Continues from the last committed epoch when asked to and there is one whose files are whole (see
    /// <see cref="ResumeCheck"/>); otherwise clears an abandoned attempt's files and starts from epoch 0. A damaged
    /// state fails the trial naming the file, unless <paramref name="restartDamaged"/>: then it starts from scratch.
    /// </summary>
    private static int? Restore(TrainingSession session, CheckpointStore store, string dir, bool resume, bool restartDamaged, List<string> recovery)
    {
        if (resume && store.HasState)
        {
            try
            {
                // Verified before anything is loaded, so a fresh start after a damaged state starts from untouched weights.
                var point = ResumeCheck.Verify(store, dir, session, recovery);
                session.State = store.LoadState(session, point);
                return session.State.EpochsDone;
            }
            catch (DamagedFileException ex) when (restartDamaged)
            {
                recovery.Add($"{ex.Message}; {RestartDamagedOption}: the trial starts again from epoch 0");
            }
            catch (DamagedFileException ex)
            {
                throw new DamagedFileException(ex.FilePath, $"{ex.Reason}; cannot resume: run again with {RestartDamagedOption} to train this trial from scratch");
            }
        }
        // A fresh start must not mix with files of an earlier, abandoned attempt.
        store.Clear();
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
