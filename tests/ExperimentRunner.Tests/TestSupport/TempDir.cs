using System.Text;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted (with everything in it) on dispose.</summary>
public sealed class TempDir : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(false);

    public TempDir() => Path = Directory.CreateTempSubdirectory("exprun-tests-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to a file in this folder and returns its full path.</summary>
    public string Write(string fileName, string text)
    {
        var path = Combine(fileName);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Utf8NoBom);
        return path;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder must not turn a passing test into a failing one.
        }
    }
}
