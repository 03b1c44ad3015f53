using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Data.Preparation;

/// <summary>
/// Rows a trial never saw, as its network's inputs. <see cref="Lines"/> says where each came from (a csv's file
/// line, an idx item number); <see cref="Labels"/> and <see cref="Values"/> hold the targets where the input has
/// them (label -1 and NaN where a row's target is missing), so predictions can be scored.
/// </summary>
public sealed record NewRows(DataSet Inputs, IReadOnlyList<int> Lines, long[]? Labels, float[]? Values, int UnseenCategoryRows);

/// <summary>
/// Reads new rows exactly as a trial read its own: the columns it was trained on (by name when its file had a header,
/// by position otherwise), its categories, fill means and standardization (the <see cref="FittedPreprocessing"/>
/// recorded in run.json); a bad cell is an error naming row and column as in training.
/// </summary>
public static class NewRowsReader
{
    public static NewRows FromCsv(string source, string fullPath, CsvSettings csv, FittedPreprocessing fitted)
    {
        var layout = fitted.Table ?? throw new DatasetFileException($"{source}: the trial was not trained on a table, so it takes no csv rows");
        var columns = fitted.Columns!;
        var separator = csv.Delimiter switch { "comma" => ',', "semicolon" => ';', "tab" => '\t', "pipe" => '|', _ => (char?)null };
        var table = CsvDatasetReader.Read(source, fullPath, separator, layout.Header);
        if (table.Records.Count == 0) throw new DatasetFileException($"{source}: only a header line, no data rows");
        if (!layout.Header && table.Columns != layout.Columns)
            throw new DatasetFileException($"{source}: has {table.Columns} columns but the trial's training file had {layout.Columns}; a file without a header needs the training file's columns, the target included (its cells may be empty)");
        var index = columns.Select(c => Find(table, c.Source) ?? throw Missing(table, c.Source, columns)).ToList();
        var target = layout.Header ? Find(table, layout.Target) : int.Parse(layout.Target, CultureInfo.InvariantCulture);
        var task = fitted.TaskKind;
        var width = columns.Sum(c => c.Width);
        var features = new float[table.Records.Count * width];
        var labels = target is not null && task == TaskKind.Classification ? new long[table.Records.Count] : null;
        var values = target is not null && task == TaskKind.Regression ? new float[table.Records.Count] : null;
        var unseen = 0;
        for (var r = 0; r < table.Records.Count; r++)
        {
            var record = table.Records[r];
            if (record.Cells.Length != table.Columns)
                throw new DatasetFileException($"{source}: row {record.Line} has {record.Cells.Length} values but {(table.Header is null ? $"row {table.Records[0].Line} has" : "the header names")} {table.Columns}; every row needs one value per column");
            var row = features.AsSpan(r * width, width);
            for (var c = 0; c < columns.Count; c++)
                unseen += Encode(table, record, index[c], columns[c], row.Slice(columns[c].Offset, columns[c].Width), fitted.FillMeans is not null) ? 1 : 0;
            if (target is { } t) ReadTarget(table, record, t, fitted, r, labels, values);
        }
        var inputs = new DataSet
        {
            Features = features,
            Rows = table.Records.Count,
            Shape = [width],
            Task = task,
            Classes = task == TaskKind.Classification ? fitted.Outputs : 0,
            Outputs = task == TaskKind.Regression ? fitted.Outputs : 0,
            ClassNames = fitted.ClassNames,
            Columns = columns,
        };
        return new NewRows(fitted.Apply(inputs, out _), table.Records.Select(x => x.Line).ToList(), labels, values, unseen);
    }

    public static NewRows FromIdx(string imagesSource, string imagesPath, string? labelsSource, string? labelsPath, FittedPreprocessing fitted)
    {
        var x = IdxReader.Read(imagesSource, imagesPath);
        var shape = IdxDataset.ItemShape(imagesSource, x);
        if (!shape.SequenceEqual(fitted.InputShape))
            throw new DatasetFileException($"{imagesSource}: items are [{string.Join(", ", shape)}] but the trial was trained on [{string.Join(", ", fitted.InputShape)}]");
        long[]? labels = null;
        if (labelsSource is not null && labelsPath is not null)
        {
            var y = IdxReader.Read(labelsSource, labelsPath);
            if (y.Dims.Length != 1 || y.Count != x.Count)
                throw new DatasetFileException($"{labelsSource} has {y.Count} labels but {imagesSource} has {x.Count} images; they must match one to one");
            labels = new long[y.Count];
            for (var i = 0; i < y.Count; i++)
            {
                var v = y.Values[i];
                if (v < 0 || v != Math.Floor(v) || v >= fitted.Outputs)
                    throw new DatasetFileException($"{labelsSource}: label {i + 1} is {v.ToString(CultureInfo.InvariantCulture)}; the trial's classes are 0 to {fitted.Outputs - 1}");
                labels[i] = (long)v;
            }
        }
        var inputs = new DataSet
        {
            Features = IdxDataset.Scale(x),
            Rows = x.Count,
            Shape = shape,
            Task = TaskKind.Classification,
            Classes = fitted.Outputs,
            ClassNames = fitted.ClassNames,
        };
        return new NewRows(fitted.Apply(inputs, out _), Enumerable.Range(1, x.Count).ToList(), labels, null, 0);
    }

    /// <summary>A column by header name (exact, then ignoring case) or, in a file without a header, by index.</summary>
    private static int? Find(CsvTable table, string source)
    {
        if (table.Header is { } header)
        {
            foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
            {
                var hits = Enumerable.Range(0, header.Count).Where(i => string.Equals(header[i], source, comparison)).ToList();
                if (hits.Count == 1) return hits[0];
            }
            return null;
        }
        return int.TryParse(source, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < table.Columns ? i : null;
    }

    private static DatasetFileException Missing(CsvTable table, string source, IReadOnlyList<InputColumn> columns) =>
        new($"{table.Source}: has no column '{source}'; the trial was trained on the columns {string.Join(", ", columns.Select(c => c.Source))}");

    /// <returns>The cell holds a category no training row had (encoded as all zeros).</returns>
    private static bool Encode(CsvTable table, CsvRecord record, int column, InputColumn fitted, Span<float> into, bool fillable)
    {
        var cell = record.Cells[column];
        if (CsvDatasetReader.IsMissing(cell))
        {
            if (!fillable)
                throw new DatasetFileException($"{table.Source}: row {record.Line}, {table.ColumnText(column)}: {(cell.Length == 0 ? "an empty cell" : $"missing value '{cell}'")}; the trial fills no missing inputs (its dataset did not say missing: mean), so every input needs a value");
            into.Fill(float.NaN);
            return false;
        }
        if (fitted.Levels is { } levels)
        {
            into.Clear();
            var hit = -1;
            for (var j = 0; j < levels.Count; j++)
            {
                if (string.Equals(levels[j], cell, StringComparison.Ordinal)) hit = j;
            }
            if (hit >= 0) into[hit] = 1f;
            return hit < 0;
        }
        if (!CsvDatasetReader.TryNumber(cell, out var v))
            throw new DatasetFileException($"{table.Source}: row {record.Line}, {table.ColumnText(column)}: '{cell}' is not a number; the trial read this column as numbers");
        into[0] = (float)v;
        return false;
    }

    private static void ReadTarget(CsvTable table, CsvRecord record, int column, FittedPreprocessing fitted, int row, long[]? labels, float[]? values)
    {
        var cell = record.Cells[column];
        var missing = CsvDatasetReader.IsMissing(cell);
        if (values is not null)
        {
            if (missing) values[row] = float.NaN;
            else if (CsvDatasetReader.TryNumber(cell, out var v)) values[row] = (float)v;
            else throw new DatasetFileException($"{table.Source}: row {record.Line}, {table.ColumnText(column)}: '{cell}' is not a number; the trial's target is a value");
            return;
        }
        if (labels is null) return;
        if (missing)
        {
            labels[row] = -1;
            return;
        }
        // Numeric class labels are named by value, as in training ("1.0" is class "1").
        var key = CsvDatasetReader.TryNumber(cell, out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : cell;
        var names = fitted.ClassNames!;
        var index = names.ToList().FindIndex(n => string.Equals(n, key, StringComparison.Ordinal));
        if (index < 0) index = names.ToList().FindIndex(n => string.Equals(n, cell, StringComparison.Ordinal));
        if (index < 0)
            throw new DatasetFileException($"{table.Source}: row {record.Line}, {table.ColumnText(column)}: class '{cell}' is not one of the trial's classes {string.Join(", ", names)}");
        labels[row] = index;
    }
}
