using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// One trial to train, where its folder is, and how far: a reported trial trains to its end; a tuning trial may be
/// sent to a checkpoint epoch (<see cref="StopAfter"/>) and later sent on from there (so it always resumes), and is
/// never scored on the test split (<see cref="Tuning"/>).
/// </summary>
public sealed record WorkItem(TrialSpec Trial, string ExperimentDir, int? StopAfter = null, bool Resume = false, bool Tuning = false)
{
    /// <summary>The run options for this item, from the batch's.</summary>
    public Torch.Running.RunOptions Options(Torch.Running.RunOptions batch) =>
        batch with { Resume = Resume, StopAfterEpoch = StopAfter, ScoreTest = !Tuning };
}
