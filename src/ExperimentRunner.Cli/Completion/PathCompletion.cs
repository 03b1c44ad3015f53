using System.CommandLine.Completions;

namespace ExperimentRunner.Cli.Completion;

/// <summary>
/// File and folder names for arguments and options that take a path. The shell's own file completion cannot be
/// the fallback: System.CommandLine also offers the command's options at such a position, so the shell would never
/// see an empty answer. Paths are completed the way they were typed (relative, absolute or from <c>~/</c>).
/// </summary>
public static class PathCompletion
{
    public static readonly string[] ExperimentFiles = [".yaml", ".yml", ".json"];

    /// <summary>Folders, and files with one of <paramref name="extensions"/> (any file when none are given).</summary>
    public static Func<CompletionContext, IEnumerable<string>> Files(params string[] extensions) =>
        context => Complete(context.WordToComplete, includeFiles: true, extensions);

    public static Func<CompletionContext, IEnumerable<string>> Folders() =>
        context => Complete(context.WordToComplete, includeFiles: false, []);

    public static IReadOnlyList<string> Complete(string word, bool includeFiles, IReadOnlyCollection<string> extensions)
    {
        var slash = word.LastIndexOf('/');
        var typedFolder = slash >= 0 ? word[..(slash + 1)] : "";
        var prefix = word[(slash + 1)..];
        var folder = typedFolder.Length == 0 ? "." : ExpandHome(typedFolder);
        List<FileSystemInfo> entries;
        try
        {
            entries = [.. new DirectoryInfo(folder).EnumerateFileSystemInfos()];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // A folder that does not exist (yet) or cannot be read has nothing to offer; completion must never fail.
            return [];
        }
        var names = new List<string>();
        foreach (var entry in entries.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (!entry.Name.StartsWith(prefix, StringComparison.Ordinal)) continue;
            // Hidden entries only when asked for, as shells do.
            if (entry.Name.StartsWith('.') && !prefix.StartsWith('.')) continue;
            if (entry is DirectoryInfo) names.Add(typedFolder + entry.Name + "/");
            else if (includeFiles && (extensions.Count == 0 || extensions.Contains(entry.Extension, StringComparer.OrdinalIgnoreCase))) names.Add(typedFolder + entry.Name);
        }
        return names;
    }

    private static string ExpandHome(string folder) =>
        folder.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), folder[2..])
            : folder;
}
