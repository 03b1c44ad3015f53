using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Tuning;
using ExperimentRunner.Tests.Sweeps;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Tuning;

/// <summary>A tuned sweep trained end to end: what it writes, and that its decisions do not depend on how it ran.</summary>
[Collection(TorchCollection.Name)]
public sealed class TuningRunTests
{
    /// <summary>2 cells x 6 learning rates, 2 reported seeds; asha with rungs after epochs 1 and 3 of 9.</summary>
    public const string Tuned = """
        name: tuned
        seed: 1
        dataset: {name: spirals, samples: 300, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [16, 16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 9, batch_size: 32}
        metrics: [accuracy]
        checkpoint: {formats: [safetensors], keep: [best], state_interval: 0}
        diagnostics: {layer_stats: false}
        sweep:
          parameters:
            loss: [cross_entropy, mse]
          seeds: [1, 2]
          tune:
            parameters: {optimizer.lr: [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1]}
            metric: val_accuracy
        """;

    private static string Dir(string output) => Path.Combine(output, "tuned");

    private static string Tuning(string output, string file = "") => Path.Combine(Dir(output), TuningPlan.FolderName, file);

    [Fact]
    public void A_tuned_sweep_reports_each_cells_seeds_at_its_chosen_setting_and_keeps_the_tuning_trials()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned);
        var (code, output, error) = SweepHarness.Cli("run", file, "-o", dir.Path);
        Assert.True(code == 0, output + error);
        Assert.Contains("tuning round 1: 12 tuning trials to epoch 1", output);
        Assert.Contains("tuning round 2: 4 tuning trials to epoch 3", output);
        Assert.Contains("tuning round 3: 2 tuning trials to the end", output);
        Assert.Contains("tuning round 4: 4 reported trials at chosen settings", output);
        Assert.Contains("tuning spent 32 epochs, 30% of the 108 an exhaustive search takes", output);

        var choices = CsvText.Read(Tuning(dir.Path, TuningRecords.ChoicesFile));
        Assert.Equal(["loss", "state", "optimizer.lr", "val_accuracy", "rule", "settings", "pruned", "epochs_spent", "epochs_exhaustive"], choices.Header);
        Assert.Equal(2, choices.Rows.Count);
        Assert.All(choices.Rows, r => Assert.Equal(["chosen", "asha", "6", "5", "16", "54"], [r[1], r[4], r[5], r[6], r[7], r[8]]));

        // The reported trials: the chosen setting per cell is a column, seeds 1 and 2, all scored on the test split.
        var summary = CsvText.Read(Path.Combine(Dir(dir.Path), SummaryCsv.FileName));
        int Col(string name) => summary.Header.ToList().IndexOf(name);
        Assert.Equal(4, summary.Rows.Count);
        foreach (var row in summary.Rows)
        {
            var chosen = choices.Rows.Single(c => c[0] == row[Col("loss")])[2];
            Assert.Equal(chosen, row[Col("optimizer.lr")]);
            Assert.Equal("completed", row[Col("status")]);
            Assert.NotEqual("", row[Col("test_accuracy")]);
        }
        Assert.Equal(["1", "2", "1", "2"], summary.Rows.Select(r => r[Col("seed")]));
        var aggregate = CsvText.Read(Path.Combine(Dir(dir.Path), AggregateCsv.FileName));
        Assert.Equal(2, aggregate.Rows.Count); // one row per cell: only the chosen setting ran

        // The tuning trials: pruned ones say so with their epoch, never scored on the test split, never in an aggregate.
        var candidates = SweepHarness.Manifests(Tuning(dir.Path)).ToList();
        Assert.Equal(12, candidates.Count);
        var pruned = candidates.Where(m => m.StatusValue == TrialStatus.Pruned).ToList();
        Assert.Equal(10, pruned.Count);
        Assert.All(pruned, m => Assert.Equal(m.PrunedEpoch, m.Epochs));
        Assert.Equal(8, pruned.Count(m => m.PrunedEpoch == 1));
        Assert.Equal(2, pruned.Count(m => m.PrunedEpoch == 3));
        Assert.All(candidates, m => Assert.Null(m.TestLoss));
        Assert.All(candidates, m => Assert.Equal(0L, m.Seed));
        var tuningSummary = CsvText.Read(Tuning(dir.Path, SummaryCsv.FileName));
        Assert.Equal(10, tuningSummary.Rows.Count(r => r[1] == "pruned"));
        var tuningAggregate = CsvText.Read(Tuning(dir.Path, AggregateCsv.FileName));
        var n = tuningAggregate.Header.ToList().IndexOf("n");
        Assert.Equal(2, tuningAggregate.Rows.Sum(r => int.Parse(r[n], CultureInfo.InvariantCulture)));

        // The decisions: 12 at rung 1, 4 at rung 3, one choice per cell.
        var decisions = CsvText.Read(Tuning(dir.Path, TuningRecords.DecisionsFile));
        Assert.Equal(12 + 4 + 2, decisions.Rows.Count);
        Assert.Equal(2, decisions.Rows.Count(r => r[^1] == "chosen"));

        // The report names the tuned key as chosen per cell, not as a swept axis.
        var report = SweepHarness.Cli("report", Dir(dir.Path), "-o", dir.Combine("report.html"));
        Assert.Equal(0, report.Code);
        Assert.Contains("<dt>tuned optimizer.lr</dt>", File.ReadAllText(dir.Combine("report.html")));
        Assert.DoesNotContain("<dt>swept optimizer.lr</dt>", File.ReadAllText(dir.Combine("report.html")));

        // Run again: nothing to do, nothing rewritten.
        var before = File.ReadAllText(Tuning(dir.Path, TuningRecords.DecisionsFile));
        var again = SweepHarness.Cli("run", file, "-o", dir.Path);
        Assert.Equal(0, again.Code);
        Assert.Contains("every cell is tuned and its trials are finished", again.Out);
        Assert.Equal(before, File.ReadAllText(Tuning(dir.Path, TuningRecords.DecisionsFile)));
    }

    [Fact]
    public void A_trial_stopped_at_checkpoints_and_sent_on_trains_exactly_as_one_never_stopped()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("asha")).Code);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("none"), "--set", "sweep.tune.stopping=none").Code);
        var chosen = SweepHarness.Manifests(Tuning(dir.Combine("asha"))).Where(m => m.StatusValue == TrialStatus.Completed).ToList();
        Assert.Equal(2, chosen.Count);
        foreach (var m in chosen)
        {
            // The same configuration, so the same id: trained 1 + 2 + 6 epochs in three runs here, 9 in one there.
            var stopped = SweepHarness.WithoutTimes(Path.Combine(Tuning(dir.Combine("asha")), "trials", m.Trial, MetricsCsv.FileName));
            var whole = SweepHarness.WithoutTimes(Path.Combine(Tuning(dir.Combine("none")), "trials", m.Trial, MetricsCsv.FileName));
            Assert.Equal(10, stopped.Count);
            Assert.Equal(whole, stopped);
        }
        var none = CsvText.Read(Path.Combine(Tuning(dir.Combine("none")), TuningRecords.ChoicesFile));
        Assert.All(none.Rows, r => Assert.Equal(["none", "0", "54"], [r[4], r[6], r[7]]));
    }

    [Fact]
    public void Two_workers_reach_the_same_decisions_and_results_as_one_process()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("one")).Code);
        var (code, output, error) = SweepHarness.Cli("run", file, "-o", dir.Combine("two"), "--parallel", "2");
        Assert.True(code == 0, output + error);
        foreach (var name in new[] { TuningRecords.ChoicesFile, TuningRecords.DecisionsFile })
            Assert.Equal(File.ReadAllText(Tuning(dir.Combine("one"), name)), File.ReadAllText(Tuning(dir.Combine("two"), name)));
        Assert.Equal(SweepHarness.WithoutTimes(Path.Combine(Dir(dir.Combine("one")), SummaryCsv.FileName)), SweepHarness.WithoutTimes(Path.Combine(Dir(dir.Combine("two")), SummaryCsv.FileName)));
    }

    [Fact]
    public void A_sweep_killed_while_tuning_resumes_to_the_same_decisions()
    {
        using var dir = new TempDir();
        // More epochs, so the kill lands inside tuning rather than after it.
        var file = dir.Write("tuned.yaml", Tuned.Replace("epochs: 9", "epochs: 27"));
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("whole")).Code);

        var killed = dir.Combine("killed");
        using (var sweep = SweepHarness.Start("run", file, "-o", killed, "--parallel", "2"))
        {
            // Wait until the first rung has been decided and the survivors are training on, then kill -9 at once (the
            // workers stay for every round, so the rounds after the first follow each other within milliseconds).
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (DateTime.UtcNow < deadline)
            {
                var manifests = SweepHarness.Manifests(Tuning(killed)).ToList();
                if (manifests.Count(m => m.StatusValue == TrialStatus.Pruned) >= 8 && manifests.Any(m => m.StatusValue == TrialStatus.Running)) break;
                Thread.Sleep(5);
            }
            sweep.Kill(entireProcessTree: false);
            sweep.WaitForExit();
        }
        Assert.NotEqual(File.ReadAllText(Tuning(dir.Combine("whole"), TuningRecords.ChoicesFile)), File.ReadAllText(Tuning(killed, TuningRecords.ChoicesFile)));
        var (code, output, error) = SweepHarness.Cli("run", file, "-o", killed, "--resume");
        Assert.True(code == 0, output + error);
        foreach (var name in new[] { TuningRecords.ChoicesFile, TuningRecords.DecisionsFile })
            Assert.Equal(File.ReadAllText(Tuning(dir.Combine("whole"), name)), File.ReadAllText(Tuning(killed, name)));
        Assert.Equal(SweepHarness.WithoutTimes(Path.Combine(Dir(dir.Combine("whole")), SummaryCsv.FileName)), SweepHarness.WithoutTimes(Path.Combine(Dir(killed), SummaryCsv.FileName)));
    }

    [Fact]
    public void The_choice_follows_the_validation_metric_even_where_the_test_metric_says_otherwise()
    {
        using var dir = new TempDir();
        var experiment = Experiments.Load(Tuned, dir.Path, "sweep.tune.stopping=none");
        var plan = experiment.Tuning!;
        var cell = plan.Cells[0];
        for (var s = 0; s < cell.Candidates.Count; s++)
        {
            // Setting 2 is best on validation; setting 4 would be best on test, and its run.json says so.
            var trialDir = TuningFolder.TrialDir(dir.Path, cell.Candidates[s]);
            Directory.CreateDirectory(trialDir);
            var valAccuracy = s == 2 ? 0.9 : 0.5;
            var rows = Enumerable.Range(1, 9).Select(e => new EpochRecord(e, 1, 1, new Dictionary<string, double> { ["accuracy"] = 0.5 }, new Dictionary<string, double> { ["accuracy"] = valAccuracy }, 0.01, 0.1));
            File.WriteAllText(Path.Combine(trialDir, MetricsCsv.FileName), MetricsCsv.Write(["accuracy"], rows));
            (RunManifest.For(cell.Candidates[s], TrialStatus.Completed) with
            {
                Epochs = 9,
                TestLoss = s == 4 ? 0.01 : 2.0,
                TestMetrics = new Dictionary<string, double?> { ["accuracy"] = s == 4 ? 1.0 : 0.3 },
            }).Save(trialDir);
        }
        var progress = CellTuner.Next(TuningFolder.Curves(dir.Path, cell, plan), plan.Spec.Stopping, cell.MaxEpochs);
        Assert.Equal(2, progress.Chosen);
    }

    [Fact]
    public void Dry_run_prints_the_plan_and_the_most_it_can_cost_and_validate_counts_both_kinds_of_trial()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned);
        var (code, output, _) = SweepHarness.Cli("run", file, "--dry-run");
        Assert.Equal(0, code);
        Assert.Contains("tuning plan of experiment 'tuned': val_accuracy picks each cell's setting (asha, reduction factor 3)", output);
        Assert.Contains("6 settings, the same in every cell, each tried at seed 0:", output);
        Assert.Contains("    5  optimizer.lr=0.1", output);
        Assert.Contains("    1  loss=mse: 6 tuning trials of up to 9 epochs; checkpoints after epochs 1, 3; at most 16 of 54 epochs", output);
        Assert.Contains("budget: at most 32 tuning epochs (an exhaustive search of the same settings: 108), then 2 seeds per cell at its chosen setting: 4 reported trials", output);
        Assert.False(Directory.Exists(dir.Combine("results")));

        var validate = SweepHarness.Cli("validate", file);
        Assert.Equal(0, validate.Code);
        Assert.Contains("(2 cells x 6 settings tuned: 12 tuning trials, then 4 reported trials)", validate.Out);
    }

    [Fact]
    public void A_changed_tuning_section_is_another_experiment_for_the_folder()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned.Replace("epochs: 9", "epochs: 3"));
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Path, "--set", "sweep.tune.stopping=none").Code);
        var (code, _, error) = SweepHarness.Cli("run", file, "-o", dir.Path, "--set", "sweep.tune.stopping=median", "--set", "sweep.tune.stopping.min_epochs=1");
        Assert.Equal(2, code);
        Assert.Contains("sweep.tune.stopping: none", error);
        Assert.Contains("-> median", error);
    }

    [Fact]
    public void Shards_split_a_tuned_sweep_by_cell_and_together_make_the_whole()
    {
        using var dir = new TempDir();
        var file = dir.Write("tuned.yaml", Tuned);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("whole")).Code);
        var first = SweepHarness.Cli("run", file, "-o", dir.Combine("sharded"), "--shard", "0/2");
        Assert.Equal(0, first.Code);
        Assert.Contains("tuned 1 of 1 cell", first.Out);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("sharded"), "--shard", "1/2").Code);
        Assert.Equal(0, SweepHarness.Cli("collect", Dir(dir.Combine("sharded"))).Code);
        Assert.Equal(SweepHarness.WithoutTimes(Path.Combine(Dir(dir.Combine("whole")), SummaryCsv.FileName)), SweepHarness.WithoutTimes(Path.Combine(Dir(dir.Combine("sharded")), SummaryCsv.FileName)));
    }
}
