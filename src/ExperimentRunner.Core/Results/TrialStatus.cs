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
    /// <summary>A tuning trial stopped by the stopping rule (asha, median) at <c>pruned_epoch</c>: not a result, never run again.</summary>
    Pruned,
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

    /// <summary>Never trained again: a result, or a tuning trial the rule stopped (which is no result: it never enters an aggregate).</summary>
    public static bool IsSettled(this TrialStatus status) => status.IsTerminal() || status == TrialStatus.Pruned;
}
