using ExperimentRunner.Core.Tuning;

namespace ExperimentRunner.Tests.Tuning;

/// <summary>The stopping rules and the cell tuner on scripted curves: no training, every decision known in advance.</summary>
public sealed class StoppingRuleTests
{
    private static CandidateCurve Curve(int setting, double[] values, CandidateState state = CandidateState.Open, bool higher = false) =>
        new(setting, values, state, higher);

    /// <summary>A curve that stays at <paramref name="value"/> for <paramref name="epochs"/> epochs.</summary>
    private static CandidateCurve Flat(int setting, double value, int epochs, CandidateState state = CandidateState.Open) =>
        Curve(setting, Enumerable.Repeat(value, epochs).ToArray(), state);

    [Theory]
    [InlineData(12, 3, 4)]
    [InlineData(4, 3, 1)]
    [InlineData(2, 3, 1)]
    [InlineData(1, 3, 1)]
    [InlineData(9, 2, 4)]
    [InlineData(10, 4, 2)]
    public void Asha_keeps_the_best_share_of_a_rung_and_never_none(int count, int eta, int kept) =>
        Assert.Equal(kept, AshaRule.Kept(count, eta));

    [Fact]
    public void Asha_promotes_the_lowest_scores_up_to_the_rung()
    {
        // Scores at epoch 3 (lower is better): settings 4, 1 and 7 are the best three of nine.
        double[] at3 = [0.9, 0.2, 0.8, 0.7, 0.1, 0.6, 0.5, 0.3, 0.95];
        var alive = at3.Select((v, i) => Curve(i, [1.0, 1.0, v, 0.0])).ToList(); // epoch 4 (0.0) lies beyond the rung: unseen
        Assert.Equal(new HashSet<int> { 4, 1, 7 }, new AshaRule(3).Survivors(3, alive));
    }

    [Fact]
    public void Asha_breaks_ties_by_setting_order_whatever_order_the_curves_come_in()
    {
        var curves = new[] { Flat(5, 0.4, 3), Flat(2, 0.4, 3), Flat(0, 0.5, 3), Flat(9, 0.4, 3), Flat(1, 0.6, 3), Flat(3, 0.7, 3) };
        var rule = new AshaRule(3);
        Assert.Equal(new HashSet<int> { 2, 5 }, rule.Survivors(3, curves));
        Assert.Equal(new HashSet<int> { 2, 5 }, rule.Survivors(3, curves.Reverse().ToList()));
    }

    [Fact]
    public void Higher_is_better_metrics_and_broken_trials_score_the_right_way()
    {
        var accuracy = new[] { Curve(0, [0.5, 0.9], higher: true), Curve(1, [0.7, 0.6], higher: true), Curve(2, [0.99], CandidateState.Broken, higher: true) };
        Assert.Equal(-0.9, accuracy[0].Score(2));
        Assert.Equal(-0.7, accuracy[1].Score(2));
        Assert.Equal(double.PositiveInfinity, accuracy[2].Score(2)); // diverged or failed: never promoted over a trial that trained
        Assert.Equal(new HashSet<int> { 0 }, new AshaRule(3).Survivors(2, accuracy));
        Assert.Equal(double.PositiveInfinity, Curve(3, [double.NaN, double.NaN]).Score(2));
    }

    [Fact]
    public void Median_rule_stops_a_trial_whose_best_is_worse_than_the_median_of_the_others_running_averages()
    {
        // Running averages at epoch 2: s0 0.5, s1 0.65, s2 0.85, s3 1.0. Bests: 0.4, 0.6, 0.8, 0.9.
        var alive = new[] { Curve(0, [0.6, 0.4]), Curve(1, [0.7, 0.6]), Curve(2, [0.9, 0.8]), Curve(3, [1.1, 0.9]) };
        // s2: median of others (0.5, 0.65, 1.0) = 0.65 < 0.8: stopped. s3: median (0.5, 0.65, 0.85) = 0.65 < 0.9: stopped.
        // s1: median (0.5, 0.85, 1.0) = 0.85 > 0.6: kept. s0: kept.
        Assert.Equal(new HashSet<int> { 0, 1 }, new MedianRule().Survivors(2, alive));
    }

    [Fact]
    public void Median_rule_keeps_a_trial_equal_to_the_median_and_a_lone_trial()
    {
        var alive = new[] { Curve(0, [0.5]), Curve(1, [0.5]), Curve(2, [0.5]) };
        Assert.Equal(new HashSet<int> { 0, 1, 2 }, new MedianRule().Survivors(1, alive));
        Assert.Equal(new HashSet<int> { 7 }, new MedianRule().Survivors(1, [Curve(7, [9.0])]));
    }

    [Theory]
    [InlineData(27, 3, null, new[] { 3, 9 })]
    [InlineData(20, 3, null, new[] { 2, 6, 18 })]
    [InlineData(30, 2, 4, new[] { 4, 8, 16 })]
    [InlineData(9, 3, 1, new[] { 1, 3 })]
    public void Asha_checkpoints_are_geometric_below_the_last_epoch(int epochs, int eta, int? min, int[] expected) =>
        Assert.Equal(expected, new StoppingSpec(StoppingRule.Asha, eta, min).Checkpoints(epochs));

    [Fact]
    public void Median_checkpoints_follow_the_interval_and_none_has_none()
    {
        Assert.Equal([3, 5, 7, 9], new StoppingSpec(StoppingRule.Median, MinEpochs: 3, Interval: 2).Checkpoints(10));
        Assert.Empty(new StoppingSpec(StoppingRule.None).Checkpoints(10));
    }

    [Fact]
    public void The_cell_tuner_walks_the_rungs_and_chooses_among_the_trials_that_reached_the_end()
    {
        var stopping = new StoppingSpec(StoppingRule.Asha, 3, MinEpochs: 1);
        // Nothing trained yet: all six to the first rung.
        var step = CellTuner.Next(Enumerable.Range(0, 6).Select(s => Curve(s, [])).ToList(), stopping, 9);
        Assert.Equal(Enumerable.Range(0, 6).Select(s => new TrainOrder(s, 1)), step.Train);
        Assert.Null(step.Chosen);

        // Rung 1 in: the best two (settings 3 and 1) go on to epoch 3, four are pruned at epoch 1.
        double[] rung1 = [0.9, 0.3, 0.8, 0.2, 0.7, 0.6];
        var curves = rung1.Select((v, s) => Curve(s, [v])).ToList();
        step = CellTuner.Next(curves, stopping, 9);
        Assert.Equal([new TrainOrder(1, 3), new TrainOrder(3, 3)], step.Train);
        Assert.Equal([(0, 1), (2, 1), (4, 1), (5, 1)], step.Prune);

        // Pruned as recorded, the two survivors at epoch 3: setting 1 overtakes 3 and is the only one kept (6 -> 2 -> 1).
        curves = curves.Select(c => c.Setting is 1 or 3 ? c : c with { State = CandidateState.Pruned }).ToList();
        curves[1] = Curve(1, [0.3, 0.2, 0.1]);
        curves[3] = Curve(3, [0.2, 0.2, 0.2]);
        step = CellTuner.Next(curves, stopping, 9);
        Assert.Equal([new TrainOrder(1, null)], step.Train);
        Assert.Equal([(3, 3)], step.Prune); // the prunes of rung 1 are on record already and not repeated
        curves[3] = curves[3] with { State = CandidateState.Pruned };
        Assert.Empty(CellTuner.Next(curves, stopping, 9).Prune);

        // Setting 1 finished: chosen, with every decision on record.
        curves[1] = Curve(1, [0.3, 0.2, 0.1, 0.1, 0.09, 0.08, 0.08, 0.08, 0.08], CandidateState.Finished);
        step = CellTuner.Next(curves, stopping, 9);
        Assert.Empty(step.Train);
        Assert.Equal(1, step.Chosen);
        Assert.Equal(6 + 2 + 1, step.Decisions.Count);
        Assert.Equal(["pruned", "promoted", "pruned", "promoted", "pruned", "pruned"], step.Decisions.Take(6).Select(d => d.Outcome));
        Assert.Equal(new TuningDecision(9, 1, 0.08, "chosen"), step.Decisions[^1]);
    }

    [Fact]
    public void A_trial_that_stopped_on_its_own_before_a_rung_is_finished_not_pruned_and_no_one_waits_for_it()
    {
        var stopping = new StoppingSpec(StoppingRule.Asha, 3, MinEpochs: 3);
        var curves = new List<CandidateCurve>
        {
            Curve(0, [0.9, 0.95], CandidateState.Finished), // early-stopped after two epochs
            Curve(1, [0.5, 0.4, 0.3]),
            Curve(2, [0.6, 0.6, 0.6]),
        };
        var step = CellTuner.Next(curves, stopping, 9);
        Assert.Equal([new TrainOrder(1, null)], step.Train);
        Assert.Equal([(2, 3)], step.Prune);
        Assert.Equal(["finished", "promoted", "pruned"], step.Decisions.Select(d => d.Outcome));
    }

    [Fact]
    public void Without_stopping_every_setting_trains_in_full_and_the_best_final_value_wins_ties_to_the_first()
    {
        var stopping = new StoppingSpec(StoppingRule.None);
        var step = CellTuner.Next([Curve(0, []), Curve(1, [0.5])], stopping, 4);
        Assert.Equal([new TrainOrder(0, null), new TrainOrder(1, null)], step.Train);
        step = CellTuner.Next([Flat(0, 0.3, 4, CandidateState.Finished), Flat(1, 0.3, 4, CandidateState.Finished), Flat(2, 0.2, 4, CandidateState.Broken)], stopping, 4);
        Assert.Equal(0, step.Chosen);
    }
}
