namespace ExperimentRunner.Core.Results;

/// <summary>How a failed trial's error reads in run.json, summary.csv and on stderr.</summary>
public static class TrialFailure
{
    /// <summary>
    /// The exception's message alone: exprun's own messages name the file, row, column and value, and a .NET type name
    /// in front of them tells a user nothing. The type stays in run.json's error_tail with the stack trace.
    /// </summary>
    public static string Message(Exception ex) => string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : ex.Message;

    /// <summary>The error as stderr lines naming the trial, one per line of the message (a config check may report several problems).</summary>
    public static IEnumerable<string> ErrorLines(string trialId, string? error)
    {
        var lines = (error ?? "failed without a message").ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var line in lines)
            yield return line.StartsWith("error: ", StringComparison.Ordinal) || line.StartsWith("warning: ", StringComparison.Ordinal)
                ? $"trial {trialId}: {line}"
                : $"trial {trialId}: error: {line}";
    }
}
