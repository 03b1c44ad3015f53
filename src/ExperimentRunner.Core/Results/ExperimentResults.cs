using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// Rebuilds an experiment's summary.csv and aggregate.csv from its trial folders' run.json files (the only
/// source of truth, so a sharded sweep can be collected anywhere). Trials are listed in expansion order;
/// those not run yet are absent.
/// </summary>
public static class ExperimentResults
{
    public static string TrialsDir(string experimentDir) => Path.Combine(experimentDir, "trials");

    /// <summary>A trial's fully resolved config, in its folder.</summary>
    public const string ConfigFileName = "config.yaml";

    /// <summary>Manifests of the given trials that have one, in trial order.</summary>
    public static IReadOnlyList<RunManifest> Manifests(string experimentDir, IEnumerable<TrialSpec> trials) =>
        trials.Select(t => RunManifest.TryLoad(Path.Combine(TrialsDir(experimentDir), t.Id))).OfType<RunManifest>().ToList();

    /// <summary>Metric columns of the summary: the experiment's metrics, known before any trial ends for synthetic data.</summary>
    public static IReadOnlyList<string> MetricColumns(LoadedExperiment experiment, IEnumerable<RunManifest> manifests)
    {
        var fromSpecs = experiment.Trials.SelectMany(t => t.Spec.Metrics).Distinct().ToList();
        return fromSpecs.Count > 0 ? fromSpecs : manifests.SelectMany(m => m.Metrics).Distinct().ToList();
    }

    /// <summary>Writes both files for the trials of a loaded experiment (what <c>exprun run</c> does after each trial).</summary>
    public static void Write(string experimentDir, LoadedExperiment experiment)
    {
        var manifests = Manifests(experimentDir, experiment.Trials);
        Write(experimentDir, experiment.SweptKeys, MetricColumns(experiment, manifests), manifests);
    }

    public static void Write(string experimentDir, IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics, IReadOnlyList<RunManifest> manifests)
    {
        AtomicFile.WriteAllText(Path.Combine(experimentDir, SummaryCsv.FileName), SummaryCsv.Write(sweptKeys, metrics, manifests));
        AtomicFile.WriteAllText(Path.Combine(experimentDir, AggregateCsv.FileName), AggregateCsv.Write(sweptKeys, metrics, manifests));
    }

    /// <summary>
    /// <c>exprun collect</c>: every trial folder with a run.json, ordered by trial index; swept keys and
    /// metrics in the order the manifests first name them. Returns the number of trials found.
    /// </summary>
    public static int Collect(string experimentDir)
    {
        var trialsDir = TrialsDir(experimentDir);
        var manifests = Directory.Exists(trialsDir)
            ? Directory.EnumerateDirectories(trialsDir).Select(RunManifest.TryLoad).OfType<RunManifest>().OrderBy(m => m.Index).ThenBy(m => m.Trial, StringComparer.Ordinal).ToList()
            : [];
        var sweptKeys = manifests.SelectMany(m => m.Swept.Keys).Distinct().ToList();
        var metrics = manifests.SelectMany(m => m.Metrics).Distinct().ToList();
        Write(experimentDir, sweptKeys, metrics, manifests);
        return manifests.Count;
    }
}

/// <summary>
/// Keeps a running sweep's summary.csv and aggregate.csv current as trials finish, holding the manifests in
/// memory so each update costs one run.json read rather than one per trial.
/// </summary>
public sealed class LiveResults(string experimentDir, LoadedExperiment experiment)
{
    private readonly Dictionary<string, RunManifest> _byTrial = ExperimentResults.Manifests(experimentDir, experiment.Trials).ToDictionary(m => m.Trial);

    private long _lastWrite;

    /// <summary>Whether the trial already has a result (completed, early-stopped or diverged): such a trial is never run again.</summary>
    public bool IsFinished(TrialSpec trial) => _byTrial.TryGetValue(trial.Id, out var m) && m.StatusValue.IsSettled();

    /// <summary>
    /// Records a finished trial; the files are rewritten at most every <paramref name="minSeconds"/> so a sweep of
    /// very short trials does not spend its cores on summaries (the final <see cref="Write"/> is always done).
    /// </summary>
    public void Finished(RunManifest manifest, double minSeconds = 1.0)
    {
        _byTrial[manifest.Trial] = manifest;
        if (System.Diagnostics.Stopwatch.GetElapsedTime(_lastWrite).TotalSeconds >= minSeconds) Write();
    }

    public void Write()
    {
        var manifests = experiment.Trials.Select(t => _byTrial.GetValueOrDefault(t.Id)).OfType<RunManifest>().ToList();
        Directory.CreateDirectory(experimentDir);
        ExperimentResults.Write(experimentDir, experiment.SweptKeys, ExperimentResults.MetricColumns(experiment, manifests), manifests);
        _lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
    }
}
