using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Data;

public enum MissingPolicy
{
    Error,
    Drop,
    /// <summary>Missing feature cells become NaN here and the training split's column mean later (<see cref="Preprocessing"/>).</summary>
    Mean,
}

/// <summary>The settings of a <c>csv</c> dataset, resolved: paths against the experiment file's folder, words to values.</summary>
public sealed record CsvDatasetOptions
{
    /// <summary>The path as written in the experiment file (messages show this).</summary>
    public required string Source { get; init; }
    public required string FullPath { get; init; }
    public required string Target { get; init; }
    public bool? Header { get; init; }
    public char? Separator { get; init; }
    public TaskKind? Task { get; init; }
    public IReadOnlyList<string>? Features { get; init; }
    public IReadOnlyList<string> Categorical { get; init; } = [];
    public MissingPolicy Missing { get; init; } = MissingPolicy.Error;
    /// <summary>A validation or test file: the training file's classes, in its order; a class outside them is an error.</summary>
    public IReadOnlyList<string>? KnownClasses { get; init; }
    /// <summary>The training file, named when a class of this file is not among <see cref="KnownClasses"/>.</summary>
    public string? KnownClassesSource { get; init; }

    /// <summary>Text targets are classes; numbers are classes when all are integers with at most this many distinct values.</summary>
    public const int MaxAutoClasses = 20;

    public static CsvDatasetOptions From(CsvSettings spec, string baseDirectory) => new()
    {
        Source = spec.Path,
        FullPath = DataPaths.Resolve(baseDirectory, spec.Path),
        Target = spec.Target.Trim(),
        Header = spec.Header switch { "true" => true, "false" => false, _ => null },
        Separator = spec.Delimiter switch { "comma" => ',', "semicolon" => ';', "tab" => '\t', "pipe" => '|', _ => null },
        Task = spec.Task switch { "classification" => TaskKind.Classification, "regression" => TaskKind.Regression, _ => null },
        Features = spec.Features,
        Categorical = spec.Categorical,
        Missing = spec.Missing switch { "drop" => MissingPolicy.Drop, "mean" => MissingPolicy.Mean, _ => MissingPolicy.Error },
    };
}

public static class DataPaths
{
    /// <summary>A path as the experiment file means it: relative paths start at the file's folder.</summary>
    public static string Resolve(string baseDirectory, string path) =>
        Path.GetFullPath(Path.IsPathRooted(path) || baseDirectory.Length == 0 ? path : Path.Combine(baseDirectory, path));
}

/// <summary>
/// The <c>csv</c> dataset: a table turned into numbers. Numeric feature columns are used as they are, declared
/// categorical columns become one 0/1 column per category of the file (sorted), the target becomes class indices
/// (labels sorted, numerically when they are numbers; the names go to run.json) or regression values. Which
/// categories are kept, missing-value means and standardizing are fitted after the split on the training rows
/// only (<see cref="Preparation.DataPreparation"/>).
/// </summary>
public sealed class CsvDataset : IDatasetProvider
{
    public static CsvDataset Instance { get; } = new();

    private CsvDataset()
    {
    }

    public DataSet Load(DatasetSettings spec, long seed, string baseDirectory) => Load(CsvDatasetOptions.From(spec.Csv!, baseDirectory));

    public SeparateSplits LoadSeparate(DatasetSettings spec, DataSet main, string baseDirectory)
    {
        var csv = spec.Csv!;
        DataSet? Read(string? path)
        {
            if (path is null) return null;
            var options = CsvDatasetOptions.From(csv with { Path = path }, baseDirectory) with
            {
                Task = main.Task,
                KnownClasses = main.Task == TaskKind.Classification ? main.ClassNames : null,
                KnownClassesSource = csv.Path,
            };
            var data = Load(options);
            var names = data.Columns!.Select(c => c.Source).ToList();
            var expected = main.Columns!.Select(c => c.Source).ToList();
            if (!names.SequenceEqual(expected))
                throw new DatasetFileException($"{path}: its input columns are {string.Join(", ", names)} but {csv.Path} has {string.Join(", ", expected)}; validation and test files need the training file's columns");
            return data;
        }
        return new SeparateSplits(Read(csv.ValidationPath), Read(csv.TestPath));
    }

    public static DataSet Load(CsvDatasetOptions options)
    {
        var table = CsvDatasetReader.Read(options.Source, options.FullPath, options.Separator, options.Header);
        return Encode(table, options);
    }

    public static DataSet Encode(CsvTable table, CsvDatasetOptions options)
    {
        var source = table.Source;
        var columns = table.Columns;
        if (table.Records.Count == 0)
            throw new DatasetFileException($"{source}: only a header line, no data rows");
        foreach (var record in table.Records)
        {
            if (record.Cells.Length != columns)
                throw new DatasetFileException($"{source}: row {record.Line} has {record.Cells.Length} values but {(table.Header is null ? $"row {table.Records[0].Line} has" : "the header names")} {columns}; every row needs one value per column");
        }

        var target = Column(table, options.Target, "target column");
        var features = options.Features is { } listed
            ? listed.Select(f => Column(table, f, "feature column")).ToList()
            : Enumerable.Range(0, columns).Where(c => c != target).ToList();
        if (features.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new DatasetFileException($"{source}: features name {table.ColumnText(twice.Key)} twice ({string.Join(" and ", options.Features!.Where(f => Column(table, f, "feature column") == twice.Key).Select(f => $"'{f}'"))})");
        if (features.Contains(target))
            throw new DatasetFileException($"{source}: {table.ColumnText(target)} is the target and cannot also be a feature");
        if (features.Count == 0)
            throw new DatasetFileException($"{source}: no feature columns: the file has only the target column");
        var categorical = new HashSet<int>();
        foreach (var name in options.Categorical)
        {
            var c = Column(table, name, "categorical column");
            if (c == target) throw new DatasetFileException($"{source}: categorical lists the target, {table.ColumnText(c)}; text targets are classes already");
            if (!features.Contains(c)) throw new DatasetFileException($"{source}: categorical {table.ColumnText(c)} is not among the features");
            categorical.Add(c);
        }

        // Missing values: an error naming the first one (left to right), or rows dropped, or NaN cells filled after the split.
        var used = features.Append(target).Order().ToList();
        var rows = new List<CsvRecord>();
        foreach (var record in table.Records)
        {
            var gap = used.FirstOrDefault(c => CsvDatasetReader.IsMissing(record.Cells[c]), -1);
            if (gap < 0)
            {
                rows.Add(record);
                continue;
            }
            if (options.Missing == MissingPolicy.Drop) continue;
            var what = record.Cells[gap].Length == 0 ? "an empty cell" : $"missing value '{record.Cells[gap]}'";
            if (options.Missing == MissingPolicy.Error && gap == target)
                throw new DatasetFileException($"{source}: row {record.Line}, {table.ColumnText(gap)}: the target is missing ({what}); a target cannot be filled in: set missing: drop (skip such rows) or fix the file");
            if (options.Missing == MissingPolicy.Error)
                throw new DatasetFileException($"{source}: row {record.Line}, {table.ColumnText(gap)}: {what}; set missing: drop (skip such rows) or missing: mean (fill features with the training mean), or fix the file");
            if (CsvDatasetReader.IsMissing(record.Cells[target]))
                throw new DatasetFileException($"{source}: row {record.Line}, {table.ColumnText(target)}: the target is missing ({what}); a target cannot be filled in: set missing: drop or fix the file");
            rows.Add(record);
        }
        if (rows.Count == 0)
            throw new DatasetFileException($"{source}: no rows left: every row has a missing value in the columns used");

        var (task, labels, values, classNames) = Target(table, rows, target, options);
        var (features32, width, inputColumns) = Features(table, rows, features, categorical);
        return new DataSet
        {
            Features = features32,
            Rows = rows.Count,
            Shape = [width],
            Task = task,
            Classes = classNames?.Count ?? 0,
            Labels = labels,
            Values = values,
            Outputs = task == TaskKind.Regression ? 1 : 0,
            ClassNames = classNames,
            Columns = inputColumns,
            Table = new TableLayout(columns, table.Header is { } h ? h[target] : target.ToString(CultureInfo.InvariantCulture), table.Header is not null),
        };
    }

    /// <summary>A column by header name (exact, then ignoring case) or by index from 0 (negative from the end).</summary>
    private static int Column(CsvTable table, string column, string role)
    {
        var source = table.Source;
        var count = table.Columns;
        if (table.Header is { } header)
        {
            // Exact matches first, then matches ignoring case; two columns of that name is ambiguous, not the first of them.
            foreach (var comparison in new[] { StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase })
            {
                var hits = Enumerable.Range(0, count).Where(i => string.Equals(header[i], column, comparison)).ToList();
                if (hits.Count == 1) return hits[0];
                if (hits.Count > 1)
                    throw new DatasetFileException($"{source}: {role} '{column}' is ambiguous: the header names {string.Join(" and ", hits.Select(table.ColumnText))}; rename one of them or refer to the column by index (0 is the first)");
            }
        }
        if (int.TryParse(column, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
        {
            var resolved = index < 0 ? count + index : index;
            if (resolved < 0 || resolved >= count)
                throw new DatasetFileException($"{source}: {role} {index} does not exist: the file has {count} columns (0 to {count - 1}, or -{count} to -1 from the end)");
            return resolved;
        }
        if (table.Header is { } names)
            throw new DatasetFileException($"{source}: {role} '{column}' does not exist{Suggest.DidYouMean(column, names)}; the header has: {string.Join(", ", names)}");
        throw new DatasetFileException($"{source}: {role} '{column}' does not exist: the file has no header line, so columns are numbered (0 is the first, -1 the last); set header: true if its first line names the columns");
    }

    private static (TaskKind, long[]?, float[]?, IReadOnlyList<string>?) Target(CsvTable table, List<CsvRecord> rows, int target, CsvDatasetOptions options)
    {
        var source = table.Source;
        var column = table.ColumnText(target);
        var cells = rows.Select(r => r.Cells[target]).ToList();
        var numeric = new double[cells.Count];
        var firstText = -1;
        for (var i = 0; i < cells.Count && firstText < 0; i++)
        {
            if (!CsvDatasetReader.TryNumber(cells[i], out numeric[i])) firstText = i;
        }
        var task = options.Task ?? (firstText >= 0 || FewIntegers(numeric) ? TaskKind.Classification : TaskKind.Regression);
        if (task == TaskKind.Regression)
        {
            if (firstText >= 0)
                throw new DatasetFileException($"{source}: row {rows[firstText].Line}, {column}: '{cells[firstText]}' is not a number; a regression target must be numeric (or set task: classification)");
            return (task, null, numeric.Select(v => (float)v).ToArray(), null);
        }
        // Numeric labels are classes by value, so "1", "1.0" and "01" are one class (named "1"), in numeric order.
        var keys = firstText < 0
            ? numeric.Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToList()
            : cells;
        var names = firstText < 0
            ? numeric.Distinct().Order().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToList()
            : cells.Distinct(StringComparer.Ordinal).OrderBy(c => c, StringComparer.Ordinal).ToList();
        if (options.KnownClasses is { } known)
        {
            // A validation or test file: labels are the training file's class indices; a class it lacks cannot be scored.
            var trained = known.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => (long)x.i, StringComparer.Ordinal);
            var labels = new long[keys.Count];
            for (var i = 0; i < keys.Count; i++)
            {
                if (!trained.TryGetValue(keys[i], out labels[i]))
                    throw new DatasetFileException($"{source}: row {rows[i].Line}, {column}: class '{cells[i]}' does not occur in the training file {options.KnownClassesSource}; its classes are {string.Join(", ", known)}");
            }
            return (task, labels, null, known);
        }
        if (names.Count < 2)
            throw new DatasetFileException($"{source}: the target, {column}, has a single class '{names[0]}'; classification needs at least two{(firstText < 0 ? " (for a numeric target set task: regression)" : "")}");
        var index = names.Select((n, i) => (n, i)).ToDictionary(x => x.n, x => (long)x.i, StringComparer.Ordinal);
        return (task, keys.Select(k => index[k]).ToArray(), null, names);
    }

    private static bool FewIntegers(double[] values) =>
        values.All(v => v == Math.Floor(v)) && values.Distinct().Count() <= CsvDatasetOptions.MaxAutoClasses;

    private static (float[] Features, int Width, IReadOnlyList<InputColumn> Columns) Features(CsvTable table, List<CsvRecord> rows, List<int> features, HashSet<int> categorical)
    {
        var source = table.Source;
        // One-hot vocabularies, sorted so the encoding does not depend on row order.
        var categories = categorical.ToDictionary(c => c, c => rows.Select(r => r.Cells[c]).Where(v => !CsvDatasetReader.IsMissing(v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
        var width = features.Sum(c => categorical.Contains(c) ? categories[c].Count : 1);
        var data = new float[rows.Count * width];
        for (var r = 0; r < rows.Count; r++)
        {
            var k = r * width;
            foreach (var c in features)
            {
                var cell = rows[r].Cells[c];
                if (categorical.Contains(c))
                {
                    var vocabulary = categories[c];
                    var hit = CsvDatasetReader.IsMissing(cell) ? -1 : vocabulary.IndexOf(cell);
                    for (var j = 0; j < vocabulary.Count; j++)
                        data[k + j] = hit < 0 ? float.NaN : j == hit ? 1f : 0f;
                    k += vocabulary.Count;
                }
                else
                {
                    if (CsvDatasetReader.IsMissing(cell)) data[k] = float.NaN;
                    else if (CsvDatasetReader.TryNumber(cell, out var v)) data[k] = (float)v;
                    else throw new DatasetFileException($"{source}: row {rows[r].Line}, {table.ColumnText(c)}: '{cell}' is not a number; declare the column in categorical or fix the file");
                    k++;
                }
            }
        }
        var offset = 0;
        var inputColumns = new List<InputColumn>();
        foreach (var c in features)
        {
            var levels = categorical.Contains(c) ? categories[c] : null;
            inputColumns.Add(new InputColumn(table.Header is { } h ? h[c] : c.ToString(CultureInfo.InvariantCulture), offset, levels));
            offset += levels?.Count ?? 1;
        }
        return (data, width, inputColumns);
    }
}
