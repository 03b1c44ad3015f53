using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// experiment.json: what experiment a results folder holds, so a changed experiment is never pooled with the old
/// one's trials. It is every setting but the swept keys and the seeds: adding seeds or sweep values keeps the
/// experiment the same (that is what resuming is for), changing anything else makes it another. Settings that take
/// several values across the trials although no key sweeps them (the output activation <c>auto</c> picks per swept
/// loss) follow from the swept values and are listed apart, as <see cref="Derived"/>.
/// </summary>
public sealed record ExperimentRecord
{
    public const string FileName = "experiment.json";

    [JsonPropertyName("experiment")] public required string Experiment { get; init; }
    /// <summary>A short hash of <see cref="SweptKeys"/> and <see cref="Settings"/>, to tell two records apart at a glance.</summary>
    [JsonPropertyName("fingerprint")] public string Fingerprint => Hash(SweptKeys, Settings);
    [JsonPropertyName("swept_keys")] public IReadOnlyList<string> SweptKeys { get; init; } = [];
    /// <summary>Settings every trial shares, by dotted key (see <see cref="TrialSettings"/>).</summary>
    [JsonPropertyName("settings")] public IReadOnlyDictionary<string, string> Settings { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
    [JsonPropertyName("derived")] public IReadOnlyList<string> Derived { get; init; } = [];

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, TypeInfoResolver = ResultsJson.Default };

    /// <summary>The record of an experiment as loaded from its file (and --set overrides).</summary>
    public static ExperimentRecord From(LoadedExperiment experiment)
    {
        var record = Of(experiment.Name, experiment.SweptKeys, experiment.Trials.Select(t => TrialSettings.FromYaml(ConfigWriter.ToYaml(t.Spec.Tree))));
        if (experiment.Tuning is not { } plan) return record;
        // The tuning trials' decisions live in the folder: other settings, another rule or another metric would be
        // judged against the old trials' prunes and choices, so any change to the tuning makes another experiment.
        var stopping = plan.Spec.Stopping;
        var settings = new SortedDictionary<string, string>(record.Settings.ToDictionary(), StringComparer.Ordinal)
        {
            ["sweep.tune.settings"] = string.Join("; ", plan.Settings.Select(s => string.Join(", ", s.Select(v => $"{v.Key}={v.Display}")))),
            ["sweep.tune.metric"] = plan.Spec.Metric,
            ["sweep.tune.seed"] = plan.Spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["sweep.tune.stopping"] = $"{Tuning.TuneParser.Text(stopping.Rule)} (reduction_factor {stopping.ReductionFactor}, min_epochs {stopping.MinEpochs?.ToString() ?? "default"}, max_epochs {stopping.MaxEpochs?.ToString() ?? "default"}, interval {stopping.Interval?.ToString() ?? "default"})",
        };
        return record with { Settings = settings };
    }

    /// <summary>The record of trials given by their full settings (swept keys and seed are taken out here).</summary>
    public static ExperimentRecord Of(string experiment, IReadOnlyList<string> sweptKeys, IEnumerable<IReadOnlyDictionary<string, string>> trials)
    {
        var stripped = trials.Select(t => TrialSettings.WithoutSweptAndSeed(t, sweptKeys)).ToList();
        var keys = stripped.SelectMany(t => t.Keys).ToHashSet(StringComparer.Ordinal);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var derived = new List<string>();
        foreach (var key in keys.Order(StringComparer.Ordinal))
        {
            var values = stripped.Where(t => t.ContainsKey(key)).Select(t => t[key]).Distinct().ToList();
            if (values.Count == 1) settings[key] = values[0];
            else derived.Add(key);
        }
        return new ExperimentRecord { Experiment = experiment, SweptKeys = sweptKeys, Settings = settings, Derived = derived };
    }

    /// <summary>
    /// What differs from <paramref name="other"/> (this one first: "2 -> 25"). A key only one side has is left out: a
    /// newer exprun may add a setting with its default, and a changed choice (loss, architecture) is reported under
    /// its own key, not under each parameter that comes with it.
    /// </summary>
    public IReadOnlyList<SettingDifference> DifferencesTo(ExperimentRecord other)
    {
        var differences = new List<SettingDifference>();
        if (!SweptKeys.ToHashSet().SetEquals(other.SweptKeys))
            differences.Add(new("swept keys", $"{KeyList(SweptKeys)} -> {KeyList(other.SweptKeys)}"));
        List<string> swept = [.. SweptKeys, .. other.SweptKeys];
        var derived = Derived.Concat(other.Derived).ToHashSet(StringComparer.Ordinal);
        foreach (var key in Settings.Keys.Intersect(other.Settings.Keys).Order(StringComparer.Ordinal))
        {
            if (TrialSettings.IsUnder(key, swept) || derived.Contains(key) || Settings[key] == other.Settings[key]) continue;
            differences.Add(new(key, $"{TrialSettings.Describe(Settings, key)} -> {TrialSettings.Describe(other.Settings, key)}"));
        }
        return differences;
    }

    /// <summary>
    /// The record of a folder that now also holds <paramref name="newer"/>'s trials: a setting derived in either is derived,
    /// a key only one has is kept (so a later run is checked against it).
    /// </summary>
    public ExperimentRecord MergedWith(ExperimentRecord newer)
    {
        var derived = Derived.Union(newer.Derived).ToHashSet(StringComparer.Ordinal);
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Settings.Concat(newer.Settings))
        {
            if (!derived.Contains(key)) settings[key] = value;
        }
        return newer with { Settings = settings, Derived = derived.Order(StringComparer.Ordinal).ToList() };
    }

    public void Save(string experimentDir) =>
        AtomicFile.WriteAllText(Path.Combine(experimentDir, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The folder's record; null when it has none (a new folder, or one written before exprun kept records).</summary>
    public static ExperimentRecord? TryLoad(string experimentDir)
    {
        var path = Path.Combine(experimentDir, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<ExperimentRecord>(File.ReadAllText(path), Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string KeyList(IReadOnlyList<string> keys) => keys.Count == 0 ? "(none)" : string.Join(", ", keys);

    private static string Hash(IReadOnlyList<string> sweptKeys, IReadOnlyDictionary<string, string> settings)
    {
        var text = new StringBuilder();
        foreach (var key in sweptKeys.Order(StringComparer.Ordinal)) text.Append("swept\u001f").Append(key).Append('\n');
        foreach (var (key, value) in settings.OrderBy(kv => kv.Key, StringComparer.Ordinal)) text.Append(key).Append('\u001f').Append(value).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..12];
    }
}
