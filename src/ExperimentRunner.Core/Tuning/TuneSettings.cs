using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Tuning;

/// <summary>The settings every cell tries: drawn once, so cells are compared on the same candidates.</summary>
public static class TuneSettings
{
    public static IReadOnlyList<IReadOnlyList<(string Path, RawNode Value)>> Draw(TuneSpec tune, long fileSeed)
    {
        var seed = (ulong)(tune.SamplerSeed ?? fileSeed) ^ 0x7E7E_7E7EUL;
        if (tune.Axes.Any(a => a is SweepAxis.Distribution))
        {
            var random = new SweepSpec(SweepMethod.Random, tune.Axes, [], tune.Budget, [], false) { SamplerSeed = (long)(seed >> 1) };
            return SweepExpander.Cells(random, fileSeed).ToList();
        }
        var grid = SweepExpander.Cells(new SweepSpec(SweepMethod.Grid, tune.Axes, [], 0, [], false), fileSeed).ToList();
        if (tune.Budget >= grid.Count) return grid;
        // Fewer settings than the lists give: a seeded draw without repeats, kept in grid order so files read naturally.
        var rng = new SplitMix64(seed);
        var order = Enumerable.Range(0, grid.Count).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)rng.NextLong(0, i);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order.Take(tune.Budget).Order().Select(i => grid[i]).ToList();
    }
}
