namespace ExperimentRunner.Cli;

/// <summary>The contract CI scripts rely on (README "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Every trial reached a terminal state: completed, early_stopped or diverged.</summary>
    public const int Ok = 0;
    /// <summary>At least one trial failed with an error.</summary>
    public const int TrialFailed = 1;
    /// <summary>Usage or config error: nothing trained, nothing written.</summary>
    public const int UsageError = 2;
}
