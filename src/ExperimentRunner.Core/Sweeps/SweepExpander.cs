using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Sweeps;

/// <summary>A trial before binding: the base tree with the cell's values and the seed written in.</summary>
public sealed record TrialDraft(RawMapping Tree, IReadOnlyList<(string Path, RawNode Value)> Cell, long Seed);

/// <summary>Cells (grid, zip or random draws) times seeds, as raw trees ready to bind.</summary>
public static class SweepExpander
{
    public static IReadOnlyList<TrialDraft> Expand(RawMapping baseTree, SweepSpec? sweep, long fileSeed)
    {
        if (sweep is null) return [new TrialDraft(baseTree, [], fileSeed)];
        var cells = Cells(sweep, fileSeed);
        var drafts = new List<TrialDraft>();
        foreach (var cell in cells)
        {
            foreach (var seed in sweep.Seeds)
            {
                var tree = baseTree;
                foreach (var (path, value) in cell) tree = RawPath.Set(tree, path, value);
                if (sweep.SeedsGiven) tree = RawPath.Set(tree, "seed", new RawScalar(seed.ToString(System.Globalization.CultureInfo.InvariantCulture), false, tree["seed"]?.Mark ?? tree.Mark));
                drafts.Add(new TrialDraft(tree, cell, seed));
            }
        }
        return drafts;
    }

    /// <summary>The sweep's cells (swept values without seeds), in the order trials are numbered.</summary>
    public static IEnumerable<IReadOnlyList<(string Path, RawNode Value)>> Cells(SweepSpec sweep, long fileSeed) => sweep.Method switch
    {
        SweepMethod.Grid => Grid(sweep.Axes.Cast<SweepAxis.Values>().ToList()),
        SweepMethod.Zip => Zip(sweep.Axes.Cast<SweepAxis.Values>().ToList()),
        _ => Random(sweep, fileSeed),
    };

    private static IEnumerable<IReadOnlyList<(string, RawNode)>> Grid(IReadOnlyList<SweepAxis.Values> axes)
    {
        IEnumerable<IReadOnlyList<(string, RawNode)>> cells = [[]];
        foreach (var axis in axes)
        {
            var captured = axis;
            cells = cells.SelectMany(cell => captured.Items.Select(v => (IReadOnlyList<(string, RawNode)>)[.. cell, (captured.Path, v)])).ToList();
        }
        return cells;
    }

    private static IEnumerable<IReadOnlyList<(string, RawNode)>> Zip(IReadOnlyList<SweepAxis.Values> axes)
    {
        var n = axes.Count == 0 ? 0 : axes.Min(a => a.Items.Count);
        return Enumerable.Range(0, n).Select(i => (IReadOnlyList<(string, RawNode)>)axes.Select(a => (a.Path, a.Items[i])).ToList());
    }

    private static IEnumerable<IReadOnlyList<(string, RawNode)>> Random(SweepSpec sweep, long fileSeed)
    {
        var rng = new SplitMix64((ulong)(sweep.SamplerSeed ?? fileSeed) ^ 0x5EED_5EEDUL);
        for (var i = 0; i < sweep.Samples; i++)
        {
            var cell = new List<(string, RawNode)>();
            foreach (var axis in sweep.Axes)
            {
                cell.Add(axis switch
                {
                    SweepAxis.Values v => (v.Path, v.Items[(int)rng.NextLong(0, v.Items.Count - 1)]),
                    SweepAxis.Distribution d => (d.Path, Draw(d, rng)),
                    _ => throw new InvalidOperationException(),
                });
            }
            yield return cell;
        }
    }

    private static RawScalar Draw(SweepAxis.Distribution d, SplitMix64 rng)
    {
        var text = d.Kind switch
        {
            "int_uniform" => rng.NextLong((long)d.Min, (long)d.Max).ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Rounded to 6 significant digits so trial folders and summary cells stay readable.
            "log_uniform" => ConfigWriter.FormatDouble(Round6(Math.Exp(Math.Log(d.Min) + rng.NextDouble() * (Math.Log(d.Max) - Math.Log(d.Min))))),
            _ => ConfigWriter.FormatDouble(Round6(d.Min + rng.NextDouble() * (d.Max - d.Min))),
        };
        return new RawScalar(text, false, d.Mark);
    }

    private static double Round6(double v) => v == 0 ? 0 : Math.Round(v, Math.Max(0, 5 - (int)Math.Floor(Math.Log10(Math.Abs(v)))));
}
