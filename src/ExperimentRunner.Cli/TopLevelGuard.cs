using System.Text.RegularExpressions;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli;

/// <summary>
/// The last catch around every command: whatever escapes one (a full disk while writing summary.csv, a file removed
/// under it, a damaged file, a bug) becomes one line, <c>error: &lt;what&gt; (&lt;file&gt;): &lt;cause&gt;</c>, and exit
/// code 1, never a stack trace on the terminal. The trace goes to a file the line names, for a bug report.
/// </summary>
public static partial class TopLevelGuard
{
    public static int Run(CliContext context, Func<int> command)
    {
        try
        {
            return command();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            context.Error.WriteLine(Line(ex, SaveTrace(ex)));
            return ExitCodes.TrialFailed;
        }
    }

    /// <summary>The one line for an exception; <paramref name="trace"/> is where its full trace was saved (null: nowhere).</summary>
    public static string Line(Exception ex, string? trace)
    {
        switch (ex)
        {
            case FileWriteException write:
                return $"error: cannot write ({write.FilePath}): {write.Cause}";
            case DamagedFileException damaged:
                return $"error: damaged file ({damaged.FilePath}): {damaged.Reason}; run 'exprun check' on the results folder to list every damaged file";
            case UnauthorizedAccessException or IOException:
                var file = QuotedPath().Match(ex.Message) is { Success: true } m ? m.Groups[1].Value : "a file";
                return $"error: cannot read or write ({file}): {IoCause.Of(ex)}";
            default:
                var where = trace is null ? "" : $" (the full trace is in {trace})";
                return $"error: internal error ({ex.TargetSite?.DeclaringType?.Name ?? "exprun"}): {ex.GetType().Name}: {OneLine(ex.Message)}{where}; please report it";
        }
    }

    private static string? SaveTrace(Exception ex)
    {
        if (ex is FileWriteException or DamagedFileException or IOException or UnauthorizedAccessException) return null;
        try
        {
            var path = Path.Combine(Path.GetTempPath(), $"exprun-error-{Environment.ProcessId}.log");
            File.WriteAllText(path, ex.ToString());
            return path;
        }
        catch (Exception saveFailure) when (saveFailure is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    [GeneratedRegex(@"'([^']+)'")]
    private static partial Regex QuotedPath();
}
