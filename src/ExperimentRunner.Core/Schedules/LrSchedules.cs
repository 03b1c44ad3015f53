using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Schedules;

/// <summary>
/// Builds the learning-rate schedule a scheduler component names. Epochs are 0-based and the rate of
/// epoch e is what PyTorch's scheduler gives after e calls of scheduler.step() (one per epoch; one per
/// batch for onecycle), so curves can be compared with PyTorch runs.
/// </summary>
public static class LrSchedules
{
    private sealed record Run(double BaseLr, int Epochs, int StepsPerEpoch);

    private static readonly IReadOnlyDictionary<string, Func<Component, Run, ILrSchedule>> Factories =
        new Dictionary<string, Func<Component, Run, ILrSchedule>>(StringComparer.OrdinalIgnoreCase)
        {
            ["constant"] = (_, run) => new EpochSchedule(_ => run.BaseLr),
            ["step"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Float("gamma"), e / c.Int32("step_size"))),
            ["multistep"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Float("gamma"), c.Ints("milestones").Count(m => m <= e))),
            ["exponential"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Float("gamma"), e)),
            ["cosine"] = Cosine,
            ["onecycle"] = (c, run) => new OneCycleSchedule(
                c.FloatOrNull("max_lr") ?? 10 * run.BaseLr, c.Float("pct_start"), c.String("anneal_strategy") == "cos",
                c.Float("div_factor"), c.Float("final_div_factor"), run.Epochs, run.StepsPerEpoch),
            ["reduce_on_plateau"] = (c, run) => new PlateauSchedule(
                run.BaseLr, c.String("monitor") == "val_loss", c.Float("factor"), c.Int32("patience"), c.Float("threshold"), c.Float("min_lr")),
            ["linear_warmup"] = (c, run) => new EpochSchedule(e => Warmup(run.BaseLr, c.Float("start_factor"), c.Int32("warmup_epochs"), e)),
        };

    /// <summary>Every scheduler name this factory builds (the catalog's canonical names).</summary>
    public static IReadOnlyCollection<string> Names => [.. Factories.Keys];

    public static ILrSchedule Create(Component scheduler, double baseLr, int epochs, int stepsPerEpoch)
    {
        // Resolve aliases (plateau, one_cycle, ...) so a hand-built component works like a bound one.
        var name = Catalogs.Default.Schedulers.TryGet(scheduler.Name, out var entry) ? entry.Name : scheduler.Name;
        if (!Factories.TryGetValue(name, out var create))
            throw new ArgumentException($"unknown scheduler '{scheduler.Name}'; valid: {string.Join(", ", Factories.Keys)}", nameof(scheduler));
        return create(scheduler, new Run(baseLr, epochs, stepsPerEpoch));
    }

    private static double Decayed(double lr, double gamma, int decays) => lr * Math.Pow(gamma, decays);

    /// <summary>PyTorch LinearLR: start_factor * lr at epoch 0, lr from warmup_epochs on.</summary>
    private static double Warmup(double lr, double startFactor, int warmupEpochs, int epoch) =>
        lr * (startFactor + (1 - startFactor) * Math.Min(epoch, warmupEpochs) / warmupEpochs);

    /// <summary>
    /// Optional linear warmup, then PyTorch CosineAnnealingLR's closed form
    /// eta_min + (lr - eta_min) (1 + cos(pi t / t_max)) / 2 with t counted from the end of the warmup.
    /// </summary>
    private static EpochSchedule Cosine(Component c, Run run)
    {
        var warmup = c.Int32("warmup_epochs");
        var startFactor = c.Float("start_factor");
        var etaMin = c.Float("eta_min");
        var tMax = c.Int32("t_max") > 0 ? c.Int32("t_max") : Math.Max(1, run.Epochs - warmup);
        return new EpochSchedule(e => e < warmup
            ? Warmup(run.BaseLr, startFactor, warmup, e)
            : etaMin + (run.BaseLr - etaMin) * (1 + Math.Cos(Math.PI * (e - warmup) / tMax)) / 2);
    }
}
