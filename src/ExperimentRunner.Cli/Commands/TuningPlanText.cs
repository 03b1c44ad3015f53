using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Core.Tuning;

namespace ExperimentRunner.Cli.Commands;

/// <summary>What <c>--dry-run</c> prints for a tuned sweep: the settings, the rule and its checkpoints, the cells and the most it can cost.</summary>
public static class TuningPlanText
{
    public static void Write(TextWriter output, LoadedExperiment experiment, TuningPlan plan, IReadOnlyList<TuningCell> cells)
    {
        var stopping = plan.Spec.Stopping;
        var rule = stopping.Rule switch
        {
            StoppingRule.Asha => $"asha, reduction factor {stopping.ReductionFactor}",
            StoppingRule.Median => "median stopping rule",
            _ => "no early stopping",
        };
        output.WriteLine($"tuning plan of experiment '{experiment.Name}': {plan.Spec.Metric} picks each cell's setting ({rule})");
        output.WriteLine($"{Counted.Of(plan.Settings.Count, "setting")}, the same in every cell, each tried at seed {plan.Spec.Seed}:");
        for (var s = 0; s < plan.Settings.Count; s++)
            output.WriteLine($"  {s,3}  {string.Join(", ", plan.Settings[s].Select(v => $"{v.Key}={v.Display}"))}");
        output.WriteLine($"{Counted.Of(cells.Count, "cell")}:");
        foreach (var cell in cells)
        {
            var checkpoints = stopping.Checkpoints(cell.MaxEpochs);
            var at = checkpoints.Count == 0 ? "" : $"; checkpoints after epoch{(checkpoints.Count == 1 ? "" : "s")} {string.Join(", ", checkpoints)}";
            output.WriteLine($"  {cell.Index,3}  {cell.Label}: {Counted.Of(cell.Candidates.Count, "tuning trial")} of up to {Counted.Of(cell.MaxEpochs, "epoch")}{at}; at most {plan.MaxEpochs(cell)} of {TuningPlan.ExhaustiveEpochs(cell)} epochs");
        }
        var most = cells.Sum(plan.MaxEpochs);
        var exhaustive = cells.Sum(TuningPlan.ExhaustiveEpochs);
        var seeds = cells.Count == 0 ? 0 : plan.SeedsPerCell;
        output.WriteLine($"budget: at most {most} tuning epochs (an exhaustive search of the same settings: {exhaustive}), then {Counted.Of(seeds, "seed")} per cell at its chosen setting: {Counted.Of(cells.Count * seeds, "reported trial")}");
    }
}
