using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>Which file of a trial's folder is damaged (its path within the folder) and how.</summary>
public sealed record TrialDamage(string File, string Reason);

/// <summary>A trial folder as read and checked: its run.json and rows, or the first damage found.</summary>
public sealed record CheckedTrial(string Dir, RunManifest? Manifest, TrialDamage? Damage, IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<LayerRow> Layers)
{
    public string Id => Manifest?.Trial ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Dir));

    public bool IsDamaged => Damage is not null;

    /// <summary>The stderr line for a damaged trial: the file, then what is wrong with it.</summary>
    public string DamageLine => Damage is { } d ? $"{Path.Combine(Dir, d.File)}: error: damaged trial: {d.Reason}" : "";

    /// <summary>The stderr line of a reader that goes on without the trial (compare, report): it is shown as damaged, counted in no statistic.</summary>
    public string WarningLine => Damage is { } d ? $"{Path.Combine(Dir, d.File)}: warning: damaged trial {Id} (shown as damaged, counted in no statistic): {d.Reason}" : "";

    /// <summary>The summary's word on a damaged trial (its error cell): the file and the reason, then what run.json said.</summary>
    public string DamageText => Damage is { } d ? $"damaged: {d.File}: {d.Reason}{(Manifest is { } m ? $" (run.json: {m.Status})" : "")}" : "";

    /// <summary>
    /// How summary.csv lists the trial: its run.json, or for a damaged trial a row with status damaged, no numbers, and
    /// the damage as its error. Swept values and seed of a trial whose run.json is lost come from its config.yaml.
    /// </summary>
    public RunManifest Summary(IReadOnlyList<string> sweptKeys)
    {
        if (!IsDamaged) return Manifest!;
        if (Manifest is { } m) return Stripped(m);
        var settings = ConfigSettings();
        return new RunManifest
        {
            Trial = Id,
            Index = int.MaxValue,
            Experiment = "",
            ConfigHash = "",
            Status = TrialStatus.Damaged.Text(),
            Error = DamageText,
            Swept = sweptKeys.Where(settings.ContainsKey).ToDictionary(k => k, k => TrialSettings.Describe(settings, k)),
            Seed = settings.TryGetValue(TrialSettings.Seed, out var seed) && long.TryParse(seed, out var s) ? s : 0,
        };
    }

    /// <summary>A damaged trial's own run.json, as the summary shows it: who it is and what it swept, but no result to count.</summary>
    private RunManifest Stripped(RunManifest m) => m.WithoutResults() with { Status = TrialStatus.Damaged.Text(), Error = DamageText };

    private IReadOnlyDictionary<string, string> ConfigSettings()
    {
        try
        {
            var config = Path.Combine(Dir, ExperimentResults.ConfigFileName);
            return File.Exists(config) ? TrialSettings.FromYaml(File.ReadAllText(config)) : new SortedDictionary<string, string>();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException or InvalidCastException)
        {
            return new SortedDictionary<string, string>();
        }
    }
}

/// <summary>
/// Reads a trial folder's result files and checks them (run.json whole, metrics.csv and layer_stats.csv row by row and
/// against run.json, and, when asked, every checkpoint against the size and SHA-256 recorded when it was written), so
/// collect, compare, report, check and run name a damaged trial instead of dropping or using it.
/// </summary>
public static class TrialCheck
{
    public const string MetricsFile = "metrics.csv";

    /// <summary>Every trial folder under trials/ that has started (has a run.json or rows), in folder-name order.</summary>
    public static IReadOnlyList<CheckedTrial> ReadAll(string experimentDir, bool checkpoints = false)
    {
        var trialsDir = ExperimentResults.TrialsDir(experimentDir);
        if (!Directory.Exists(trialsDir)) return [];
        return Directory.EnumerateDirectories(trialsDir).Order(StringComparer.Ordinal)
            .Select(d => Read(d, checkpoints)).OfType<CheckedTrial>().ToList();
    }

    /// <summary>The trial in <paramref name="trialDir"/>, checked; null when it has not started (no run.json and no rows).</summary>
    public static CheckedTrial? Read(string trialDir, bool checkpoints = false)
    {
        var (manifest, damage) = RunManifest.Read(trialDir);
        CheckedTrial Damaged(string file, string reason) => new(trialDir, manifest, new TrialDamage(file, reason), [], []);
        if (damage is not null) return Damaged(RunManifest.FileName, damage);
        if (manifest is null)
        {
            return File.Exists(Path.Combine(trialDir, MetricsFile))
                ? Damaged(RunManifest.FileName, $"missing, though {MetricsFile} is there (deleted?)")
                : null;
        }
        try
        {
            // A trial that failed before it recorded its metric names (a refused resume) still has the file of its earlier attempt.
            var epochs = MetricsCsv.Read(Path.Combine(trialDir, MetricsFile), manifest.Metrics.Count > 0 ? manifest.Metrics : null);
            if (EpochsProblem(manifest, epochs) is { } epochProblem) return Damaged(MetricsFile, epochProblem);
            var layers = LayerStatsCsv.Read(Path.Combine(trialDir, LayerStatsCsv.FileName));
            if (LayersProblem(manifest, layers) is { } layerProblem) return Damaged(LayerStatsCsv.FileName, layerProblem);
            if (checkpoints && CheckpointFiles.Verify(trialDir, manifest.StatusValue.IsTerminal()) is { } checkpoint) return Damaged(checkpoint.File, checkpoint.Reason);
            return new CheckedTrial(trialDir, manifest, null, epochs, layers);
        }
        catch (DamagedFileException ex)
        {
            return Damaged(Path.GetRelativePath(trialDir, ex.FilePath), ex.Reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Damaged(MetricsFile, $"cannot be read: {IoCause.Of(ex)}");
        }
    }

    /// <summary>A finished trial's metrics.csv has a row for every epoch run.json counts.</summary>
    private static string? EpochsProblem(RunManifest manifest, IReadOnlyList<EpochRecord> epochs)
    {
        if (!manifest.StatusValue.IsTerminal() || epochs.Count == manifest.Epochs) return null;
        return epochs.Count == 0
            ? $"missing, but run.json says the trial trained {manifest.Epochs} epochs"
            : $"holds {epochs.Count} epochs, but run.json says the trial trained {manifest.Epochs}{(epochs.Count < manifest.Epochs ? " (cut short?)" : "")}";
    }

    /// <summary>
    /// A finished trial that measured layers (its diagnostics summary is not empty) has their rows from epoch 1 and,
    /// unless it diverged, at its last epoch; never beyond it.
    /// </summary>
    private static string? LayersProblem(RunManifest manifest, IReadOnlyList<LayerRow> layers)
    {
        if (!manifest.StatusValue.IsTerminal() || manifest.Diagnostics.Count == 0 || manifest.Epochs == 0) return null;
        if (layers.Count == 0) return $"missing or empty, but run.json has the trial's layer diagnostics ({manifest.Epochs} epochs)";
        var epochs = LayerStatsCsv.Epochs(layers);
        if (epochs[0] != 1) return $"its first measured epoch is {epochs[0]}; layers are measured from epoch 1";
        if (epochs[^1] > manifest.Epochs) return $"has epoch {epochs[^1]}, but run.json says the trial trained {manifest.Epochs}";
        if (manifest.StatusValue != TrialStatus.Diverged && epochs[^1] != manifest.Epochs)
            return $"ends at epoch {epochs[^1]}, but the last epoch ({manifest.Epochs}) is always measured (cut short?)";
        return null;
    }
}
