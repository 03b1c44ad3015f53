namespace ExperimentRunner.Core.Catalog;

/// <summary>Every registry, built once. Immutable after construction, so sharing one instance is safe.</summary>
public sealed class Catalogs
{
    public static Catalogs Default { get; } = new();

    public Registry<LossEntry> Losses { get; } = LossCatalog.Create();
    public Registry<ActivationEntry> Activations { get; } = ActivationCatalog.CreateHidden();
    public Registry<ActivationEntry> OutputActivations { get; } = ActivationCatalog.CreateOutput();
    public Registry<CatalogEntry> Architectures { get; } = ArchitectureCatalog.Create();
    public Registry<DatasetEntry> Datasets { get; } = DatasetCatalog.Create();
    public Registry<CatalogEntry> Optimizers { get; } = OptimizerCatalog.Create();
    public Registry<CatalogEntry> Schedulers { get; } = SchedulerCatalog.Create();
    public Registry<MetricEntry> Metrics { get; } = MetricCatalog.Create();
    /// <summary>Layers of a <c>sequential</c> model (named by <c>type</c>); not a top-level listable kind.</summary>
    public Registry<LayerEntry> Layers { get; } = LayerCatalog.Create();

    /// <summary>Kinds a user can list, in the order <c>exprun list</c> shows them.</summary>
    public static readonly CatalogKind[] Listable =
        [CatalogKind.Loss, CatalogKind.Activation, CatalogKind.OutputActivation, CatalogKind.Architecture, CatalogKind.Dataset, CatalogKind.Optimizer, CatalogKind.Scheduler, CatalogKind.Metric];

    public IReadOnlyList<CatalogEntry> EntriesOf(CatalogKind kind) => kind switch
    {
        CatalogKind.Loss => Losses.Entries,
        CatalogKind.Activation => Activations.Entries,
        CatalogKind.OutputActivation => OutputActivations.Entries,
        CatalogKind.Architecture => Architectures.Entries,
        CatalogKind.Dataset => Datasets.Entries,
        CatalogKind.Optimizer => Optimizers.Entries,
        CatalogKind.Scheduler => Schedulers.Entries,
        CatalogKind.Metric => Metrics.Entries,
        CatalogKind.Layer => Layers.Entries,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a catalog kind"),
    };

    public bool TryGet(CatalogKind kind, string name, out CatalogEntry entry)
    {
        entry = EntriesOf(kind).FirstOrDefault(e => e.Aliases.Prepend(e.Name).Any(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase)))!;
        return entry is not null;
    }

    public string UnknownMessage(CatalogKind kind, string name)
    {
        var entries = EntriesOf(kind);
        var known = entries.SelectMany(e => e.Aliases.Prepend(e.Name));
        return $"unknown {kind.Singular()} '{name}'{Problems.Suggest.DidYouMean(name, known)}; allowed: {string.Join(", ", entries.Select(e => e.Name))}";
    }
}
