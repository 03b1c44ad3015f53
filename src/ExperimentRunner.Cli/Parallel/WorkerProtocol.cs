namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// Lines between the sweep process and its workers. The parent writes a trial id (or <c>quit</c>) to a worker's
/// stdin; the worker answers on stdout with <c>@@exprun done ID</c> once that trial's run.json is final, or with
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
