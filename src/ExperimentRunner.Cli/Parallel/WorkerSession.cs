using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// The worker's side of <see cref="WorkerProtocol"/>: one line in (a trial id or quit), one answer out. Kept apart
/// from the process plumbing of <see cref="Commands.WorkerCommand"/> so it can be driven with in-memory writers.
/// </summary>
/// <param name="runTrial">Trains a trial of the experiment (reported or tuning), to the given checkpoint epoch or to its end.</param>
public sealed class WorkerSession(LoadedExperiment experiment, Func<TrialSpec, int?, RunManifest> runTrial, TextWriter output, TextWriter error)
{
    private readonly Dictionary<string, TrialSpec> _trials =
        experiment.Trials.Concat(experiment.Tuning?.Candidates ?? []).ToDictionary(t => t.Id, StringComparer.Ordinal);

    /// <summary>Handles one line from the parent; false once it says quit.</summary>
    public bool Handle(string line)
    {
        if (line == WorkerProtocol.Quit) return false;
        var (id, stopAfter) = WorkerProtocol.ParseOrder(line);
        if (!_trials.TryGetValue(id, out var trial))
        {
            var reason = WorkerProtocol.UnknownTrial(id, experiment.Source);
            error.WriteLine($"worker: error: {reason}");
            error.Flush();
            output.WriteLine(WorkerProtocol.Refused(id, reason));
            output.Flush();
            return true;
        }
        var manifest = runTrial(trial, stopAfter);
        if (manifest.Error is not null) error.WriteLine(manifest.ErrorTail ?? manifest.Error);
        output.WriteLine($"{WorkerProtocol.DonePrefix}{trial.Id}");
        output.Flush();
        return true;
    }
}
