namespace ExperimentRunner.Core.Results;

/// <summary>Where a trial stands; written to run.json and summary.csv in snake_case.</summary>
public enum TrialStatus
{
    Pending,
    Running,
    Completed,
    EarlyStopped,
    Diverged,
    Failed,
}

public static class TrialStatusText
{
    public static string Text(this TrialStatus status) => status switch
    {
        TrialStatus.EarlyStopped => "early_stopped",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static TrialStatus Parse(string text) => text switch
    {
        "early_stopped" => TrialStatus.EarlyStopped,
        _ => Enum.Parse<TrialStatus>(text, ignoreCase: true),
    };

    /// <summary>Completed, early-stopped and diverged trials are results; failed and unfinished ones are re-run.</summary>
    public static bool IsTerminal(this TrialStatus status) =>
        status is TrialStatus.Completed or TrialStatus.EarlyStopped or TrialStatus.Diverged;
}
