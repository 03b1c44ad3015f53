using System.Globalization;
using CsvHelper;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Data;

/// <summary>One record of a CSV file: its cells (trimmed) and the line of the file it starts on (1-based).</summary>
public sealed record CsvRecord(int Line, string[] Cells);

/// <summary>A CSV file as text cells: the header (if the file has one) and every record with its line number.</summary>
public sealed record CsvTable(string Source, IReadOnlyList<string>? Header, IReadOnlyList<CsvRecord> Records, char Separator)
{
    public int Columns => Header?.Count ?? (Records.Count > 0 ? Records[0].Cells.Length : 0);

    /// <summary>"column 7" or "column 7 'age'": 1-based like an editor, with the header name when there is one.</summary>
    public string ColumnText(int index) =>
        Header is { } h && index < h.Count ? $"column {index + 1} '{h[index]}'" : $"column {index + 1}";
}

/// <summary>
/// Reads a CSV file with CsvHelper: separator detected (comma, semicolon, tab, pipe) unless given, quotes per
/// RFC 4180, cells trimmed, empty lines skipped, a missing final newline fine. Whether the first line is a
/// header is decided here when asked to (<see cref="LooksLikeHeader"/>).
/// </summary>
public static class CsvDatasetReader
{
    /// <summary>Cell values that mean "no value".</summary>
    public static readonly IReadOnlySet<string> MissingTokens = new HashSet<string>(StringComparer.Ordinal) { "", "?", "NA", "N/A", "NaN" };

    public static bool IsMissing(string cell) => MissingTokens.Contains(cell);

    public static bool TryNumber(string cell, out double value) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    /// <param name="source">The path as the experiment file wrote it (for messages).</param>
    /// <param name="fullPath">Where the file is.</param>
    /// <param name="separator">null: detect.</param>
    /// <param name="header">null: detect.</param>
    public static CsvTable Read(string source, string fullPath, char? separator, bool? header)
    {
        if (Directory.Exists(fullPath)) throw new DatasetFileException($"{source}: is a folder, not a CSV file ({fullPath})");
        if (!File.Exists(fullPath)) throw new DatasetFileException($"{source}: file not found ({fullPath})");
        // A named pipe or a device (/dev/zero) passes File.Exists; reading it would wait or never end (predict's input, a path checked before it changed).
        if (FileKinds.Of(fullPath) is var kind and not (FileKind.Regular or FileKind.Unknown))
            throw new DatasetFileException($"{source}: is {FileKinds.Describe(kind)}, not a CSV file ({fullPath})");
        var options = new CsvReaderOptions
        {
            Separator = separator,
            HasHeader = false,
            TrackLineNumbers = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            FormatProvider = CultureInfo.InvariantCulture,
        };
        var records = new List<CsvRecord>();
        char used;
        try
        {
            using var text = new StreamReader(fullPath, detectEncodingFromByteOrderMarks: true);
            using var csv = CsvReader.Create(text, options, false);
            while (csv.Read())
            {
                var cells = new string[csv.FieldCount];
                for (var i = 0; i < cells.Length; i++) cells[i] = csv.GetString(i);
                // A line of blanks only is an empty line too.
                if (cells.Length == 1 && cells[0].Length == 0) continue;
                records.Add(new CsvRecord(checked((int)csv.LineNumber), cells));
            }
            used = records.Count > 0 ? csv.Separator : separator ?? ',';
        }
        catch (Exception ex) when (ex is CsvFormatException or IOException or UnauthorizedAccessException)
        {
            throw new DatasetFileException($"{source}: cannot read: {ex.Message}", ex);
        }
        if (records.Count == 0) throw new DatasetFileException($"{source}: the file has no rows");
        var hasHeader = header ?? LooksLikeHeader(records);
        return hasHeader
            ? new CsvTable(source, records[0].Cells, records.Skip(1).ToList(), used)
            : new CsvTable(source, null, records, used);
    }

    /// <summary>
    /// The first record is a header when it holds no number and no missing cell, and either some column holds
    /// numbers below it, or (an all-text table) none of its values appears again in its column.
    /// </summary>
    public static bool LooksLikeHeader(IReadOnlyList<CsvRecord> records)
    {
        var first = records[0].Cells;
        if (first.Any(c => IsMissing(c) || TryNumber(c, out _))) return false;
        var sample = records.Skip(1).Take(100).Select(r => r.Cells).ToList();
        if (sample.Count == 0) return true;
        for (var j = 0; j < first.Length; j++)
        {
            var column = sample.Where(r => j < r.Length && !IsMissing(r[j])).Select(r => r[j]).ToList();
            if (column.Count > 0 && column.All(c => TryNumber(c, out _))) return true;
        }
        return first.Select((value, j) => sample.All(r => j >= r.Length || r[j] != value)).All(unique => unique);
    }
}
