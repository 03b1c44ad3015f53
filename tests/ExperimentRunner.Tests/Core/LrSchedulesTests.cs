using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Schedules;

namespace ExperimentRunner.Tests.Core;

public class LrSchedulesTests
{
    private const double Lr = 0.1;

    private static readonly LrSchedules Schedules = new(Catalogs.Default.Schedulers);

    private static ILrSchedule Create(string name, int epochs = 10, int steps = 1, params (string, object?)[] overrides) =>
        Schedules.Create(CatalogComponents.Scheduler(name, overrides), Lr, epochs, steps);

    public static TheoryData<string> CatalogNames => [.. Catalogs.Default.Schedulers.Names];

    [Theory, MemberData(nameof(CatalogNames))]
    public void Every_catalog_scheduler_builds_and_starts_at_a_positive_rate(string name)
    {
        var schedule = Create(name, 10, 5);
        var first = schedule.LearningRate(0, 0);
        Assert.True(first > 0 && first <= 10 * Lr, $"{name} starts at {first}");
        Assert.Equal(name == "onecycle", schedule.PerStep);
    }

    [Fact]
    public void Factory_covers_exactly_the_catalog()
    {
        Assert.Equal(Catalogs.Default.Schedulers.Names.Order(), Schedules.Names.Order());
        var ex = Assert.Throws<KeyNotFoundException>(() => Schedules.Create(new ExperimentRunner.Core.Config.Settings.SchedulerSettings("sawtooth"), Lr, 10, 1));
        Assert.Equal("unknown scheduler 'sawtooth'; allowed: constant, step, multistep, exponential, cosine, onecycle, reduce_on_plateau, linear_warmup", ex.Message);
    }

    [Fact]
    public void Constant_keeps_the_rate()
    {
        var s = Create("constant");
        Assert.Equal([0.1, 0.1, 0.1], new[] { 0, 5, 100 }.Select(e => s.LearningRate(e, 3)));
        Assert.Empty(s.SaveState());
    }

    [Fact]
    public void Step_decays_every_step_size_epochs()
    {
        // defaults step_size 10, gamma 0.1: 0.1 for epochs 0-9, 0.01 from 10, 0.001 from 20
        var s = Create("step", 30);
        Assert.Equal(0.1, s.LearningRate(9, 0), 1e-15);
        Assert.Equal(0.01, s.LearningRate(10, 0), 1e-15);
        Assert.Equal(0.001, s.LearningRate(25, 0), 1e-15);
        // step_size 3, gamma 0.5: epochs 0-2 0.1, 3-5 0.05, 6-8 0.025
        var half = Create("step", 10, 1, ("step_size", 3L), ("gamma", 0.5));
        Assert.Equal([0.1, 0.05, 0.05, 0.025], new[] { 2, 3, 5, 6 }.Select(e => half.LearningRate(e, 0)));
    }

    [Fact]
    public void Multistep_decays_after_each_milestone_epoch_count()
    {
        // milestones [2, 5]: 2 epochs at 0.1, then 0.01 for epochs 2-4, 0.001 from epoch 5 (PyTorch MultiStepLR)
        var s = Create("multistep", 10, 1, ("milestones", new long[] { 2, 5 }));
        double[] expected = [0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001];
        for (var e = 0; e < expected.Length; e++) Assert.Equal(expected[e], s.LearningRate(e, 0), 1e-15);
    }

    [Fact]
    public void Exponential_multiplies_every_epoch()
    {
        var s = Create("exponential", 10, 1, ("gamma", 0.9));
        Assert.Equal(0.1, s.LearningRate(0, 0), 1e-15);
        Assert.Equal(0.081, s.LearningRate(2, 0), 1e-15); // 0.1 * 0.9^2
    }

    [Fact]
    public void Cosine_follows_pytorch_closed_form()
    {
        var s = Create("cosine", 10);
        Assert.Equal(0.1, s.LearningRate(0, 0), 1e-15);
        Assert.Equal(0.1 * (1 + Math.Cos(Math.PI / 10)) / 2, s.LearningRate(1, 0), 1e-15); // 0.0975528258
        Assert.Equal(0.05, s.LearningRate(5, 0), 1e-15);                                    // midpoint: (lr + 0) / 2
        Assert.Equal(0.0, s.LearningRate(10, 0), 1e-15);
        var floor = Create("cosine", 10, 1, ("eta_min", 0.02));
        Assert.Equal(0.06, floor.LearningRate(5, 0), 1e-15);                                // (0.1 + 0.02) / 2
        var explicitTMax = Create("cosine", 10, 1, ("t_max", 4L));
        Assert.Equal(0.05, explicitTMax.LearningRate(2, 0), 1e-15);
    }

    [Fact]
    public void Cosine_warmup_rises_linearly_then_anneals_over_the_remaining_epochs()
    {
        // warmup 2 from 0.1 * lr: epoch 0 = 0.01, epoch 1 = 0.1 * (0.1 + 0.9 / 2) = 0.055, epoch 2 = lr;
        // t_max = 12 - 2 = 10, so the midpoint is epoch 2 + 5
        var s = Create("cosine", 12, 1, ("warmup_epochs", 2L));
        Assert.Equal(0.01, s.LearningRate(0, 0), 1e-15);
        Assert.Equal(0.055, s.LearningRate(1, 0), 1e-15);
        Assert.Equal(0.1, s.LearningRate(2, 0), 1e-15);
        Assert.Equal(0.05, s.LearningRate(7, 0), 1e-15);
        Assert.Equal(0.0, s.LearningRate(12, 0), 1e-15);
    }

    [Fact]
    public void Linear_warmup_rises_then_holds()
    {
        // warmup 5 from 0.1 * lr: epoch 1 = 0.1 * (0.1 + 0.9 * 1/5) = 0.028
        var s = Create("linear_warmup");
        Assert.Equal(0.01, s.LearningRate(0, 0), 1e-15);
        Assert.Equal(0.028, s.LearningRate(1, 0), 1e-15);
        Assert.Equal(0.1, s.LearningRate(5, 0), 1e-15);
        Assert.Equal(0.1, s.LearningRate(9, 0), 1e-15);
    }

    [Fact]
    public void Onecycle_starts_at_max_over_div_peaks_at_pct_start_and_ends_at_min()
    {
        // 10 epochs x 10 steps = 100 steps; warmup ends at step 0.3 * 100 - 1 = 29 (PyTorch's phase end)
        var s = Create("onecycle", 10, 10, ("max_lr", 1.0));
        Assert.True(s.PerStep);
        Assert.Equal(0.04, s.LearningRate(0, 0), 1e-15);               // 1.0 / 25
        Assert.Equal(1.0, s.LearningRate(2, 9), 1e-15);                // step 29
        Assert.True(s.LearningRate(2, 8) < 1.0 && s.LearningRate(3, 0) < 1.0);
        Assert.Equal((1.0 + 4e-6) / 2, s.LearningRate(6, 4), 1e-15);   // step 64, halfway from 29 to 99 on the cosine
        Assert.Equal(4e-6, s.LearningRate(9, 9), 1e-18);               // 0.04 / 1e4
        Assert.Equal(4e-6, s.LearningRate(12, 0), 1e-18);              // past the plan it stays at the end
    }

    [Fact]
    public void Onecycle_linear_strategy_and_default_max_lr()
    {
        // max_lr unset: 10 x 0.1 = 1.0; linear: step 10 of 29 = 0.04 + (1 - 0.04) * 10/29
        var s = Create("onecycle", 10, 10, ("anneal_strategy", "linear"));
        Assert.Equal(0.04 + 0.96 * 10 / 29, s.LearningRate(1, 0), 1e-15);
        Assert.Equal(1.0, s.LearningRate(2, 9), 1e-15);
        // step 64: 1 + (4e-6 - 1) * (64 - 29) / (99 - 29) = halfway
        Assert.Equal((1.0 + 4e-6) / 2, s.LearningRate(6, 4), 1e-15);
    }

    [Fact]
    public void Plateau_reduces_after_more_than_patience_bad_epochs()
    {
        // patience 2, factor 0.5, relative threshold 0.1: better means below best * 0.9
        var s = Create("reduce_on_plateau", 10, 1, ("patience", 2L), ("factor", 0.5), ("threshold", 0.1));
        Assert.False(s.PerStep);
        double[] valLosses = [1.0, 0.95, 0.92, 0.91, 0.5, 0.6];
        // 1.0 best; 0.95, 0.92, 0.91 are not below 0.9: third bad epoch (> 2) halves the rate; 0.5 is a new best
        double[] ratesAfter = [0.1, 0.1, 0.1, 0.05, 0.05, 0.05];
        for (var e = 0; e < valLosses.Length; e++)
        {
            s.EndEpoch(e, trainLoss: 100, valLoss: valLosses[e]);
            Assert.Equal(ratesAfter[e], s.LearningRate(e + 1, 0), 1e-15);
        }
        Assert.Equal(new Dictionary<string, double> { ["best"] = 0.5, ["bad_epochs"] = 1, ["lr"] = 0.05 }, s.SaveState());
    }

    [Fact]
    public void Plateau_can_watch_the_training_loss_and_stops_at_min_lr()
    {
        var s = Create("plateau", 10, 1, ("monitor", "train_loss"), ("patience", 0L), ("min_lr", 0.05));
        s.EndEpoch(0, trainLoss: 1.0, valLoss: 9.0);
        s.EndEpoch(1, trainLoss: 0.5, valLoss: 9.0);   // train improves: no decay even though val does not
        Assert.Equal(0.1, s.LearningRate(2, 0));
        s.EndEpoch(2, trainLoss: 0.5, valLoss: 0.1);   // no train improvement, patience 0: max(0.01, 0.05)
        Assert.Equal(0.05, s.LearningRate(3, 0), 1e-15);
        s.EndEpoch(3, trainLoss: 0.5, valLoss: 0.1);
        Assert.Equal(0.05, s.LearningRate(4, 0), 1e-15);
    }

    [Fact]
    public void Plateau_state_round_trips_and_the_resumed_run_continues_identically()
    {
        // patience 1: every second non-improving epoch decays; saved mid-plateau (one bad epoch counted)
        double[] losses = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5];
        var original = Create("reduce_on_plateau", 10, 1, ("patience", 1L));
        var fresh = Create("reduce_on_plateau");
        Assert.Equal(double.PositiveInfinity, fresh.SaveState()["best"]);
        for (var e = 0; e < 4; e++) original.EndEpoch(e, 0, losses[e]);
        Assert.Equal(new Dictionary<string, double> { ["best"] = 1.0, ["bad_epochs"] = 1, ["lr"] = 0.1 * 0.1 }, original.SaveState());

        var resumed = Create("reduce_on_plateau", 10, 1, ("patience", 1L));
        resumed.LoadState(original.SaveState());
        Assert.Equal(original.SaveState(), resumed.SaveState());
        for (var e = 4; e < losses.Length; e++)
        {
            original.EndEpoch(e, 0, losses[e]);
            resumed.EndEpoch(e, 0, losses[e]);
            Assert.Equal(original.LearningRate(e + 1, 0), resumed.LearningRate(e + 1, 0));
        }
        Assert.Equal(1e-4, resumed.LearningRate(10, 0), 1e-15); // decays after epochs 2, 4 and 8
        Assert.Throws<ArgumentException>(() => resumed.LoadState(new Dictionary<string, double> { ["best"] = 1 }));
    }
}
