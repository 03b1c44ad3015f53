using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// The worker's side of <see cref="WorkerProtocol"/>: one line in (a trial id or quit), one answer out. Kept apart
/// from the process plumbing of <see cref="Commands.WorkerCommand"/> so it can be driven with in-memory writers.
/// </summary>
public sealed class WorkerSession(LoadedExperiment experiment, Func<TrialSpec, RunManifest> runTrial, TextWriter output, TextWriter error)
{
    private readonly Dictionary<string, TrialSpec> _trials = experiment.Trials.ToDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>Handles one line from the parent; false once it says quit.</summary>
    public bool Handle(string line)
    {
        if (line == WorkerProtocol.Quit) return false;
        if (!_trials.TryGetValue(line, out var trial))
        {
            var reason = WorkerProtocol.UnknownTrial(line, experiment.Source);
            error.WriteLine($"worker: error: {reason}");
            error.Flush();
            output.WriteLine(WorkerProtocol.Refused(line, reason));
            output.Flush();
            return true;
        }
        var manifest = runTrial(trial);
        if (manifest.Error is not null) error.WriteLine(manifest.ErrorTail ?? manifest.Error);
        output.WriteLine($"{WorkerProtocol.DonePrefix}{trial.Id}");
        output.Flush();
        return true;
    }
}
