namespace ExperimentRunner.Core.Catalog;

public sealed record MetricEntry(string Name, string Description, TaskKind Task, bool HigherIsBetter) : CatalogEntry(Name, Description, []);

public static class MetricCatalog
{
    public static Registry<MetricEntry> Create() => new(CatalogKind.Metric,
    [
        new("accuracy", "fraction of examples whose arg-max class is right", TaskKind.Classification, true) { Aliases = ["acc"] },
        new("f1_macro", "unweighted mean of per-class F1", TaskKind.Classification, true) { Aliases = ["f1"] },
        new("precision_macro", "unweighted mean of per-class precision", TaskKind.Classification, true) { Aliases = ["precision"] },
        new("recall_macro", "unweighted mean of per-class recall (balanced accuracy)", TaskKind.Classification, true) { Aliases = ["recall", "balanced_accuracy"] },
        new("mae", "mean absolute error of the prediction", TaskKind.Regression, false),
        new("rmse", "root mean squared error of the prediction", TaskKind.Regression, false),
        new("r2", "coefficient of determination (1 is perfect, 0 is the mean)", TaskKind.Regression, true) { Aliases = ["r_squared"] },
    ]);
}
