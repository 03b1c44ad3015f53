using System.Text;

namespace ExperimentRunner.Core.IO;

/// <summary>
/// Writes go to a temporary file in the same folder and are renamed over the target, so a reader (or a
/// resumed run after a SIGKILL) sees the old file or the new one, never half of one. A write that fails (disk full,
/// permission denied) leaves the old file as it was and throws <see cref="FileWriteException"/> naming the target.
/// </summary>
public static class AtomicFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);
    internal const string TempSuffix = ".exprun-tmp";

    /// <summary>Removes temporary files a killed writer left in <paramref name="folder"/> and below (call with the folder locked).</summary>
    public static void RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, "*" + TempSuffix, SearchOption.AllDirectories)) File.Delete(file);
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, tmp => File.WriteAllText(tmp, text, Utf8NoBom));

    public static void Write(string path, Action<string> writeTemp)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            Directory.CreateDirectory(dir);
            WriteFaults.ThrowIfInjected(path);
            writeTemp(tmp);
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not FileWriteException)
        {
            throw new FileWriteException(path, IoCause.Of(ex), ex);
        }
        finally
        {
            TryDelete(tmp);
        }
    }

    // A failed write's half file goes; failing to remove it (the disk that failed the write) must not hide why it failed.
    private static void TryDelete(string tmp)
    {
        try
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
