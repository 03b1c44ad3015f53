using System.Text;

namespace ExperimentRunner.Core.IO;

/// <summary>
/// What Linux file systems accept (ext4, xfs, btrfs, tmpfs): a name of at most 255 bytes per path part (NAME_MAX)
/// and a whole path of at most 4095 (PATH_MAX less the terminating NUL). .NET lets longer names through until the
/// system call fails with a PathTooLongException, after the run has started; these are checked before.
/// </summary>
public static class PathLimits
{
    public const int NameMax = 255;
    public const int PathMax = 4095;

    /// <summary>The longest part of a path between separators, in UTF-8 bytes.</summary>
    public static (string Text, int Bytes) LongestPart(string path) =>
        path.Split('/', '\\').Select(p => (p, Encoding.UTF8.GetByteCount(p))).MaxBy(p => p.Item2);

    /// <summary>A value quoted for a message; a long one cut to its start and end, with its length.</summary>
    public static string Quote(string text) =>
        text.Length <= 60 ? $"'{text}'" : $"'{text[..28]}...{text[^28..]}' ({text.Length} characters)";
}
