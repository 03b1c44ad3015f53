using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Schedules;

/// <summary>
/// Builds the learning-rate schedule a scheduler component names. Epochs are 0-based and the rate of
/// epoch e is what PyTorch's scheduler gives after e calls of scheduler.step() (one per epoch; one per
/// batch for onecycle), so curves can be compared with PyTorch runs.
/// </summary>
public sealed class LrSchedules
{
    private sealed record Run(double BaseLr, int Epochs, int StepsPerEpoch);

    private readonly FactoryTable<Func<SchedulerSettings, Run, ILrSchedule>> _factories;

    public LrSchedules(Registry<CatalogEntry> schedulers) => _factories = new(schedulers, Builders);

    private static readonly Dictionary<string, Func<SchedulerSettings, Run, ILrSchedule>> Builders = new()
        {
            ["constant"] = (_, run) => new EpochSchedule(_ => run.BaseLr),
            ["step"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Gamma!.Value, e / c.StepSize!.Value)),
            ["multistep"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Gamma!.Value, c.Milestones!.Count(m => m <= e))),
            ["exponential"] = (c, run) => new EpochSchedule(e => Decayed(run.BaseLr, c.Gamma!.Value, e)),
            ["cosine"] = Cosine,
            ["onecycle"] = (c, run) => new OneCycleSchedule(
                c.MaxLr ?? 10 * run.BaseLr, c.PctStart!.Value, c.AnnealStrategy == "cos",
                c.DivFactor!.Value, c.FinalDivFactor!.Value, run.Epochs, run.StepsPerEpoch),
            ["reduce_on_plateau"] = (c, run) => new PlateauSchedule(
                run.BaseLr, c.Monitor == "val_loss", c.Factor!.Value, c.Patience!.Value, c.Threshold!.Value, c.MinLr!.Value),
            ["linear_warmup"] = (c, run) => new EpochSchedule(e => Warmup(run.BaseLr, c.StartFactor!.Value, c.WarmupEpochs!.Value, e)),
        };

    /// <summary>Every scheduler name this factory builds (the catalog's canonical names).</summary>
    public IReadOnlyCollection<string> Names => _factories.Names;

    /// <param name="scheduler">Bound settings: its name is the catalog's canonical name.</param>
    public ILrSchedule Create(SchedulerSettings scheduler, double baseLr, int epochs, int stepsPerEpoch) =>
        _factories.For(scheduler.Name)(scheduler, new Run(baseLr, epochs, stepsPerEpoch));

    private static double Decayed(double lr, double gamma, int decays) => lr * Math.Pow(gamma, decays);

    /// <summary>PyTorch LinearLR: start_factor * lr at epoch 0, lr from warmup_epochs on.</summary>
    private static double Warmup(double lr, double startFactor, int warmupEpochs, int epoch) =>
        lr * (startFactor + (1 - startFactor) * Math.Min(epoch, warmupEpochs) / warmupEpochs);

    /// <summary>
    /// Optional linear warmup, then PyTorch CosineAnnealingLR's closed form
    /// eta_min + (lr - eta_min) (1 + cos(pi t / t_max)) / 2 with t counted from the end of the warmup.
    /// </summary>
    private static EpochSchedule Cosine(SchedulerSettings c, Run run)
    {
        var warmup = c.WarmupEpochs!.Value;
        var startFactor = c.StartFactor!.Value;
        var etaMin = c.EtaMin!.Value;
        var tMax = c.TMax > 0 ? c.TMax.Value : Math.Max(1, run.Epochs - warmup);
        return new EpochSchedule(e => e < warmup
            ? Warmup(run.BaseLr, startFactor, warmup, e)
            : etaMin + (run.BaseLr - etaMin) * (1 + Math.Cos(Math.PI * (e - warmup) / tMax)) / 2);
    }
}
