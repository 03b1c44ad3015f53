using ExperimentRunner.Tests.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>
/// A temporary copy of the repository's layout for mutants to live in: <c>configs/</c> (the mutants), <c>data/uci/</c>
/// (so the shipped relative data paths resolve), a named pipe and <c>tmp/</c> (scratch space of smoke runs). Every
/// file in it is listed before and after each run, so a run that writes anything is caught.
/// </summary>
public sealed class FuzzScene : IDisposable
{
    private readonly TempDir _root = new();

    public FuzzScene()
    {
        Directory.CreateDirectory(MutantFolder);
        Directory.CreateDirectory(TempFolder);
        var data = Path.Combine(_root.Path, "data", "uci");
        Directory.CreateDirectory(data);
        foreach (var csv in Directory.EnumerateFiles(Path.Combine(UciDatasets.RepositoryRoot(), "data", "uci"), "*.csv"))
            File.Copy(csv, Path.Combine(data, Path.GetFileName(csv)));
        var pipe = Path.Combine(_root.Path, "pipe.csv");
        Fifo = Fifos.TryMake(pipe) ? pipe : null;
    }

    public string Root => _root.Path;

    public string MutantFolder => Path.Combine(_root.Path, "configs");

    public string TempFolder => Path.Combine(_root.Path, "tmp");

    /// <summary>A named pipe nobody writes to (null where mkfifo is missing): reading it would wait forever.</summary>
    public string? Fifo { get; }

    /// <summary>The shipped single-trial configs and sweeps, the seeds of every mutant.</summary>
    public static IReadOnlyList<(string Name, string Text)> ShippedFiles()
    {
        var root = UciDatasets.RepositoryRoot();
        return new[] { "configs", "experiments" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.yaml").Order(StringComparer.Ordinal))
            .Select(path => (Path.GetFileName(path), File.ReadAllText(path)))
            .ToList();
    }

    public string Write(Mutant mutant)
    {
        var path = Path.Combine(MutantFolder, mutant.FileName);
        File.WriteAllBytes(path, mutant.Content);
        return path;
    }

    /// <summary>Every file and folder under the scene (the pipe excluded: listing it is safe, reading it is not), with sizes.</summary>
    public IReadOnlySet<string> Snapshot() =>
        Directory.EnumerateFileSystemEntries(_root.Path, "*", SearchOption.AllDirectories)
            .Select(p => File.Exists(p) && p != Fifo ? $"{p} {new FileInfo(p).Length}" : p)
            .ToHashSet(StringComparer.Ordinal);

    public void Dispose() => _root.Dispose();
}
