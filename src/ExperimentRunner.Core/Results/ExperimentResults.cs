using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>What <c>exprun collect</c> found: how many trials it listed, and which of them are damaged.</summary>
public sealed record Collected(int Trials, IReadOnlyList<CheckedTrial> Damaged);

/// <summary>
/// Rebuilds an experiment's summary.csv and aggregate.csv from its trial folders' run.json files (the only
/// source of truth, so a sharded sweep can be collected anywhere). Trials are listed in expansion order;
/// those not run yet are absent, and damaged ones (see <see cref="TrialCheck"/>) are listed with status damaged.
/// </summary>
public static class ExperimentResults
{
    public static string TrialsDir(string experimentDir) => Path.Combine(experimentDir, "trials");

    /// <summary>A trial's fully resolved config, in its folder.</summary>
    public const string ConfigFileName = "config.yaml";

    /// <summary>
    /// How summary.csv lists each given trial that has started, in trial order: its run.json, or a damaged row
    /// (<paramref name="checkpoints"/>: checking its checkpoint files too).
    /// </summary>
    public static IReadOnlyList<(TrialSpec Trial, CheckedTrial Checked)> Read(string experimentDir, IEnumerable<TrialSpec> trials, bool checkpoints = false) =>
        trials.Select(t => (Trial: t, Checked: TrialCheck.Read(Path.Combine(TrialsDir(experimentDir), t.Id), checkpoints)))
            .Where(t => t.Checked is not null).Select(t => (t.Trial, t.Checked!)).ToList();

    /// <summary>The summary rows of the given trials that have started: run.json, or a damaged row.</summary>
    public static IReadOnlyList<RunManifest> Manifests(string experimentDir, IEnumerable<TrialSpec> trials) =>
        Read(experimentDir, trials).Select(t => SummaryOf(t.Trial, t.Checked)).ToList();

    /// <summary>A trial's summary row: its run.json, or for a damaged trial one that says so (status damaged, the damage as error).</summary>
    public static RunManifest SummaryOf(TrialSpec trial, CheckedTrial checkedTrial) =>
        checkedTrial.IsDamaged
            ? RunManifest.For(trial, TrialStatus.Damaged) with { Metrics = checkedTrial.Manifest?.Metrics ?? [], Error = checkedTrial.DamageText }
            : checkedTrial.Manifest!;

    /// <summary>Metric columns of the summary: the experiment's metrics, known before any trial ends for synthetic data.</summary>
    public static IReadOnlyList<string> MetricColumns(LoadedExperiment experiment, IEnumerable<RunManifest> manifests)
    {
        var fromSpecs = experiment.Trials.SelectMany(t => t.Spec.Metrics).Distinct().ToList();
        return fromSpecs.Count > 0 ? fromSpecs : manifests.SelectMany(m => m.Metrics).Distinct().ToList();
    }

    /// <summary>
    /// Writes both files for the trials of a loaded experiment from what their folders hold now (what <c>exprun run</c>
    /// does at its end, so trials other processes finished meanwhile, a shard's, are never left stale).
    /// </summary>
    public static void Write(string experimentDir, LoadedExperiment experiment)
    {
        var manifests = Read(experimentDir, experiment.Trials).Select(t => SummaryOf(t.Trial, t.Checked)).ToList();
        Write(experimentDir, experiment.SweptKeys, MetricColumns(experiment, manifests), manifests);
    }

    public static void Write(string experimentDir, IReadOnlyList<string> sweptKeys, IReadOnlyList<string> metrics, IReadOnlyList<RunManifest> manifests)
    {
        AtomicFile.WriteAllText(Path.Combine(experimentDir, SummaryCsv.FileName), SummaryCsv.Write(sweptKeys, metrics, manifests));
        AtomicFile.WriteAllText(Path.Combine(experimentDir, AggregateCsv.FileName), AggregateCsv.Write(sweptKeys, metrics, manifests));
    }

    /// <summary>
    /// <c>exprun collect</c>: every trial folder with a run.json, ordered by trial index (damaged ones whose run.json is
    /// lost last); swept keys and metrics in the order the manifests first name them (else as experiment.json records).
    /// </summary>
    public static Collected Collect(string experimentDir)
    {
        var found = Gather(experimentDir);
        Write(experimentDir, found.SweptKeys, found.Metrics, found.Manifests);
        return new Collected(found.Manifests.Count, found.Damaged);
    }

    /// <summary>
    /// The summary rows the trial folders hold now, checked (what collect writes, and what compare and report rank, so a
    /// stale summary.csv or a damaged trial is never used as if whole).
    /// </summary>
    public static Gathered Gather(string experimentDir)
    {
        var trials = TrialCheck.ReadAll(experimentDir);
        var whole = trials.Where(t => !t.IsDamaged).Select(t => t.Manifest!).ToList();
        var sweptKeys = whole.SelectMany(m => m.Swept.Keys).Distinct().ToList();
        if (sweptKeys.Count == 0 && ExperimentRecord.TryLoad(experimentDir) is { } record) sweptKeys = [.. record.SweptKeys];
        var manifests = trials.Select(t => t.Summary(sweptKeys)).OrderBy(m => m.Index).ThenBy(m => m.Trial, StringComparer.Ordinal).ToList();
        var metrics = whole.SelectMany(m => m.Metrics).Distinct().ToList();
        return new Gathered(sweptKeys, metrics, manifests, trials.Where(t => t.IsDamaged).ToList());
    }
}

/// <summary>An experiment's trials as their folders hold them: summary rows (damaged ones with status damaged) and the damage found.</summary>
public sealed record Gathered(IReadOnlyList<string> SweptKeys, IReadOnlyList<string> Metrics, IReadOnlyList<RunManifest> Manifests, IReadOnlyList<CheckedTrial> Damaged)
{
    public IReadOnlyList<string> Header => SummaryCsv.Header(SweptKeys, Metrics);

    public IReadOnlyList<IReadOnlyList<string>> Rows => Manifests.Select(m => SummaryCsv.Row(m, SweptKeys, Metrics)).ToList();
}

/// <summary>
/// Keeps a running sweep's summary.csv and aggregate.csv current as trials finish, holding the manifests in
/// memory so each update costs one run.json read rather than one per trial. Trials whose files are damaged are
/// not finished: they show as damaged and train again.
/// </summary>
public sealed class LiveResults
{
    private readonly string _experimentDir;
    private readonly LoadedExperiment _experiment;
    private readonly Dictionary<string, RunManifest> _byTrial = [];
    private readonly Dictionary<string, CheckedTrial> _damaged = [];
    private readonly Dictionary<string, RunManifest> _failedHere = [];
    private long _lastWrite;

    public LiveResults(string experimentDir, LoadedExperiment experiment)
    {
        (_experimentDir, _experiment) = (experimentDir, experiment);
        foreach (var (trial, found) in ExperimentResults.Read(experimentDir, experiment.Trials)) Add(trial, found);
    }

    /// <summary>Trials found damaged so far, with why.</summary>
    public IReadOnlyCollection<CheckedTrial> Damaged => _damaged.Values;

    /// <summary>Checks the checkpoint files of the given trials that look finished too (what a run would otherwise skip).</summary>
    public void VerifyCheckpoints(IEnumerable<TrialSpec> trials)
    {
        foreach (var (trial, found) in ExperimentResults.Read(_experimentDir, trials.Where(IsFinished), checkpoints: true)) Add(trial, found);
    }

    private void Add(TrialSpec trial, CheckedTrial found)
    {
        _byTrial[trial.Id] = ExperimentResults.SummaryOf(trial, found);
        if (found.IsDamaged) _damaged[trial.Id] = found;
        else _damaged.Remove(trial.Id);
    }

    /// <summary>Whether the trial is settled (a result, or a pruned tuning trial) with whole files: such a trial is never run again.</summary>
    public bool IsFinished(TrialSpec trial) => _byTrial.TryGetValue(trial.Id, out var m) && m.StatusValue.IsSettled();

    /// <summary>
    /// Records a finished trial; the files are rewritten at most every <paramref name="minSeconds"/> so a sweep of
    /// very short trials does not spend its cores on summaries (the final <see cref="WriteFromFolders"/> is always done).
    /// A failed write (a full disk) does not stop the sweep: the final one reports it.
    /// </summary>
    public void Finished(RunManifest manifest, double minSeconds = 1.0)
    {
        _byTrial[manifest.Trial] = manifest;
        _damaged.Remove(manifest.Trial);
        if (manifest.StatusValue == TrialStatus.Failed) _failedHere[manifest.Trial] = manifest;
        else _failedHere.Remove(manifest.Trial);
        if (System.Diagnostics.Stopwatch.GetElapsedTime(_lastWrite).TotalSeconds < minSeconds) return;
        try
        {
            Write();
        }
        catch (FileWriteException)
        {
            _lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }

    private void Write()
    {
        var manifests = _experiment.Trials.Select(t => _byTrial.GetValueOrDefault(t.Id)).OfType<RunManifest>().ToList();
        Directory.CreateDirectory(_experimentDir);
        ExperimentResults.Write(_experimentDir, _experiment.SweptKeys, ExperimentResults.MetricColumns(_experiment, manifests), manifests);
        _lastWrite = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// The final summary: rebuilt from every trial folder as it is now (other shards' trials included), except a trial
    /// this process saw fail whose folder could not record it (run.json unwritable: a full disk): it shows as failed,
    /// not as the running (or absent) trial its folder still holds. A damaged trial stays damaged.
    /// </summary>
    public void WriteFromFolders()
    {
        Directory.CreateDirectory(_experimentDir);
        var fromFolders = ExperimentResults.Read(_experimentDir, _experiment.Trials).ToDictionary(t => t.Trial.Id, t => ExperimentResults.SummaryOf(t.Trial, t.Checked));
        var manifests = _experiment.Trials.Select(t =>
        {
            var folder = fromFolders.GetValueOrDefault(t.Id);
            var here = _failedHere.GetValueOrDefault(t.Id);
            return here is not null && (folder is null || folder.StatusValue == TrialStatus.Running) ? here : folder;
        }).OfType<RunManifest>().ToList();
        ExperimentResults.Write(_experimentDir, _experiment.SweptKeys, ExperimentResults.MetricColumns(_experiment, manifests), manifests);
    }
}
