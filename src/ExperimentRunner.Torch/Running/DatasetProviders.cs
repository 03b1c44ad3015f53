using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Torch.Running;

/// <summary>Dataset name -> provider (synthetic generators, files).</summary>
public sealed class DatasetProviders(IEnumerable<IDatasetProvider> providers)
{
    private readonly IReadOnlyList<IDatasetProvider> _providers = providers.ToList();

    public static DatasetProviders Default { get; } = new([new SyntheticDatasets(), new SyntheticImages(), new CsvDataset(), new IdxDataset()]);

    public IEnumerable<string> Names => _providers.SelectMany(p => p.Names);

    public IDatasetProvider For(string name) =>
        _providers.FirstOrDefault(p => p.Names.Contains(name, StringComparer.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"no provider for dataset '{name}'; known: {string.Join(", ", Names)}");
}
