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
    /// <summary>Where a trial's curves are written besides its CSV files (<c>loggers: [tensorboard]</c>).</summary>
    public Registry<CatalogEntry> Loggers { get; } = LoggerCatalog.Create();

    /// <summary>
    /// Kinds whose names are component values (what sweeps and exclusions compare), in the order <c>exprun list</c>
    /// shows them. Layers and loggers are listed too, but they are never the value of a swept component key.
    /// </summary>
    public static readonly CatalogKind[] Listable =
        [CatalogKind.Loss, CatalogKind.Activation, CatalogKind.OutputActivation, CatalogKind.Architecture, CatalogKind.Dataset, CatalogKind.Optimizer, CatalogKind.Scheduler, CatalogKind.Metric];

    public IRegistry Of(CatalogKind kind) => kind switch
    {
        CatalogKind.Loss => Losses,
        CatalogKind.Activation => Activations,
        CatalogKind.OutputActivation => OutputActivations,
        CatalogKind.Architecture => Architectures,
        CatalogKind.Dataset => Datasets,
        CatalogKind.Optimizer => Optimizers,
        CatalogKind.Scheduler => Schedulers,
        CatalogKind.Metric => Metrics,
        CatalogKind.Layer => Layers,
        CatalogKind.Logger => Loggers,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a catalog kind"),
    };

    public IReadOnlyList<CatalogEntry> EntriesOf(CatalogKind kind) => Of(kind).All;

    public bool TryGet(CatalogKind kind, string name, out CatalogEntry entry) => Of(kind).TryGetEntry(name, out entry);

    public string UnknownMessage(CatalogKind kind, string name) => Of(kind).UnknownMessage(name);
}
