namespace ExperimentRunner.Core.Config.Settings;

/// <summary>
/// Where the examples come from: the settings every dataset has (split, standardization) and those of its
/// kind: a generator's (<see cref="Generator"/>), a csv file's (<see cref="Csv"/>) or idx files' (<see cref="Idx"/>).
/// </summary>
public sealed record DatasetSettings(string Name, IReadOnlyList<double> Split)
{
    /// <summary>z-score inputs with the training split's statistics.</summary>
    public bool Standardize { get; init; }
    public GeneratorSettings? Generator { get; init; }
    public CsvSettings? Csv { get; init; }
    public IdxSettings? Idx { get; init; }

    /// <summary>The files the dataset reads, by the key that names each (relative paths start at the experiment file's folder).</summary>
    public IReadOnlyList<(string Key, string Path)> Files =>
        Csv is { } csv ? [("path", csv.Path), .. Given(("validation_path", csv.ValidationPath), ("test_path", csv.TestPath))] :
        Idx is { } idx ? [("images", idx.Images), ("labels", idx.Labels), .. Given(("validation_images", idx.ValidationImages), ("validation_labels", idx.ValidationLabels), ("test_images", idx.TestImages), ("test_labels", idx.TestLabels))] : [];

    /// <summary>Validation and test come from files of their own (not from splitting the main file).</summary>
    public bool SeparateValidation => Csv?.ValidationPath is not null || Idx?.ValidationImages is not null;

    public bool SeparateTest => Csv?.TestPath is not null || Idx?.TestImages is not null;

    private static IEnumerable<(string Key, string Path)> Given(params (string Key, string? Path)[] files) =>
        files.Where(f => f.Path is not null).Select(f => (f.Key, f.Path!));

    public static DatasetSettings From(Component c)
    {
        var r = new SettingsReader(c);
        // The loader writes the effective split into the tree (csv and idx leave it unset by default).
        var settings = new DatasetSettings(c.Name, r.Floats("split") ?? throw SettingsReader.Missing(c.Name, "split"))
        {
            Standardize = r.Bool("standardize") ?? false,
            // Which settings a dataset has says what kind it is: a file path, image files, or a sample count.
            Csv = r.Has("path") ? CsvSettings.Read(r) : null,
            Idx = r.Has("images") ? IdxSettings.Read(r) : null,
            Generator = r.Has("samples") ? GeneratorSettings.Read(r) : null,
        };
        r.Done();
        return settings;
    }
}

/// <summary>A generated dataset: how many examples and how noisy, and the shape parameters of its generator.</summary>
public sealed record GeneratorSettings(int Samples, double Noise)
{
    /// <summary>spirals, blobs, shapes.</summary>
    public int? Classes { get; init; }
    /// <summary>spirals.</summary>
    public double? Turns { get; init; }
    /// <summary>circles.</summary>
    public double? Factor { get; init; }
    /// <summary>blobs, friedman1: input dimensions.</summary>
    public int? Features { get; init; }
    /// <summary>blobs.</summary>
    public double? Spread { get; init; }
    /// <summary>sine.</summary>
    public double? Periods { get; init; }
    /// <summary>shapes: image height and width.</summary>
    public int? Size { get; init; }

    internal static GeneratorSettings Read(SettingsReader r) =>
        new(r.Int("samples") ?? throw SettingsReader.Missing(r.Name, "samples"), r.Float("noise") ?? throw SettingsReader.Missing(r.Name, "noise"))
        {
            Classes = r.Int("classes"),
            Turns = r.Float("turns"),
            Factor = r.Float("factor"),
            Features = r.Int("features"),
            Spread = r.Float("spread"),
            Periods = r.Float("periods"),
            Size = r.Int("size"),
        };
}

/// <summary>A csv file's settings, as words: <see cref="Data.CsvDatasetOptions"/> turns them into values with resolved paths.</summary>
public sealed record CsvSettings(string Path, string Target)
{
    public string Header { get; init; } = "auto";
    public string Delimiter { get; init; } = "auto";
    public string Task { get; init; } = "auto";
    /// <summary>Input columns (names or indices); null: every column but the target.</summary>
    public IReadOnlyList<string>? Features { get; init; }
    public IReadOnlyList<string> Categorical { get; init; } = [];
    public string Missing { get; init; } = "error";
    /// <summary>Files with the same columns that are the validation and test splits; null: split from <see cref="Path"/>.</summary>
    public string? ValidationPath { get; init; }
    public string? TestPath { get; init; }

    internal static CsvSettings Read(SettingsReader r) =>
        new(r.Text("path") ?? throw SettingsReader.Missing(r.Name, "path"), r.Text("target") ?? throw SettingsReader.Missing(r.Name, "target"))
        {
            Header = r.Text("header") ?? "auto",
            Delimiter = r.Text("delimiter") ?? "auto",
            Task = r.Text("task") ?? "auto",
            Features = r.Texts("features"),
            Categorical = r.Texts("categorical") ?? [],
            Missing = r.Text("missing") ?? "error",
            ValidationPath = r.Text("validation_path"),
            TestPath = r.Text("test_path"),
        };
}

/// <summary>MNIST-format image and label files.</summary>
public sealed record IdxSettings(string Images, string Labels)
{
    /// <summary>Use only the first N examples of each file; null: all.</summary>
    public long? Limit { get; init; }
    /// <summary>Image and label files that are the validation and test splits; null: split from <see cref="Images"/>.</summary>
    public string? ValidationImages { get; init; }
    public string? ValidationLabels { get; init; }
    public string? TestImages { get; init; }
    public string? TestLabels { get; init; }

    internal static IdxSettings Read(SettingsReader r) =>
        new(r.Text("images") ?? throw SettingsReader.Missing(r.Name, "images"), r.Text("labels") ?? throw SettingsReader.Missing(r.Name, "labels"))
        {
            Limit = r.Long("limit"),
            ValidationImages = r.Text("validation_images"),
            ValidationLabels = r.Text("validation_labels"),
            TestImages = r.Text("test_images"),
            TestLabels = r.Text("test_labels"),
        };
}
