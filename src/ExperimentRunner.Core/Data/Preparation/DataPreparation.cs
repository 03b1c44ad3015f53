using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Data.Preparation;

/// <summary>A trial's data ready for training: the three splits as network inputs, and what was fitted to make them.</summary>
/// <param name="UnseenCategoryRows">Validation and test rows with a category the training rows lack (encoded as all zeros).</param>
public sealed record PreparedData(DataSplits Splits, FittedPreprocessing Preprocessing, int UnseenCategoryRows)
{
    public TaskKind Task => Splits.Train.Task;
}

/// <summary>
/// The first step of a trial: read or generate the examples, check the task rules against what was read, split
/// (stratified for classes), fit the preprocessing on the training rows only and apply it to all three splits.
/// </summary>
public static class DataPreparation
{
    /// <param name="maxRows">Smoke runs: keep at most this many rows per split (after fitting on the whole training split).</param>
    /// <exception cref="ConfigException">The loss, metrics or class weights do not fit the data that was read.</exception>
    /// <exception cref="DatasetFileException">A data file is missing or malformed.</exception>
    public static PreparedData Prepare(ExperimentSpec spec, Catalogs catalogs, int? maxRows = null)
    {
        var settings = spec.Dataset;
        var data = catalogs.Datasets.Get(settings.Name).Provider.Load(settings, spec.Seed, spec.BaseDirectory);
        DataChecks.MatchSpec(spec, data, catalogs);
        var raw = Splitter.Split(data, settings.Split, spec.Seed);
        var fitted = FittedPreprocessing.Fit(raw.Train, [raw.Validation, raw.Test], settings.Standardize, settings.Csv?.Missing == "mean");
        var unseen = 0;
        var splits = raw.Map(d =>
        {
            var applied = fitted.Apply(d, out var rows);
            unseen += rows;
            return applied;
        });
        if (maxRows is { } n) splits = splits.Map(d => d.Rows <= n ? d : d.Take(Enumerable.Range(0, n).ToList()));
        return new PreparedData(splits, fitted, unseen);
    }
}
