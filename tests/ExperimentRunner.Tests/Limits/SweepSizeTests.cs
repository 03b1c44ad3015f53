using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Sweeps;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Limits;

/// <summary>
/// A grid multiplies its lists: 200 learning rates x 100 batch sizes x 10000 seeds made validate expand and bind
/// hundreds of millions of trials until killed. More than <see cref="SweepSize.MaxTrials"/> is refused before expansion.
/// </summary>
public sealed class SweepSizeTests : IDisposable
{
    private readonly TempDir _temp = new();

    private string Error(string sweep) => Assert.Single(Experiments.Problems(Experiments.Tiny + "\n" + sweep + "\n", _temp.Path)).ToString();

    [Fact]
    public void A_grid_of_millions_of_trials_is_refused_at_once()
    {
        var lrs = string.Join(", ", Enumerable.Range(1, 200).Select(i => $"0.{i:D4}"));
        var batches = string.Join(", ", Enumerable.Range(1, 100));

        Assert.Equal(
            "test.yaml:9:8: error: sweep: expands to 200,000,000 trials (grid: 20,000 cells x 10000 seeds); a sweep may have at most 10,000: sweep fewer values or seeds, or split it into several experiments",
            Error($"sweep: {{parameters: {{optimizer.lr: [{lrs}], training.batch_size: [{batches}]}}, seeds: 10000}}"));
    }

    [Fact]
    public void A_random_sweep_of_two_billion_samples_is_refused()
    {
        Assert.Equal(
            "test.yaml:9:8: error: sweep: expands to 2,000,000,000 trials (random: 2,000,000,000 cells x 1 seed); a sweep may have at most 10,000: sweep fewer values or seeds, or split it into several experiments",
            Error("sweep: {method: random, parameters: {optimizer.lr: {distribution: log_uniform, min: 0.0001, max: 0.1}}, samples: 2000000000}"));
    }

    [Theory]
    [InlineData(SweepMethod.Grid, 10_000.0)]
    [InlineData(SweepMethod.Zip, 100.0)]
    public void Exactly_the_limit_is_allowed(SweepMethod method, double expected)
    {
        RawNode[] hundred = [.. Enumerable.Range(0, 100).Select(i => new RawScalar($"{i}", false, SourceMark.None))];
        var sweep = new SweepSpec(method, [new SweepAxis.Values("a", hundred), new SweepAxis.Values("b", hundred)], [1], 0, [], false);

        Assert.Equal(expected, SweepSize.Trials(sweep));
        var problems = new ProblemBag();
        SweepSize.Check(sweep, SourceMark.None, problems);
        Assert.Empty(problems.Items);
    }

    public void Dispose() => _temp.Dispose();
}
