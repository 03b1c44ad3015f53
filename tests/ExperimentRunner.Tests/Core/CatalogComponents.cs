using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Tests.Core;

/// <summary>Settings as the loader would produce them: every catalog default, then the given overrides.</summary>
internal static class CatalogComponents
{
    public static DatasetSettings Dataset(string name, params (string Key, object? Value)[] overrides) =>
        DatasetSettings.From(Of(Catalogs.Default.Datasets.Get(name), overrides));

    public static SchedulerSettings Scheduler(string name, params (string Key, object? Value)[] overrides) =>
        SchedulerSettings.From(Of(Catalogs.Default.Schedulers.Get(name), overrides));

    private static Component Of(CatalogEntry entry, (string Key, object? Value)[] overrides)
    {
        var values = entry.Params.Select(p => new KeyValuePair<string, object?>(p.Name, p.Default)).ToList();
        foreach (var (key, value) in overrides)
        {
            var index = values.FindIndex(kv => kv.Key == key);
            if (index < 0) throw new ArgumentException($"'{entry.Name}' has no parameter '{key}'");
            values[index] = new(key, value);
        }
        return new Component(entry.Name, values, "name");
    }
}
