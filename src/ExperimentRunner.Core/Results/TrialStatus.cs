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
    /// <summary>
    /// Never written to run.json: a trial whose files failed the check on reading (run.json cut short, a garbled
    /// metrics.csv row). summary.csv, compare and report show it as such, and no statistic counts it.
    /// </summary>
    Damaged,
}

public static class TrialStatusText
{
    public static string Text(this TrialStatus status) => status switch
    {
        TrialStatus.EarlyStopped => "early_stopped",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static TrialStatus Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"status '{text}' is not one of {string.Join(", ", Enum.GetValues<TrialStatus>().Select(Text))}");

    /// <summary>The status a text names (as run.json and summary.csv write it); null for any other text.</summary>
    public static TrialStatus? TryParse(string? text) =>
        Enum.GetValues<TrialStatus>().Where(s => s.Text() == text).Select(s => (TrialStatus?)s).FirstOrDefault();

    /// <summary>Completed, early-stopped and diverged trials are results; failed and unfinished ones are re-run.</summary>
    public static bool IsTerminal(this TrialStatus status) =>
        status is TrialStatus.Completed or TrialStatus.EarlyStopped or TrialStatus.Diverged;

    /// <summary>Never trained again: a result, or a tuning trial the rule stopped (which is no result: it never enters an aggregate).</summary>
    public static bool IsSettled(this TrialStatus status) => status.IsTerminal() || status == TrialStatus.Pruned;
}
