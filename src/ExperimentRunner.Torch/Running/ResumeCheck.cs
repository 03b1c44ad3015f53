using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Checkpoints;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Running;

/// <summary>
/// Whether an unfinished trial can continue from its last commit: the commit and every file a resume uses must be
/// whole and agree with it, or the resumed trial would carry a gap (metrics.csv epochs 1-3 then 14-40) or fail on
/// every attempt. metrics.csv is rewritten from the commit, which holds every epoch's metrics; anything else that is
/// damaged throws <see cref="DamagedFileException"/> naming the file, and the trial starts again from epoch 0.
/// </summary>
internal static class ResumeCheck
{
    /// <summary>The verified commit; <paramref name="recovery"/> gets a line for each file it had to restore.</summary>
    public static CheckpointStore.ResumePoint Verify(CheckpointStore store, string trialDir, TrainingSession session, List<string> recovery)
    {
        var point = store.ReadState();
        var done = point.Trainer.EpochsDone;
        if (point.History is { } history && history.Count(e => e.Epoch <= done) != done)
            throw new DamagedFileException(store.TrainerFile, $"holds the metrics of {history.Count} epochs but says {done} are done");
        CheckMetrics(Path.Combine(trialDir, MetricsCsvSink.FileName), session.Metrics, done, point.History, recovery);
        if (session.Spec.Diagnostics.LayerStats) CheckLayers(Path.Combine(trialDir, LayerStatsCsv.FileName), session, done);
        return point;
    }

    /// <summary>
    /// metrics.csv must hold exactly epochs 1..done once the rows the resume repeats are dropped: a file cut short (or
    /// garbled) is rewritten from the commit's record of the epochs when it has one, else the resume is refused, so a
    /// resumed trial never has a gap (epochs 1-3 then 14-40).
    /// </summary>
    private static void CheckMetrics(string path, IReadOnlyList<string> metrics, int done, IReadOnlyList<EpochRecord>? history, List<string> recovery)
    {
        string problem;
        try
        {
            var kept = MetricsCsv.Read(path, metrics).Count(e => e.Epoch <= done);
            if (kept == done) return;
            problem = !File.Exists(path) ? "missing" : $"holds {kept} of the {done} epochs the resume state has done (cut short?)";
        }
        catch (DamagedFileException ex)
        {
            problem = ex.Reason;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read ({IoCause.Of(ex)})";
        }
        var recorded = history?.Where(e => e.Epoch <= done).ToList();
        if (recorded is null || recorded.Count != done)
            throw new DamagedFileException(path, $"{problem}; the resume state keeps no record of those epochs to restore it from");
        AtomicFile.WriteAllText(path, MetricsCsv.Write(metrics, recorded));
        recovery.Add($"{path}: {problem}: rewritten from the resume state (epochs 1-{done})");
    }

    /// <summary>Layer statistics cannot be measured again for past epochs: each epoch the collector measures must be there.</summary>
    private static void CheckLayers(string path, TrainingSession session, int done)
    {
        if (done == 0) return;
        if (!File.Exists(path)) throw new DamagedFileException(path, $"missing, but the resume state is at epoch {done}");
        var rows = LayerStatsCsv.Read(path).Where(r => r.Epoch <= done).ToList();
        var measured = LayerStatsCsv.Epochs(rows).ToHashSet();
        var every = session.Spec.Diagnostics.Every;
        var missing = Enumerable.Range(1, done).Where(e => (e == 1 || e == session.Spec.Training.Epochs || e % every == 0) && !measured.Contains(e)).ToList();
        if (missing.Count > 0)
            throw new DamagedFileException(path, $"lacks the layers of epoch {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", ..." : "")} of the {done} the resume state has done (cut short?)");
        var layers = rows.Count(r => r.Epoch == rows[0].Epoch);
        if (layers != session.Model.Layers.Count)
            throw new DamagedFileException(path, $"has {layers} layers per epoch; the model has {session.Model.Layers.Count}");
    }
}
