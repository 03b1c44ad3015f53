using System.Text.Json.Serialization;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Data.Preparation;

/// <summary>
/// Everything fitted on a trial's training rows that turns encoded rows into network inputs: the categories kept,
/// missing-value means, and the standardization means and deviations, plus what the network's inputs and outputs
/// mean (input shape, class names). Saved with the trial (run.json), so new rows can be prepared exactly as the
/// trial's own were.
/// </summary>
public sealed record FittedPreprocessing
{
    [JsonPropertyName("task")] public required string Task { get; init; }
    [JsonPropertyName("input_shape")] public required IReadOnlyList<int> InputShape { get; init; }
    [JsonPropertyName("class_names")] public IReadOnlyList<string>? ClassNames { get; init; }
    /// <summary>A csv's input columns with the categories the training rows use; null for generated and image data.</summary>
    [JsonPropertyName("columns")] public IReadOnlyList<InputColumn>? Columns { get; init; }
    /// <summary>The training table's layout (column count, target), for reading new rows; null for generated and image data.</summary>
    [JsonPropertyName("table")] public TableLayout? Table { get; init; }
    /// <summary>Network outputs: one per class, or per regression target.</summary>
    [JsonPropertyName("outputs")] public int Outputs { get; init; }
    /// <summary>Training means that fill missing inputs; null when no input can be missing.</summary>
    [JsonPropertyName("fill_means")] public IReadOnlyList<double>? FillMeans { get; init; }
    /// <summary>z-scoring per input (training mean, population deviation; 1 for a constant input); null when not standardized.</summary>
    [JsonPropertyName("standardize_mean")] public IReadOnlyList<float>? StandardizeMean { get; init; }
    [JsonPropertyName("standardize_std")] public IReadOnlyList<float>? StandardizeStd { get; init; }

    [JsonIgnore] public TaskKind TaskKind => Enum.Parse<TaskKind>(Task, ignoreCase: true);

    /// <summary>Fits every step on <paramref name="train"/>, in the order they are applied.</summary>
    /// <param name="mayMiss">Inputs can be missing (a csv with <c>missing: mean</c>): means are kept for new rows even when the trial's own rows lacked none.</param>
    public static FittedPreprocessing Fit(DataSet train, IEnumerable<DataSet> others, bool standardize, bool mayMiss)
    {
        var columns = train.Columns is null ? null : CategoryLevels.Fit(train);
        var aligned = columns is null ? train : CategoryLevels.Align(train, columns, out _);
        var anyMissing = mayMiss || MissingValues.Any(aligned) || others.Any(MissingValues.Any);
        var means = anyMissing ? MissingValues.ColumnMeans(aligned) : null;
        var filled = means is null ? aligned : MissingValues.Fill(aligned, means);
        var standardizer = standardize && filled.Rows > 0 ? Standardizer.Fit(filled) : null;
        return new FittedPreprocessing
        {
            Task = train.Task.ToString().ToLowerInvariant(),
            InputShape = filled.Shape,
            ClassNames = train.ClassNames,
            Columns = columns,
            Table = train.Table,
            Outputs = train.OutputWidth,
            FillMeans = means,
            StandardizeMean = standardizer?.Mean,
            StandardizeStd = standardizer?.Std,
        };
    }

    /// <summary>Encoded rows (from the trial's file or a new one) as the network's inputs.</summary>
    /// <param name="unseenRows">Rows with a category the training rows lack (encoded as all zeros).</param>
    public DataSet Apply(DataSet encoded, out int unseenRows)
    {
        unseenRows = 0;
        var d = Columns is null ? encoded : CategoryLevels.Align(encoded, Columns, out unseenRows);
        if (FillMeans is not null) d = MissingValues.Fill(d, FillMeans);
        if (StandardizeMean is not null && StandardizeStd is not null) d = new Standardizer([.. StandardizeMean], [.. StandardizeStd]).Apply(d);
        return d;
    }
}
