using System.Text.RegularExpressions;

namespace ExperimentRunner.Core.IO;

/// <summary>
/// A file exprun could not write (disk full, permission denied, folder gone), named as the user knows it (the target,
/// not the temporary file a write goes through), with the operating system's reason. It is an <see cref="IOException"/>,
/// so every handler of I/O errors still catches it; its message is the one line a user sees.
/// </summary>
public sealed class FileWriteException(string path, string cause, Exception inner)
    : IOException($"{path}: cannot write: {cause}", inner)
{
    public string FilePath { get; } = path;

    public string Cause { get; } = cause;
}

/// <summary>The reason of an I/O failure without the path .NET appends to it (the message names the file itself).</summary>
public static partial class IoCause
{
    public static string Of(Exception ex)
    {
        if (ex is FileWriteException written) return written.Cause;
        var message = PathSuffix().Replace(ex.Message, "").Trim();
        if (ex is UnauthorizedAccessException) return "permission denied";
        if (ex is FileNotFoundException or DirectoryNotFoundException) return "no such file or folder (removed while exprun was using it?)";
        return message.Length == 0 ? ex.GetType().Name : message.TrimEnd('.');
    }

    // "No space left on device : '/results/x/.run.json.123.abc.exprun-tmp'" -> "No space left on device"
    [GeneratedRegex(@"\s*:\s*'[^']*'\s*\.?$")]
    private static partial Regex PathSuffix();
}
