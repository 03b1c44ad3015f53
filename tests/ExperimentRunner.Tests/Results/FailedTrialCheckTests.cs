using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Results;

/// <summary>
/// A trial that failed before it recorded its metric names (a resume refused for a damaged state) keeps the
/// metrics.csv of its earlier attempt: that file is whole, and check and collect must not call it damaged.
/// </summary>
public sealed class FailedTrialCheckTests
{
    [Fact]
    public void The_metrics_file_of_a_failed_trial_without_metric_names_is_read_by_its_own_header()
    {
        using var dir = new TempDir();
        var trial = Experiments.Single(Experiments.Tiny, dir.Path);
        var trialDir = dir.Combine("trials", trial.Id);
        Directory.CreateDirectory(trialDir);
        var rows = Enumerable.Range(1, 3).Select(e => new EpochRecord(e, 1.0 / e, 1.0 / e, new Dictionary<string, double> { ["accuracy"] = 0.5 }, new Dictionary<string, double> { ["accuracy"] = 0.6 }, 0.01, 0.1));
        File.WriteAllText(Path.Combine(trialDir, MetricsCsv.FileName), MetricsCsv.Write(["accuracy"], rows));
        (RunManifest.For(trial, TrialStatus.Failed) with { Error = "state damaged" }).Save(trialDir);

        var checkedTrial = TrialCheck.Read(trialDir);
        Assert.NotNull(checkedTrial);
        Assert.Null(checkedTrial.Damage);
        Assert.Equal(3, checkedTrial.Epochs.Count);
        Assert.Equal(0.6, checkedTrial.Epochs[2].ValMetrics["accuracy"]);

        // With its metric names recorded, a header that disagrees is still damage.
        (RunManifest.For(trial, TrialStatus.Failed) with { Metrics = ["accuracy", "f1_macro"] }).Save(trialDir);
        Assert.NotNull(TrialCheck.Read(trialDir)!.Damage);
    }
}
