using ExperimentRunner.Core.Tuning;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Tuning;

/// <summary>sweep.tune as validate sees it: the plan it builds, and every mistake named with key, value and what is allowed.</summary>
public sealed class TuneConfigTests
{
    private const string Base = """
        name: tuned
        seed: 1
        dataset: {name: spirals, samples: 120, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [8], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 9, batch_size: 32}
        metrics: [accuracy]
        sweep:
          parameters:
            loss: [cross_entropy, mse]
            model.activation: [relu, tanh]
          seeds: [1, 2, 3]
          tune:
        """;

    private static string With(string tune) => Base + "\n" + string.Join("\n", tune.Split('\n').Select(l => "    " + l));

    private static IReadOnlyList<string> Errors(string tune, params string[] overrides) =>
        Experiments.Problems(With(tune), "/data", overrides).Select(p => p.ToString()).ToList();

    [Fact]
    public void Every_cell_tries_the_same_settings_at_a_seed_of_its_own_and_reports_its_seeds()
    {
        var experiment = Experiments.Load(With("parameters: {optimizer.lr: [0.001, 0.01, 0.1]}"), "/data");
        var plan = Assert.IsType<TuningPlan>(experiment.Tuning);
        Assert.Equal(4, plan.Cells.Count);
        Assert.Equal(["optimizer.lr=0.001", "optimizer.lr=0.01", "optimizer.lr=0.1"], plan.Settings.Select(s => $"{s[0].Key}={s[0].Display}"));
        Assert.All(plan.Candidates, t => Assert.Equal(0, t.Spec.Seed)); // seeds 1-3 are reported, so tuning runs at 0
        Assert.All(plan.Cells, c => Assert.Equal([0.001, 0.01, 0.1], c.Candidates.Select(t => t.Spec.Optimizer.Lr)));
        Assert.All(plan.Cells, c => Assert.All(c.Finals, f => Assert.Equal([1L, 2L, 3L], f.Select(t => t.Spec.Seed))));
        Assert.Equal(4 * 3 * 3, experiment.Trials.Count); // every setting a cell could pick, at every seed; only the picked one runs
        Assert.Equal(["loss", "model.activation", "optimizer.lr"], experiment.SweptKeys); // the chosen setting is a summary column
        Assert.Equal("val_loss", plan.Spec.Metric);
        Assert.False(plan.HigherIsBetter);
        Assert.Equal(StoppingRule.Asha, plan.Spec.Stopping.Rule);
        // 3 settings at rung 1 (9/3/3), 1 kept to rung 3, then to 9: 3 + 1*2 + 1*6.
        Assert.Equal(11, plan.MaxEpochs(plan.Cells[0]));
        Assert.Equal(27, TuningPlan.ExhaustiveEpochs(plan.Cells[0]));
    }

    [Fact]
    public void A_budget_below_the_grid_draws_distinct_settings_and_distributions_draw_the_budget()
    {
        var grid = Experiments.Load(With("parameters: {optimizer.lr: [0.001, 0.003, 0.01, 0.03, 0.1], training.batch_size: [16, 32]}\nbudget: 4"), "/data").Tuning!;
        Assert.Equal(4, grid.Settings.Select(s => string.Join(",", s.Select(v => v.Display))).Distinct().Count());
        var drawn = Experiments.Load(With("parameters: {optimizer.lr: {distribution: log_uniform, min: 0.0001, max: 0.1}}\nbudget: 6\nsampler_seed: 5"), "/data").Tuning!;
        Assert.Equal(6, drawn.Settings.Count);
        Assert.All(drawn.Settings, s => Assert.InRange(double.Parse(s[0].Display, System.Globalization.CultureInfo.InvariantCulture), 0.0001, 0.1));
        var again = Experiments.Load(With("parameters: {optimizer.lr: {distribution: log_uniform, min: 0.0001, max: 0.1}}\nbudget: 6\nsampler_seed: 5"), "/data").Tuning!;
        Assert.Equal(drawn.Settings.Select(s => s[0].Display), again.Settings.Select(s => s[0].Display));
    }

    [Fact]
    public void Max_epochs_caps_the_tuning_trials_only()
    {
        var experiment = Experiments.Load(With("parameters: {optimizer.lr: [0.01, 0.1]}\nstopping: {name: asha, min_epochs: 1, max_epochs: 3}"), "/data");
        Assert.All(experiment.Tuning!.Candidates, t => Assert.Equal(3, t.Spec.Training.Epochs));
        Assert.All(experiment.Trials, t => Assert.Equal(9, t.Spec.Training.Epochs));
    }

    [Theory]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nmetric: test_accuracy", "sweep.tune.metric: 'test_accuracy' is not allowed; tuning picks by a validation value: val_loss or val_<metric> (e.g. val_accuracy), never a test metric")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nmetric: val_f1_macro", "sweep.tune.metric: 'val_f1_macro' is not recorded by these trials; allowed: val_loss, val_accuracy")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nmetrc: val_loss", "sweep.tune.metrc: unknown key 'metrc' (did you mean 'metric'?); allowed: parameters, budget, metric, seed, sampler_seed, stopping")]
    [InlineData("parameters: {loss: [mse]}", "sweep.tune.parameters.loss: 'loss' is swept already; a key is either swept (every value is a cell) or tuned (the best value per cell is picked), not both")]
    [InlineData("parameters: {optimizer.lr: [0.01, 0.1]}\nbudget: 3", "sweep.tune.budget: 3 is more than the 2 settings the lists give; give at most 2 (or a distribution to draw from)")]
    [InlineData("parameters: {optimizer.lr: {distribution: uniform, min: 0.001, max: 0.1}}", "sweep.tune.budget: tuning with a distribution needs budget: N (how many settings each cell tries)")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nseed: 2", "sweep.tune.seed: 2 is one of the sweep's seeds (1, 2, 3); tuning runs at a seed of its own, so the reported seeds are fresh draws")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nstopping: hyperband", "sweep.tune.stopping: 'hyperband' is not allowed; allowed: asha, median, none (asha: successive halving; median: Vizier's median rule; none: every setting in full)")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nstopping: {name: asha, reduction_factor: 1}", "sweep.tune.stopping.reduction_factor: 1 would keep every trial at every rung; give 2 or more (3 keeps the best third)")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nstopping: {name: median, reduction_factor: 2}", "sweep.tune.stopping.reduction_factor: reduction_factor belongs to asha (this rule is median)")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nstopping: {name: asha, min_epochs: 9}", "sweep.tune.stopping.min_epochs: the first checkpoint (min_epochs 9) is not before the tuning trials' last epoch (9), so nothing could be stopped early; give a smaller min_epochs, more epochs, or stopping: none")]
    [InlineData("parameters: {optimizer.lr: [0.01]}\nstopping: {name: asha, min_epochs: 3, max_epochs: 2}", "sweep.tune.stopping.max_epochs: 2 is not above min_epochs (3); the first rung must come before the last")]
    [InlineData("parameters: {optimizer.lr: [0.01, -1.0]}", "optimizer.lr")]
    public void Mistakes_are_named_with_key_value_and_what_is_allowed(string tune, string expected) =>
        Assert.Contains(Errors(tune), e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void A_tuned_value_that_does_not_bind_is_reported_for_the_trials_that_have_it()
    {
        var errors = Errors("parameters: {optimizer.lr: [0.01, -1.0]}");
        Assert.Contains(errors, e => e.Contains("optimizer.lr", StringComparison.Ordinal) && e.Contains("-1", StringComparison.Ordinal) && e.Contains("optimizer.lr=-1.0", StringComparison.Ordinal));
    }
}
