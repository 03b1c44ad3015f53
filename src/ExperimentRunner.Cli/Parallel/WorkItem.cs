using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// One trial to train, where its folder is, and how far: a reported trial trains to its end; a tuning trial may be
/// sent to a checkpoint epoch (<see cref="StopAfter"/>) and later sent on from there (so it always resumes).
/// </summary>
public sealed record WorkItem(TrialSpec Trial, string ExperimentDir, int? StopAfter = null, bool Resume = false);
