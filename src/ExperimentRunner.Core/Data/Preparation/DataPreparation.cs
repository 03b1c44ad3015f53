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
/// the main file (stratified for classes) into the splits that do not come from files of their own, fit the
/// preprocessing on the training rows only and apply it to all three splits.
/// </summary>
public static class DataPreparation
{
    /// <param name="maxRows">Smoke runs: keep at most this many rows per split (after fitting on the whole training split).</param>
    /// <exception cref="ConfigException">The loss, metrics or class weights do not fit the data that was read.</exception>
    /// <exception cref="DatasetFileException">A data file is missing or malformed.</exception>
    public static PreparedData Prepare(ExperimentSpec spec, Catalogs catalogs, int? maxRows = null)
    {
        var settings = spec.Dataset;
        var entry = catalogs.Datasets.Get(settings.Name);
        var data = entry.Provider.Load(settings, spec.Seed, spec.BaseDirectory);
        DataChecks.MatchSpec(spec, data, catalogs);
        var separate = settings.SeparateValidation || settings.SeparateTest
            ? entry.Provider.LoadSeparate(settings, data, spec.BaseDirectory)
            : new SeparateSplits(null, null);
        // The loaded examples are split in place: the splits are slices of the one array the file was read into.
        var parts = Splitter.PartsInPlace(data, settings.Split, spec.Seed);
        var next = 0;
        var train = parts[next++];
        var raw = new DataSplits(train, separate.Validation ?? parts[next++], separate.Test ?? parts[next]);
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
