namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// Lines between the sweep process and its workers. The parent writes a trial index (or <c>quit</c>) to a
/// worker's stdin; the worker answers on stdout with <c>@@exprun done INDEX</c> once that trial's run.json
/// is final. Anything else a worker prints is its log, kept for the failure report.
/// </summary>
public static class WorkerProtocol
{
    public const string CommandName = "__worker";
    public const string Quit = "quit";
    public const string DonePrefix = "@@exprun done ";
    public const string ReadyLine = "@@exprun ready";

    /// <summary>Exit code of a worker whose parent went away (stdin closed without quit).</summary>
    public const int OrphanExitCode = 3;
}
