using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>Separate idx validation and test files come as image and label pairs.</summary>
public sealed class SeparateFilesPaired : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["dataset"];

    public void Check(RuleContext c)
    {
        if (c.Spec.Dataset.Idx is not { } idx) return;
        Pair(c, "validation", idx.ValidationImages, idx.ValidationLabels);
        Pair(c, "test", idx.TestImages, idx.TestLabels);
    }

    private static void Pair(RuleContext c, string split, string? images, string? labels)
    {
        if (images is not null && labels is null)
            c.Error($"dataset.{split}_images", $"is given without dataset.{split}_labels; the {split} split needs both files");
        else if (images is null && labels is not null)
            c.Error($"dataset.{split}_labels", $"is given without dataset.{split}_images; the {split} split needs both files");
    }
}

/// <summary>
/// Validation and test files agree with the main file where that can be seen without reading their rows: an idx
/// file's header (item shape, image and label counts), a csv file's first line (how many columns, and their names
/// when the main file has a header).
/// </summary>
public sealed class SeparateFilesAgree : IChecksDataFiles
{
    public IReadOnlyList<string> Reads { get; } = ["dataset"];

    public void Check(RuleContext c)
    {
        var d = c.Spec.Dataset;
        if (!d.SeparateValidation && !d.SeparateTest) return;
        // Only regular, non-empty files are opened: DataFilesExist reports the others, and a named pipe or a device
        // such as /dev/zero would make this read wait or never end.
        string? Full(string path) => DataFilesExist.Problem(path, c.Spec.BaseDirectory) is null ? DataPaths.Resolve(c.Spec.BaseDirectory, path) : null;
        if (d.Idx is { } idx) CheckIdx(c, idx, Full);
        if (d.Csv is { } csv) CheckCsv(c, csv, Full);
    }

    private static void CheckIdx(RuleContext c, Settings.IdxSettings idx, Func<string, string?> full)
    {
        var pairs = new[] { ("", idx.Images, idx.Labels), ("validation_", idx.ValidationImages, idx.ValidationLabels), ("test_", idx.TestImages, idx.TestLabels) };
        int[]? itemShape = null;
        foreach (var (prefix, images, labels) in pairs)
        {
            if (images is null || labels is null || full(images) is not { } imagesFull || full(labels) is not { } labelsFull) continue;
            try
            {
                var (imageDims, _) = IdxReader.ReadHeader(images, imagesFull);
                var (labelDims, _) = IdxReader.ReadHeader(labels, labelsFull);
                if (imageDims[0] != labelDims[0])
                    c.Error($"dataset.{prefix}labels", $"'{labels}' has {labelDims[0]} labels but '{images}' has {imageDims[0]} images; they must match one to one");
                var shape = imageDims[1..];
                if (itemShape is null) itemShape = shape;
                else if (!shape.SequenceEqual(itemShape))
                    c.Error($"dataset.{prefix}images", $"'{images}' holds items of [{string.Join(", ", shape)}] but '{idx.Images}' holds [{string.Join(", ", itemShape)}]; every split needs the same image shape");
            }
            catch (DatasetFileException ex)
            {
                c.Error($"dataset.{prefix}images", ex.Message);
            }
        }
    }

    private static void CheckCsv(RuleContext c, Settings.CsvSettings csv, Func<string, string?> full)
    {
        if (full(csv.Path) is not { } mainFull || FirstLines(mainFull) is not [var mainLine, ..] mainLines) return;
        var separator = csv.Delimiter switch { "comma" => ',', "semicolon" => ';', "tab" => '\t', "pipe" => '|', _ => Detect(mainLine) };
        string[] Cells(string line) => line.Split(separator).Select(v => v.Trim()).ToArray();
        var main = Cells(mainLine);
        var header = csv.Header == "true" || csv.Header == "auto" && mainLines.Count > 1 && CsvDatasetReader.LooksLikeHeader([new CsvRecord(1, main), new CsvRecord(2, Cells(mainLines[1]))]);
        foreach (var (key, path) in new[] { ("validation_path", csv.ValidationPath), ("test_path", csv.TestPath) })
        {
            if (path is null || full(path) is not { } pathFull || FirstLines(pathFull) is not [var line, ..]) continue;
            var cells = Cells(line);
            if (cells.Length != main.Length)
                c.Error($"dataset.{key}", $"'{path}' has {cells.Length} columns but '{csv.Path}' has {main.Length}; validation and test files need the training file's columns");
            else if (header && !cells.SequenceEqual(main))
                c.Error($"dataset.{key}", $"'{path}' names its columns {string.Join(", ", cells)} but '{csv.Path}' names them {string.Join(", ", main)}; validation and test files need the training file's columns");
        }
    }

    /// <summary>The first two non-empty lines (a header and a row), or fewer; null when the file cannot be read.</summary>
    private static List<string>? FirstLines(string path)
    {
        try
        {
            return File.ReadLines(path).Where(l => l.Trim().Length > 0).Take(2).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static char Detect(string line) =>
        new[] { ',', ';', '\t', '|' }.OrderByDescending(s => line.Count(ch => ch == s)).First();
}
