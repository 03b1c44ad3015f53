using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Data;

/// <summary>Makes or reads the examples of a dataset; each catalog entry holds its own (DatasetEntry.Provider). Deterministic in (spec, seed).</summary>
public interface IDatasetProvider
{
    DataSet Load(DatasetSettings spec, long seed, string baseDirectory);
}
