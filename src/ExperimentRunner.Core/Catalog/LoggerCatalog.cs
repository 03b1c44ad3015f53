namespace ExperimentRunner.Core.Catalog;

/// <summary>
/// Where a trial's curves are written besides metrics.csv and layer_stats.csv. Each name has one training sink
/// registered under the same name (TrainingSinks.Standard in ExperimentRunner.Torch); a test keeps the two in step.
/// </summary>
public static class LoggerCatalog
{
    public const string TensorBoard = "tensorboard";

    public static Registry<CatalogEntry> Create() => new(CatalogKind.Logger,
    [
        new(TensorBoard, "TensorBoard event files, one run per trial under <output>/<name>/tensorboard/<trial-id>: losses, metrics and learning rate per epoch, the layer_stats.csv diagnostics, and the swept values as hparams", []),
    ]);
}
