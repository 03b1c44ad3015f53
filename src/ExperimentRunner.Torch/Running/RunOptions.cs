using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Running;

/// <summary>How trials are run; everything has a default that suits a command-line run.</summary>
public sealed record RunOptions
{
    /// <summary>Continue unfinished trials from their last checkpoint (completed trials are always skipped).</summary>
    public bool Resume { get; init; }
    /// <summary>A trial whose files are damaged (results, checkpoints, resume state) starts again from scratch instead of failing.</summary>
    public bool RestartDamaged { get; init; }
    public int Threads { get; init; } = 1;
    public TimeProvider Clock { get; init; } = TimeProvider.System;
    public IProgressSink Progress { get; init; } = NoProgress.Instance;
    /// <summary>Stop once this many epochs are done, leaving the trial resumable (tests simulate interruptions with it).</summary>
    public int? StopAfterEpoch { get; init; }
    /// <summary>Smoke runs: cap epochs and rows per split so every trial finishes in seconds.</summary>
    public int? MaxEpochs { get; init; }
    public int? MaxRows { get; init; }
    /// <summary>false for tuning trials: they are judged on validation only, so the test split is never even scored.</summary>
    public bool ScoreTest { get; init; } = true;
}
