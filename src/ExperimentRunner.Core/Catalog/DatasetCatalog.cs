using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Core.Catalog;

public sealed record DatasetEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params) : CatalogEntry(Name, Description, Params)
{
    /// <summary>The task, when the name alone decides it (null: read from the data, e.g. csv).</summary>
    public TaskKind? Task { get; init; }
    /// <summary>Number of classes when fixed by the dataset (moons: 2); otherwise the <c>classes</c> parameter.</summary>
    public int? FixedClasses { get; init; }
    /// <summary>Shape of one example when the settings alone decide it (synthetic sets); null when the file must be read.</summary>
    public Func<Config.Settings.DatasetSettings, int[]>? InputShape { get; init; }
    /// <summary>Makes or reads the examples.</summary>
    public required IDatasetProvider Provider { get; init; }
    /// <summary>Read from files: relative paths in these keys resolve against the experiment file's folder.</summary>
    public IReadOnlyList<string> PathKeys { get; init; } = [];
}

public static class DatasetCatalog
{
    public static readonly double[] DefaultSplit = [0.7, 0.15, 0.15];

    private static ParamSpec[] Common(int samples, double noise) =>
    [
        P.Int("samples", samples, "number of examples generated", min: 8, max: 10_000_000),
        P.Float("noise", noise, "standard deviation of the Gaussian noise added", min: 0),
        P.Floats("split", DefaultSplit, "train, validation and test fractions (sum 1); classes are stratified", min: 0, max: 1, minCount: 3, maxCount: 3),
    ];

    private static ParamSpec[] With(ParamSpec[] common, params ParamSpec[] own) => [.. own, .. common];

    /// <summary>Fractions of the main file for train, validation and test, leaving out the splits given as files of their own.</summary>
    private static ParamSpec FileSplit() =>
        P.Floats("split", null, "fractions of the main file, in the order train, validation, test, leaving out each split given as a file of its own (sum 1; classes are stratified); unset: 0.7/0.15/0.15, or 0.85/0.15 when one of validation and test is a separate file, or [1] when both are", min: 0, max: 1, minCount: 1, maxCount: 3);

    /// <summary>The split of the main file when the experiment does not say (what <see cref="FileSplit"/> describes).</summary>
    public static IReadOnlyList<double> DefaultFileSplit(int separateFiles) => separateFiles switch
    {
        0 => DefaultSplit,
        1 => [0.85, 0.15],
        _ => [1.0],
    };

    public static readonly string[] Headers = ["auto", "true", "false"];
    public static readonly string[] Delimiters = ["auto", "comma", "semicolon", "tab", "pipe"];
    public static readonly string[] Tasks = ["auto", "classification", "regression"];
    public static readonly string[] MissingPolicies = ["error", "drop", "mean"];

    private static ParamSpec[] Csv() =>
    [
        P.Text("path", null, "the CSV file; a relative path resolves against the experiment file's folder", required: true),
        P.Text("target", null, "target column: its header name, or its index from 0 (negative counts from the end: -1 is the last column)", required: true),
        P.Choice("header", "auto", "whether the first line names the columns; auto: yes when it holds no numbers but the rows below do", Headers),
        P.Choice("delimiter", "auto", "field separator; auto detects comma, semicolon, tab or pipe", Delimiters),
        P.Choice("task", "auto", "auto: text labels, or integers with at most 20 distinct values, are classes; other numbers are a regression target", Tasks),
        P.Texts("features", "input columns (names or indices) in this order; unset: every column but the target"),
        P.Texts("categorical", "feature columns (names or indices) holding categories; each becomes one 0/1 column per category"),
        P.Choice("missing", "error", "cells ?, NA, N/A, NaN or empty: error names them; drop skips their rows; mean fills features with the training split's mean", MissingPolicies),
        P.Bool("standardize", true, "z-score every input column with the mean and std of the training split (validation and test use the same numbers)"),
        P.Text("validation_path", null, "a CSV file with the same columns that is the validation split (unset: split it from path)"),
        P.Text("test_path", null, "a CSV file with the same columns that is the test split (unset: split it from path)"),
        FileSplit(),
    ];

    private static ParamSpec[] Idx() =>
    [
        P.Text("images", null, "IDX image file (MNIST format: train-images-idx3-ubyte, optionally .gz); relative to the experiment file", required: true),
        P.Text("labels", null, "IDX label file with one class index per image (train-labels-idx1-ubyte, optionally .gz)", required: true),
        P.Int("limit", null, "use only the first N examples of each file (unset: all)", min: 1),
        P.Bool("standardize", false, "z-score every pixel with the training split's statistics (pixels are already scaled to [0, 1])"),
        P.Text("validation_images", null, "IDX images that are the validation split, with validation_labels (unset: split it from images)"),
        P.Text("validation_labels", null, "IDX labels of validation_images"),
        P.Text("test_images", null, "IDX images that are the test split, e.g. t10k-images-idx3-ubyte.gz, with test_labels (unset: split it from images)"),
        P.Text("test_labels", null, "IDX labels of test_images"),
        FileSplit(),
    ];

    private static int[] Flat(int features) => [features];

    public static Registry<DatasetEntry> Create() => new(CatalogKind.Dataset,
    [
        new("spirals", "interleaved 2-D spiral arms, one per class; needs a non-linear boundary",
            With(Common(1500, 0.2), P.Int("classes", 3, "number of spiral arms", min: 2, max: 100), P.Float("turns", 1.0, "revolutions of each arm", min: 0.1, max: 10)))
            { Provider = SyntheticDatasets.SpiralArms, Task = TaskKind.Classification, InputShape = _ => Flat(2) },
        new("moons", "two interleaving half circles (2 classes)", Common(1000, 0.15))
            { Provider = SyntheticDatasets.HalfMoons, Task = TaskKind.Classification, FixedClasses = 2, InputShape = _ => Flat(2) },
        new("circles", "a small circle inside a large one (2 classes)",
            With(Common(1000, 0.08), P.Float("factor", 0.5, "inner radius relative to the outer", min: 0, max: 1, minExclusive: true, maxExclusive: true)))
            { Provider = SyntheticDatasets.NestedCircles, Task = TaskKind.Classification, FixedClasses = 2, InputShape = _ => Flat(2) },
        new("xor", "points in [-1,1]^2 labelled by the sign of x*y (2 classes)", Common(1000, 0.05))
            { Provider = SyntheticDatasets.XorQuadrants, Task = TaskKind.Classification, FixedClasses = 2, InputShape = _ => Flat(2) },
        new("blobs", "isotropic Gaussian clusters, one per class",
            With(Common(1000, 1.0), P.Int("classes", 3, "number of clusters", min: 2, max: 1000), P.Int("features", 2, "input dimensions", min: 1, max: 100_000), P.Float("spread", 5.0, "half-width of the box the centres are drawn from", min: 0, minExclusive: true)))
            { Provider = SyntheticDatasets.GaussianBlobs, Task = TaskKind.Classification, InputShape = d => Flat(d.Generator!.Features!.Value) },
        new("sine", "y = sin(x) on [-pi*periods, pi*periods] (regression)",
            With(Common(1000, 0.1), P.Float("periods", 1.0, "how many periods the inputs span", min: 0.1, max: 100)))
            { Provider = SyntheticDatasets.SineWave, Task = TaskKind.Regression, InputShape = _ => Flat(1) },
        new("friedman1", "Friedman #1: 10 sin(pi x1 x2) + 20 (x3 - 0.5)^2 + 10 x4 + 5 x5 (regression)",
            With(Common(1000, 1.0), P.Int("features", 10, "input dimensions (only the first 5 matter)", min: 5, max: 100_000)))
            { Provider = SyntheticDatasets.FriedmanOne, Task = TaskKind.Regression, InputShape = d => Flat(d.Generator!.Features!.Value) },
        new("shapes", "size x size grayscale images (1 channel) of bars, crosses and squares at random places; the cnn's embedded default",
            With(Common(1200, 0.15), P.Int("classes", 4, "kinds of shape: horizontal bar, vertical bar, diagonal, anti-diagonal, cross, square outline (the first N)", min: 2, max: 6), P.Int("size", 16, "image height and width in pixels", min: 8, max: 128)))
            { Provider = SyntheticImages.Instance, Task = TaskKind.Classification, InputShape = d => [1, d.Generator!.Size!.Value, d.Generator.Size.Value] },
        new("csv", "a table from a CSV file: numeric and categorical feature columns, a class or value target", Csv())
            { Provider = CsvDataset.Instance, PathKeys = ["path", "validation_path", "test_path"] },
        new("idx", "MNIST-format IDX image and label files (optionally gzipped), pixels scaled to [0, 1], shaped [1, height, width]", Idx())
            { Provider = IdxDataset.Instance, Task = TaskKind.Classification, PathKeys = ["images", "labels", "validation_images", "validation_labels", "test_images", "test_labels"] },
    ]);
}
