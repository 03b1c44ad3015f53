using System.Text.Json.Serialization;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// Examples held as flat arrays (row-major), ready to become one tensor. Classification sets carry
/// <see cref="Labels"/> (class indices), regression sets <see cref="Values"/> (Rows x <see cref="Outputs"/>).
/// </summary>
public sealed record DataSet
{
    /// <summary>
    /// Rows x <see cref="FeatureCount"/> values. A split of a loaded file is a slice of the file's array (see
    /// <see cref="Splitter.PartsInPlace"/>), so no second copy of the examples is made; the tensors share it too.
    /// </summary>
    public required Memory<float> Features { get; init; }
    public required int Rows { get; init; }
    /// <summary>Shape of one example: [features] for tables, [channels, height, width] for images.</summary>
    public required int[] Shape { get; init; }
    public required TaskKind Task { get; init; }
    /// <summary>Number of classes (0 for regression).</summary>
    public int Classes { get; init; }
    public long[]? Labels { get; init; }
    public float[]? Values { get; init; }
    /// <summary>Regression target columns (1 for a single target; 0 for classification).</summary>
    public int Outputs { get; init; }
    public IReadOnlyList<string>? ClassNames { get; init; }
    /// <summary>
    /// Where each input column came from (a csv's columns, with the categories a one-hot block stands for); null for
    /// generated and image data, whose inputs need no encoding.
    /// </summary>
    public IReadOnlyList<InputColumn>? Columns { get; init; }
    /// <summary>A table's layout (how many columns, which is the target), so new rows can be read the same way; null for other data.</summary>
    public TableLayout? Table { get; init; }

    public int FeatureCount => Shape.Aggregate(1, (a, b) => a * b);

    /// <summary>Network output width: one unit per class, or one per regression target.</summary>
    public int OutputWidth => Task == TaskKind.Classification ? Classes : Outputs;

    /// <summary>A new set with the rows at <paramref name="indices"/>, in that order.</summary>
    public DataSet Take(IReadOnlyList<int> indices)
    {
        var width = FeatureCount;
        var features = new float[indices.Count * width];
        var source = Features.Span;
        for (var i = 0; i < indices.Count; i++)
            source.Slice(indices[i] * width, width).CopyTo(features.AsSpan(i * width, width));
        return this with
        {
            Features = features,
            Rows = indices.Count,
            Labels = Labels is null ? null : indices.Select(i => Labels[i]).ToArray(),
            Values = Values is null ? null : indices.SelectMany(i => Values.AsSpan(i * Outputs, Outputs).ToArray()).ToArray(),
        };
    }
}

public sealed record DataSplits(DataSet Train, DataSet Validation, DataSet Test)
{
    public DataSplits Map(Func<DataSet, DataSet> step) => new(step(Train), step(Validation), step(Test));
}

/// <summary>A table file's columns: how many, the target's name (or 0-based index when the file has no header).</summary>
public sealed record TableLayout(
    [property: JsonPropertyName("columns")] int Columns,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("header")] bool Header);

/// <summary>A source column of the inputs: its name (or index), first input position, and its categories when one-hot encoded.</summary>
public sealed record InputColumn(
    [property: JsonPropertyName("source")] string Source,
    [property: JsonPropertyName("offset")] int Offset,
    [property: JsonPropertyName("levels")] IReadOnlyList<string>? Levels)
{
    [JsonIgnore] public int Width => Levels?.Count ?? 1;
}
