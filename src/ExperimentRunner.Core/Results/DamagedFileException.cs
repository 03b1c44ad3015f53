using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// A result file exprun wrote that no longer reads as written (cut short, a garbled row, another file's contents):
/// the file and what is wrong, row included, so a damaged result is named instead of used.
/// </summary>
public sealed class DamagedFileException(string path, string reason) : Exception($"{path}: damaged: {reason}")
{
    public string FilePath { get; } = path;

    public string Reason { get; } = reason;
}

/// <summary>How a damaged JSON file is described: where the JSON breaks off, or what it lacks.</summary>
public static partial class JsonDamage
{
    public static string Describe(JsonException ex)
    {
        if (MissingFields().Match(ex.Message) is { Success: true } missing) return $"lacks required fields {missing.Groups[1].Value.TrimEnd('.')}";
        if (ex.LineNumber is not { } line) return "not valid JSON (cut short or garbled)";
        var at = $"line {line + 1}, byte {(ex.BytePositionInLine ?? 0) + 1}";
        return ex.Message.Contains("could not be converted", StringComparison.Ordinal)
            ? $"{ex.Path ?? "a field"} holds a value of the wrong type ({at})"
            : $"not valid JSON at {at} (cut short or garbled)";
    }

    [GeneratedRegex("missing required properties including: (.*)$")]
    private static partial Regex MissingFields();
}

/// <summary>
/// Reads a CSV exprun wrote and checks the parts every such file shares: the exact header, and as many cells in each
/// row as the header has. Column checks are the caller's, with <see cref="Cell"/> helpers that name row and column.
/// </summary>
public sealed class CheckedTable
{
    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<CsvText.NumberedRow> Rows { get; }
    private readonly Dictionary<string, int> _columns;

    private CheckedTable(string path, IReadOnlyList<string> header, IReadOnlyList<CsvText.NumberedRow> rows)
    {
        (Path, Header, Rows) = (path, header, rows);
        _columns = header.Select((name, i) => (name, i)).DistinctBy(c => c.name).ToDictionary(c => c.name, c => c.i);
    }

    /// <summary>The table at <paramref name="path"/>, which must have exactly <paramref name="header"/>; throws <see cref="DamagedFileException"/>.</summary>
    public static CheckedTable Read(string path, IReadOnlyList<string> header) =>
        Read(path, actual => actual.SequenceEqual(header) ? null : $"expected '{string.Join(",", header)}'");

    /// <summary>The table at <paramref name="path"/>, whose header <paramref name="headerProblem"/> accepts (null) or says what is expected.</summary>
    public static CheckedTable Read(string path, Func<IReadOnlyList<string>, string?> headerProblem)
    {
        IReadOnlyList<string> header;
        IReadOnlyList<CsvText.NumberedRow> rows;
        try
        {
            (header, rows) = CsvText.ReadNumbered(path);
        }
        catch (Exception ex) when (ex is not (IOException or UnauthorizedAccessException or OutOfMemoryException))
        {
            throw new DamagedFileException(path, $"not readable as CSV: {ex.Message}");
        }
        if (header.Count == 0) throw new DamagedFileException(path, "empty: no header row");
        if (headerProblem(header) is { } expected)
            throw new DamagedFileException(path, $"the header is '{Shorten(string.Join(",", header))}'; {expected}");
        foreach (var row in rows.Where(r => r.Cells.Count != header.Count))
        {
            var hint = row.Cells.Count < header.Count && row == rows[^1] ? " (cut short?)" : "";
            throw new DamagedFileException(path, $"row {row.Line} has {row.Cells.Count} values but the header has {header.Count}{hint}");
        }
        return new CheckedTable(path, header, rows);
    }

    public string Text(CsvText.NumberedRow row, string column)
    {
        var value = row.Cells[Column(column)];
        return value.Length > 0 ? value : throw Damaged(row, column, "is empty");
    }

    /// <summary>A whole number of at least 1 (an epoch).</summary>
    public int Epoch(CsvText.NumberedRow row, string column = "epoch")
    {
        var cell = row.Cells[Column(column)];
        return int.TryParse(cell, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var e) && e >= 1
            ? e
            : throw Damaged(row, column, $"'{Shorten(cell)}' is not an epoch (a whole number from 1)");
    }

    /// <summary>A number; an empty cell is a missing (non-finite) value, as exprun writes it.</summary>
    public double? Number(CsvText.NumberedRow row, string column)
    {
        var cell = row.Cells[Column(column)];
        if (cell.Length == 0) return null;
        return CsvText.ParseNumber(cell) ?? throw Damaged(row, column, $"'{Shorten(cell)}' is not a number");
    }

    public DamagedFileException Damaged(CsvText.NumberedRow row, string why) => new(Path, $"row {row.Line}: {why}");

    private DamagedFileException Damaged(CsvText.NumberedRow row, string column, string why) => Damaged(row, $"column '{column}': {why}");

    public bool HasColumn(string name) => _columns.ContainsKey(name);

    private int Column(string name) => _columns[name];

    /// <summary>A cell or header as a message quotes it: at most 60 characters, control characters (a binary file) as '?'.</summary>
    internal static string Shorten(string text)
    {
        var shown = new string(text.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length <= 60 ? shown : shown[..57] + "...";
    }
}
