using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Data;

/// <summary>Makes or reads the examples of a dataset; each catalog entry holds its own (DatasetEntry.Provider). Deterministic in (spec, seed).</summary>
public interface IDatasetProvider
{
    DataSet Load(DatasetSettings spec, long seed, string baseDirectory);

    /// <summary>
    /// The validation and test files of a dataset that names them, read to match the main file: the same columns or
    /// image shape, the task and classes of the main file (a class it lacks is an error naming file, row and value).
    /// </summary>
    SeparateSplits LoadSeparate(DatasetSettings spec, DataSet main, string baseDirectory) => new(null, null);
}

/// <summary>Validation and test sets read from files of their own; null where the split comes from the main file.</summary>
public sealed record SeparateSplits(DataSet? Validation, DataSet? Test);
