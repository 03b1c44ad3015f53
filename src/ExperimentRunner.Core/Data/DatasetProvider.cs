using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Data;

/// <summary>Makes or reads the examples a dataset spec names. Deterministic in (spec, seed).</summary>
public interface IDatasetProvider
{
    /// <summary>Names of catalog datasets this provider handles.</summary>
    IReadOnlyList<string> Names { get; }

    DataSet Load(Component spec, long seed, string baseDirectory);
}
