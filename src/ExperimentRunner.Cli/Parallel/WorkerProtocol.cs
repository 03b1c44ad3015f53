namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// Lines between the sweep process and its workers. The parent writes a trial id (or <c>quit</c>) to a worker's
/// stdin, a tuning trial's id followed by <c>until N</c> to train it to checkpoint epoch N; the worker answers on stdout with <c>@@exprun done ID</c> once that trial's run.json is final, or with
/// <c>@@exprun refused ID REASON</c> when its own reading of the experiment has no such trial (the file changed
/// after the sweep started), having written nothing. Anything else a worker prints is its log, kept for the
/// failure report. Ids, not indices: an index into a file that changed would silently name another trial.
/// </summary>
public static class WorkerProtocol
{
    public const string CommandName = "__worker";
    public const string Quit = "quit";
    public const string DonePrefix = "@@exprun done ";
    public const string RefusedPrefix = "@@exprun refused ";
    public const string ReadyLine = "@@exprun ready";

    /// <summary>Exit code of a worker whose parent went away (stdin closed without quit).</summary>
    public const int OrphanExitCode = 3;

    private const string Until = " until ";

    /// <summary>The line that sends a trial: its id, and for a tuning trial sent to a checkpoint, the epoch to stop after.</summary>
    public static string Order(string trialId, int? stopAfter) => stopAfter is { } epoch ? $"{trialId}{Until}{epoch}" : trialId;

    /// <summary>Reads an order line back; null epoch when the trial trains to its end.</summary>
    public static (string TrialId, int? StopAfter) ParseOrder(string line)
    {
        var at = line.IndexOf(Until, StringComparison.Ordinal);
        return at > 0 && int.TryParse(line[(at + Until.Length)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var epoch)
            ? (line[..at], epoch)
            : (line, null);
    }

    public static string Refused(string trialId, string reason) => $"{RefusedPrefix}{trialId} {reason}";

    /// <summary>The reason of a <c>refused</c> line (null when the line is not one).</summary>
    public static string? RefusalReason(string line)
    {
        if (!line.StartsWith(RefusedPrefix, StringComparison.Ordinal)) return null;
        var rest = line[RefusedPrefix.Length..];
        var space = rest.IndexOf(' ');
        return space < 0 ? "" : rest[(space + 1)..];
    }

    public static string UnknownTrial(string trialId, string file) =>
        $"trial '{trialId}' is not a trial of {file} as that file reads now (the file or a --set value changed after the sweep started); refused: nothing was run or written for it";
}
