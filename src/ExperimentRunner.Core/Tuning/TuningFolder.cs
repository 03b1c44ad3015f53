using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Core.Tuning;

/// <summary>
/// results/&lt;name&gt;/tuning/: the tuning trials' folders and the tuner's records. Everything the tuner decides is
/// recomputed from these files, so they are the whole of its state.
/// </summary>
public static class TuningFolder
{
    public static string TrialDir(string tuningDir, TrialSpec candidate) => Path.Combine(ExperimentResults.TrialsDir(tuningDir), candidate.Id);

    /// <summary>A cell's candidates as their files say, by setting.</summary>
    public static IReadOnlyList<CandidateCurve> Curves(string tuningDir, TuningCell cell, TuningPlan plan) =>
        cell.Candidates.Select((trial, setting) => Curve(tuningDir, trial, setting, plan)).ToList();

    private static CandidateCurve Curve(string tuningDir, TrialSpec trial, int setting, TuningPlan plan)
    {
        var dir = TrialDir(tuningDir, trial);
        var manifest = RunManifest.TryLoad(dir);
        // The file names its metrics: a csv dataset's are only known once its data is read.
        var rows = MetricsCsv.Read(Path.Combine(dir, MetricsCsv.FileName), null);
        var metric = plan.Spec.Metric;
        var values = rows.OrderBy(r => r.Epoch).Select(r => metric == "val_loss" ? r.ValLoss : r.ValMetrics.GetValueOrDefault(metric["val_".Length..], double.NaN)).ToList();
        var state = manifest?.StatusValue switch
        {
            TrialStatus.Completed or TrialStatus.EarlyStopped => CandidateState.Finished,
            TrialStatus.Diverged or TrialStatus.Failed => CandidateState.Broken,
            TrialStatus.Pruned => CandidateState.Pruned,
            _ => CandidateState.Open,
        };
        // A pruned trial is judged on the epochs it had when it was stopped, whatever came after.
        if (state == CandidateState.Pruned && manifest!.PrunedEpoch is { } at) values = values.Take(at).ToList();
        return new CandidateCurve(setting, values, state, plan.HigherIsBetter);
    }

    /// <summary>Records the rule's stop in run.json (status pruned at the checkpoint epoch) and frees its resume state.</summary>
    public static RunManifest MarkPruned(string tuningDir, TrialSpec candidate, int epoch)
    {
        var dir = TrialDir(tuningDir, candidate);
        Directory.CreateDirectory(dir);
        var manifest = (RunManifest.TryLoad(dir) ?? RunManifest.For(candidate, TrialStatus.Pruned)) with
        {
            Status = TrialStatus.Pruned.Text(),
            PrunedEpoch = epoch,
            Epochs = epoch,
            Error = null,
        };
        manifest.Save(dir);
        var state = Path.Combine(dir, CheckpointFiles.Folder, CheckpointFiles.StateFolder);
        if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        return manifest;
    }
}
