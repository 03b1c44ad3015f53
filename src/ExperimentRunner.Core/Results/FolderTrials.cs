using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Core.Results;

/// <summary>A trial folder as the experiment check sees it: its swept values (run.json) and its settings (config.yaml).</summary>
public sealed record TrialSettingsOf(string Trial, IReadOnlyDictionary<string, string> Swept, IReadOnlyDictionary<string, string> Settings);

/// <summary>
/// Reads what experiment the trials of a results folder belong to, and finds trials of different experiments mixed
/// in one folder: within one cell (the same swept values) every setting must agree, since only the seed may vary there.
/// Trials without a config.yaml (recorded by the sweep process for a worker that died first) are left out.
/// </summary>
public static class FolderTrials
{
    public static IReadOnlyList<TrialSettingsOf> Read(string experimentDir)
    {
        var trialsDir = ExperimentResults.TrialsDir(experimentDir);
        if (!Directory.Exists(trialsDir)) return [];
        var trials = new List<TrialSettingsOf>();
        foreach (var dir in Directory.EnumerateDirectories(trialsDir).Order(StringComparer.Ordinal))
        {
            var config = Path.Combine(dir, ExperimentResults.ConfigFileName);
            if (RunManifest.TryLoad(dir) is not { } manifest || !File.Exists(config)) continue;
            trials.Add(new TrialSettingsOf(manifest.Trial, manifest.Swept, TrialSettings.FromYaml(File.ReadAllText(config))));
        }
        return trials;
    }

    /// <summary>The record these trials make (what <see cref="ExperimentRecord.From"/> gives for the experiment that ran them).</summary>
    public static ExperimentRecord? Record(string experiment, IReadOnlyList<TrialSettingsOf> trials) =>
        trials.Count == 0 ? null : ExperimentRecord.Of(experiment, SweptKeys(trials).FirstOrDefault() ?? [], trials.Select(t => t.Settings));

    /// <summary>Settings on which trials of one cell disagree, with each value and how many trials have it; empty when the folder is one experiment.</summary>
    public static IReadOnlyList<SettingDifference> Disagreements(IReadOnlyList<TrialSettingsOf> trials)
    {
        var differences = new List<SettingDifference>();
        var keySets = trials.GroupBy(t => string.Join(", ", t.Swept.Keys)).ToList();
        if (keySets.Count > 1)
            differences.Add(new("swept keys", Tally(keySets.Select(g => (g.Key.Length == 0 ? "(none)" : g.Key, g.Count())))));

        var valuesByKey = new SortedDictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var cell in trials.GroupBy(t => string.Join("\u001f", t.Swept.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"))))
        {
            var members = cell.ToList();
            var settings = members.Select(t => TrialSettings.WithoutSweptAndSeed(t.Settings, t.Swept.Keys)).ToList();
            foreach (var key in settings.SelectMany(s => s.Keys).Distinct())
            {
                var holders = settings.Where(s => s.ContainsKey(key)).ToList();
                if (holders.Select(s => s[key]).Distinct().Count() < 2) continue;
                var tally = valuesByKey.TryGetValue(key, out var t) ? t : valuesByKey[key] = [];
                foreach (var s in holders)
                {
                    var shown = TrialSettings.Describe(s, key);
                    tally[shown] = tally.GetValueOrDefault(shown) + 1;
                }
            }
        }
        differences.AddRange(valuesByKey.Select(kv => new SettingDifference(kv.Key, Tally(kv.Value.Select(v => (v.Key, v.Value))))));
        return differences;
    }

    private static IEnumerable<IReadOnlyList<string>> SweptKeys(IReadOnlyList<TrialSettingsOf> trials) =>
        trials.Select(t => (IReadOnlyList<string>)t.Swept.Keys.ToList());

    private static string Tally(IEnumerable<(string Value, int Count)> values) =>
        string.Join(", ", values.OrderByDescending(v => v.Count).ThenBy(v => v.Value, StringComparer.Ordinal).Select(v => $"{v.Value} ({Counted.Of(v.Count, "trial")})"));
}
