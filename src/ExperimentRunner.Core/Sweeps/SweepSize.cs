using System.Globalization;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Sweeps;

/// <summary>
/// How many trials a sweep expands to, checked before it is expanded: a grid multiplies its lists, so a few long lists
/// and 10000 seeds made validate build and bind millions of trials until killed. The limit is far above a real study
/// (the shipped ablation has 90) and keeps validate within seconds.
/// </summary>
public static class SweepSize
{
    public const int MaxTrials = 10_000;

    /// <summary>Trials before exclusions (which are matched after expansion); a double, since a grid can overflow a long.</summary>
    public static double Trials(SweepSpec sweep)
    {
        var lists = sweep.Axes.OfType<SweepAxis.Values>().Select(a => (double)a.Items.Count).ToList();
        var cells = sweep.Method switch
        {
            SweepMethod.Grid => lists.Aggregate(1.0, (product, n) => product * n),
            SweepMethod.Zip => lists.Count == 0 ? 0 : lists.Min(),
            _ => sweep.Samples,
        };
        // Tuning binds every setting of a cell at the tuning seed and at each reported seed (only the chosen one runs).
        var settings = sweep.Tune?.Budget ?? 1;
        return cells * settings * (sweep.Seeds.Count + (sweep.Tune is null ? 0 : 1));
    }

    public static void Check(SweepSpec sweep, SourceMark mark, ProblemBag problems)
    {
        var trials = Trials(sweep);
        if (trials <= MaxTrials) return;
        var method = sweep.Method.ToString().ToLowerInvariant();
        var perCell = sweep.Tune is { } tune
            ? $"{tune.Budget} tuned setting{(tune.Budget == 1 ? "" : "s")} x ({sweep.Seeds.Count} seed{(sweep.Seeds.Count == 1 ? "" : "s")} + the tuning seed)"
            : $"{sweep.Seeds.Count} seed{(sweep.Seeds.Count == 1 ? "" : "s")}";
        var cells = trials / ((sweep.Tune?.Budget ?? 1) * (sweep.Seeds.Count + (sweep.Tune is null ? 0 : 1)));
        problems.Error(mark, "sweep", string.Create(CultureInfo.InvariantCulture,
            $"expands to {trials:#,0} trials ({method}: {cells:#,0} cells x {perCell}); a sweep may have at most {MaxTrials:#,0}: sweep fewer values or seeds, or split it into several experiments"));
    }
}
