namespace ExperimentRunner.Core.Catalog;

public enum CatalogKind
{
    Loss,
    Activation,
    OutputActivation,
    Architecture,
    Dataset,
    Optimizer,
    Scheduler,
    Metric,
    Layer,
    Logger,
}

public static class CatalogKindText
{
    public static string Singular(this CatalogKind kind) => kind switch
    {
        CatalogKind.Loss => "loss",
        CatalogKind.Activation => "activation",
        CatalogKind.OutputActivation => "output activation",
        CatalogKind.Architecture => "architecture",
        CatalogKind.Dataset => "dataset",
        CatalogKind.Optimizer => "optimizer",
        CatalogKind.Scheduler => "scheduler",
        CatalogKind.Metric => "metric",
        CatalogKind.Layer => "layer",
        CatalogKind.Logger => "logger",
        _ => kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The word a mapping uses to name its catalog entry (models say <c>architecture: mlp</c>, layers <c>type: linear</c>).</summary>
    public static string NameKey(this CatalogKind kind) => kind switch
    {
        CatalogKind.Architecture => "architecture",
        CatalogKind.Layer => "type",
        _ => "name",
    };
}
