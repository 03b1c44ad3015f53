using System.Text;

namespace ExperimentRunner.Core.IO;

/// <summary>
/// Writes go to a temporary file in the same folder and are renamed over the target, so a reader (or a
/// resumed run after a SIGKILL) sees the old file or the new one, never half of one.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, Utf8NoBom));

    public static void Write(string path, Action<string> writeTemp)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            writeTemp(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
