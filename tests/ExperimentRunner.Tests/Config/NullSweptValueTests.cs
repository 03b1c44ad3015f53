using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Config;

/// <summary>A swept null (bias_init: [null, -3.0]) is an empty cell in the CSV files, like any missing value, and keeps its word in the id.</summary>
public sealed class NullSweptValueTests
{
    [Fact]
    public void A_null_swept_value_is_an_empty_summary_cell_and_null_in_the_id()
    {
        var experiment = Experiments.Load(Experiments.Tiny + "\nsweep: {parameters: {model.bias_init: [null, -3.0]}}\n", "/data");
        Assert.Equal(["", "-3.0"], experiment.Trials.Select(t => t.Swept.Single().Display));
        Assert.StartsWith("null-s3-", experiment.Trials[0].Id, StringComparison.Ordinal);
        Assert.StartsWith("neg3.0-s3-", experiment.Trials[1].Id, StringComparison.Ordinal);
        var manifests = experiment.Trials.Select(t => RunManifest.For(t, TrialStatus.Completed)).ToList();
        var csv = SummaryCsv.Write(experiment.SweptKeys, [], manifests).Split('\n');
        Assert.StartsWith($"{experiment.Trials[0].Id},completed,,3,", csv[1], StringComparison.Ordinal);
        Assert.StartsWith($"{experiment.Trials[1].Id},completed,-3.0,3,", csv[2], StringComparison.Ordinal);
    }
}
