namespace ExperimentRunner.Core.Problems;

public enum Severity
{
    Error,
    Warning,
}

/// <summary>Where a value came from: a file and line, or a command-line override.</summary>
public sealed record SourceMark(string Source, int Line = 0, int Column = 0)
{
    public static readonly SourceMark None = new("");

    public override string ToString() =>
        Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}

/// <summary>One thing wrong (or dubious) with an experiment file: enough to find and fix it.</summary>
public sealed record Problem(Severity Severity, SourceMark Mark, string Path, string Message)
{
    public override string ToString()
    {
        var where = Mark.ToString();
        var prefix = Severity == Severity.Warning ? "warning: " : "error: ";
        var key = string.IsNullOrEmpty(Path) ? "" : $"{Path}: ";
        return string.IsNullOrEmpty(where) ? $"{prefix}{key}{Message}" : $"{where}: {prefix}{key}{Message}";
    }
}

/// <summary>Collects every problem of a file so they are reported together, not one per run.</summary>
public sealed class ProblemBag
{
    private readonly List<Problem> _items = [];

    public IReadOnlyList<Problem> Items => _items;
    public IEnumerable<Problem> Errors => _items.Where(p => p.Severity == Severity.Error);
    public IEnumerable<Problem> Warnings => _items.Where(p => p.Severity == Severity.Warning);
    public bool HasErrors => _items.Any(p => p.Severity == Severity.Error);

    public void Error(SourceMark mark, string path, string message) =>
        _items.Add(new Problem(Severity.Error, mark, path, message));

    public void Warn(SourceMark mark, string path, string message) =>
        _items.Add(new Problem(Severity.Warning, mark, path, message));

    public void AddRange(IEnumerable<Problem> problems) => _items.AddRange(problems);
}

/// <summary>Thrown when a file cannot be turned into trials; carries every problem found.</summary>
public sealed class ConfigException(IReadOnlyList<Problem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<Problem> Problems { get; } = problems;
}
