using System.Globalization;
using CsvHelper;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// The CSV rules analysts rely on: UTF-8, comma, header row, invariant culture, round-trip numbers,
/// empty cell for a missing (or non-finite) value, ISO 8601 UTC times.
/// </summary>
public static class CsvText
{
    private static readonly CsvWriterOptions WriterOptions = new() { Separator = ',', NewLine = "\n" };
    private static readonly CsvReaderOptions ReaderOptions = new() { Separator = ',', HasHeader = true, FormatProvider = CultureInfo.InvariantCulture, TrackLineNumbers = true };

    public static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    public static string Time(DateTimeOffset? value) =>
        value?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    public static string Write(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        using (var csv = CsvWriter.Create(text, WriterOptions, true))
        {
            csv.WriteRecord([.. header]);
            foreach (var row in rows)
            {
                if (row.Count != header.Count) throw new InvalidOperationException($"row has {row.Count} cells, header {header.Count}");
                csv.WriteRecord([.. row]);
            }
        }
        return text.ToString();
    }

    /// <summary>Reads a CSV written by <see cref="Write"/>: header and rows as text cells.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) Read(string path)
    {
        var (header, rows) = ReadNumbered(path);
        return (header, rows.Select(r => r.Cells).ToList());
    }

    /// <summary>A row with the line of the file it starts on (counted from 1, the header being line 1), for messages.</summary>
    public sealed record NumberedRow(int Line, IReadOnlyList<string> Cells);

    /// <summary>As <see cref="Read"/>, with each row's line number (blank lines are skipped, and still counted).</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<NumberedRow> Rows) ReadNumbered(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = CsvReader.Create(reader, ReaderOptions, false);
        var rows = new List<NumberedRow>();
        // With HasHeader the first Read() consumes the header row and stops on the first record.
        while (csv.Read())
            rows.Add(new NumberedRow((int)csv.LineNumber, Enumerable.Range(0, csv.FieldCount).Select(csv.GetString).ToList()));
        return (csv.Headers?.ToList() ?? [], rows);
    }

    public static double? ParseNumber(string cell) =>
        double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
