using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Tuning;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>Where a trial of an experiment trains: reported trials in results/&lt;name&gt;/trials, tuning trials one level down.</summary>
public static class TrialPlacement
{
    public static string TuningDir(string experimentDir) => Path.Combine(experimentDir, TuningPlan.FolderName);

    /// <summary>
    /// The work item for a trial: a tuning trial always resumes, because stopping at a checkpoint and going on from it
    /// is how it trains (and a fixed-seed trial resumed from its state is bit-identical to one never stopped).
    /// </summary>
    public static WorkItem Of(LoadedExperiment experiment, TrialSpec trial, string experimentDir, bool resume, int? stopAfter = null) =>
        experiment.Tuning?.Locate(trial.Id) is not null
            ? new WorkItem(trial, TuningDir(experimentDir), stopAfter, Resume: true, Tuning: true)
            : new WorkItem(trial, experimentDir, null, resume);
}
