using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// Rebuilds an experiment's summary.csv from its trial folders' run.json files. Trials are listed in
/// expansion order; those not run yet are absent, so the file only ever holds finished facts.
/// </summary>
public static class ExperimentResults
{
    public static string TrialsDir(string experimentDir) => Path.Combine(experimentDir, "trials");

    /// <summary>Manifests of the given trials that have one, in trial order.</summary>
    public static IReadOnlyList<RunManifest> Manifests(string experimentDir, IEnumerable<TrialSpec> trials) =>
        trials.Select(t => RunManifest.TryLoad(Path.Combine(TrialsDir(experimentDir), t.Id))).OfType<RunManifest>().ToList();

    /// <summary>Metric columns of the summary: the experiment's metrics, known before any trial ends for synthetic data.</summary>
    public static IReadOnlyList<string> MetricColumns(LoadedExperiment experiment, IEnumerable<RunManifest> manifests)
    {
        var fromSpecs = experiment.Trials.SelectMany(t => t.Spec.Metrics).Distinct().ToList();
        return fromSpecs.Count > 0 ? fromSpecs : manifests.SelectMany(m => m.Metrics).Distinct().ToList();
    }

    public static void WriteSummary(string experimentDir, LoadedExperiment experiment)
    {
        var manifests = Manifests(experimentDir, experiment.Trials);
        var metrics = MetricColumns(experiment, manifests);
        AtomicFile.WriteAllText(Path.Combine(experimentDir, SummaryCsv.FileName), SummaryCsv.Write(experiment.SweptKeys, metrics, manifests));
    }
}
