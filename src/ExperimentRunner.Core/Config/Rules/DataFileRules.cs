using System.Text;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// Data files (csv path, idx images and labels, and the separate validation and test files: every file the dataset's
/// settings name, <see cref="Settings.DatasetSettings.Files"/>) must be regular files where the experiment file says.
/// A NUL in the path, a name no file system can hold, a folder, a device such as /dev/zero (reading never ends) or a
/// named pipe (reading waits forever) is refused here, before anything runs.
/// </summary>
public sealed class DataFilesExist : IChecksDataFiles
{
    public IReadOnlyList<string> Reads { get; } = ["dataset"];

    public void Check(RuleContext c)
    {
        foreach (var (key, path) in c.Spec.Dataset.Files)
        {
            if (Problem(path, c.Spec.BaseDirectory) is { } problem) c.Error($"dataset.{key}", problem);
        }
    }

    /// <summary>What is wrong with a data path, or null when it names a regular file.</summary>
    public static string? Problem(string path, string baseDirectory)
    {
        if (path.Trim().Length == 0) return "is empty; give the file's path (relative to the experiment file)";
        var shown = PathLimits.Quote(path.Replace("\0", "\\0", StringComparison.Ordinal));
        if (path.Contains('\0')) return $"{shown} holds a NUL character (\\0), which no file name can contain";
        if (PathLimits.LongestPart(path) is { Bytes: > PathLimits.NameMax } part)
        {
            var which = part.Text == path ? $"is a name of {part.Bytes} bytes" : $"has a part of {part.Bytes} bytes ({PathLimits.Quote(part.Text)})";
            return $"{shown} {which}; a file or folder name may have at most {PathLimits.NameMax} bytes";
        }
        var full = DataPaths.Resolve(baseDirectory, path);
        var bytes = Encoding.UTF8.GetByteCount(full);
        if (bytes > PathLimits.PathMax)
            return $"{shown} is {bytes} bytes long once resolved; a path may have at most {PathLimits.PathMax} bytes";
        var kind = FileKinds.Of(full);
        var relative = Path.IsPathRooted(path) || baseDirectory.Length == 0 ? "" : $" (relative paths start at the experiment file's folder, {baseDirectory})";
        return kind switch
        {
            // Files of /proc report 0 bytes too, and some never answer a read (/proc/kmsg) or fail it (/proc/self/mem).
            FileKind.Regular when new FileInfo(full).Length == 0 => $"{shown} is empty (0 bytes); give a file that holds the examples: {full}",
            FileKind.Regular => null,
            FileKind.Missing => $"file not found: {full}{relative}",
            FileKind.Directory => $"{shown} is a folder, not a file: {full}",
            FileKind.Unknown => $"{shown} cannot be looked at (no permission, or a loop of links): {full}",
            _ => $"{shown} is {FileKinds.Describe(kind)}, not a regular file; give a data file",
        };
    }
}
