using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Config;

/// <summary>A sweep of seeds alone: the same trial at several seeds, with no swept parameters.</summary>
public sealed class SeedSweepTests
{
    [Fact]
    public void Seeds_alone_make_one_cell_of_trials_that_differ_only_in_seed()
    {
        var experiment = Experiments.Load(Experiments.Tiny + "\nsweep: {seeds: [4, 5, 6]}\n", "/data");
        Assert.Equal([4L, 5L, 6L], experiment.Trials.Select(t => t.Spec.Seed));
        Assert.Single(experiment.Trials.Select(t => t.CellKey).Distinct());
        Assert.Empty(experiment.SweptKeys);
        Assert.Equal(3, experiment.Trials.Select(t => t.Id).Distinct().Count());
    }

    [Fact]
    public void Other_methods_still_need_parameters()
    {
        var problems = Experiments.Problems(Experiments.Tiny + "\nsweep: {method: random, samples: 2, seeds: 2}\n", "/data");
        Assert.Contains(problems, p => p.ToString().Contains("sweep.parameters: a sweep needs parameters", StringComparison.Ordinal));
    }
}
