using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// An interrupted trial resumed from its checkpoint ends exactly where an uninterrupted one does: dropout makes the
/// RNG state matter, Adam its moment estimates, cosine the epoch the rate is computed for.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ResumeTests : TorchTest
{
    private const int Epochs = 8;
    private const int StopAfter = 3;

    private const string Experiment = """
        name: resume
        seed: 21
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16, 16], activation: relu, dropout: 0.25}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        scheduler: {name: cosine}
        training: {epochs: 8, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    private sealed record Outcome(RunManifest Manifest, string TrialDir, CsvTable Metrics);

    private Outcome Uninterrupted()
    {
        var trial = Experiments.Single(Experiment, Temp.Path);
        var dir = Temp.Combine("straight", "resume");
        var manifest = TrialHarness.Run(trial, dir);
        Assert.Equal("completed", manifest.Status);
        Assert.Null(manifest.ResumedFromEpoch);
        var trialDir = TrialHarness.TrialDir(dir, trial);
        return new Outcome(manifest, trialDir, CsvTable.Read(Path.Combine(trialDir, "metrics.csv")));
    }

    private Outcome Interrupted(string experimentDir)
    {
        var trial = Experiments.Single(Experiment, Temp.Path);
        var manifest = TrialHarness.Run(trial, experimentDir, stopAfterEpoch: StopAfter);
        var trialDir = TrialHarness.TrialDir(experimentDir, trial);
        Assert.Equal("running", manifest.Status);
        Assert.Equal(StopAfter, manifest.Epochs);
        Assert.Null(manifest.TestLoss);
        Assert.True(File.Exists(Path.Combine(trialDir, "checkpoints", "state", "trainer.json")), "no resume state after the interruption");
        var metrics = CsvTable.Read(Path.Combine(trialDir, "metrics.csv"));
        Assert.Equal(["1", "2", "3"], metrics.Cells("epoch"));
        return new Outcome(manifest, trialDir, metrics);
    }

    [Fact]
    public void Resuming_after_an_interruption_gives_the_uninterrupted_result()
    {
        var straight = Uninterrupted();
        var dir = Temp.Combine("resumed", "resume");
        var partial = Interrupted(dir);
        // The three epochs before the interruption already match.
        Assert.Equal(
            string.Join("\n", straight.Metrics.TextWithout("seconds").Split('\n').Take(1 + StopAfter)),
            string.Join("\n", partial.Metrics.TextWithout("seconds").Split('\n').Take(1 + StopAfter)));

        var trial = Experiments.Single(Experiment, Temp.Path);
        var resumed = TrialHarness.Run(trial, dir, resume: true);

        Assert.Equal("completed", resumed.Status);
        Assert.Equal(StopAfter, resumed.ResumedFromEpoch);
        Assert.Equal(Epochs, resumed.Epochs);
        var metrics = CsvTable.Read(Path.Combine(partial.TrialDir, "metrics.csv"));
        Assert.Equal(Epochs, metrics.Rows.Count);
        Assert.Equal(straight.Metrics.TextWithout("seconds"), metrics.TextWithout("seconds"));
        // The first three rows were carried over from before the interruption, seconds included.
        Assert.Equal(partial.Metrics.Cells("seconds"), metrics.Cells("seconds").Take(StopAfter));
        Assert.Equal(straight.Manifest.TestLoss, resumed.TestLoss);
        Assert.Equal(straight.Manifest.TestMetrics, resumed.TestMetrics);
        Assert.Equal(straight.Manifest.BestEpoch, resumed.BestEpoch);
        Assert.Equal(straight.Manifest.BestValLoss, resumed.BestValLoss);
        Assert.Equal(File.ReadAllText(Path.Combine(straight.TrialDir, "layer_stats.csv")), File.ReadAllText(Path.Combine(partial.TrialDir, "layer_stats.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(straight.TrialDir, "checkpoints", "last.safetensors")), File.ReadAllBytes(Path.Combine(partial.TrialDir, "checkpoints", "last.safetensors")));
        Assert.False(Directory.Exists(Path.Combine(partial.TrialDir, "checkpoints", "state")), "resume state is removed once the trial is finished");
    }

    [Fact]
    public void Without_resume_an_unfinished_trial_starts_over_and_still_gives_the_uninterrupted_result()
    {
        var straight = Uninterrupted();
        var dir = Temp.Combine("restarted", "resume");
        var partial = Interrupted(dir);

        var trial = Experiments.Single(Experiment, Temp.Path);
        var restarted = TrialHarness.Run(trial, dir, resume: false);

        Assert.Equal("completed", restarted.Status);
        Assert.Null(restarted.ResumedFromEpoch);
        Assert.Contains("\"resumed_from_epoch\": null", File.ReadAllText(Path.Combine(partial.TrialDir, "run.json")));
        var metrics = CsvTable.Read(Path.Combine(partial.TrialDir, "metrics.csv"));
        Assert.Equal(straight.Metrics.TextWithout("seconds"), metrics.TextWithout("seconds"));
        Assert.Equal(straight.Manifest.TestLoss, restarted.TestLoss);
        Assert.Equal(straight.Manifest.TestMetrics, restarted.TestMetrics);
    }

    [Fact]
    public void A_finished_trial_is_skipped_on_a_rerun()
    {
        var trial = Experiments.Single(Experiment, Temp.Path, "training.epochs=2");
        var dir = ExperimentDir("resume");
        var clock = TrialHarness.Clock();
        var first = TrialHarness.Run(trial, dir, clock);
        Assert.Equal("completed", first.Status);
        var runJson = Path.Combine(TrialHarness.TrialDir(dir, trial), "run.json");
        var before = File.ReadAllBytes(runJson);
        var metricsBefore = File.ReadAllBytes(Path.Combine(TrialHarness.TrialDir(dir, trial), "metrics.csv"));

        clock.Advance(TimeSpan.FromHours(1)); // a re-run that trained would record a later finished_at
        var again = TrialHarness.Run(trial, dir, clock, resume: true);
        var withoutResume = TrialHarness.Run(trial, dir, clock, resume: false);

        Assert.Equal(TrialHarness.Start, first.FinishedAt);
        Assert.Equal(first.FinishedAt, again.FinishedAt);
        Assert.Equal(first.FinishedAt, withoutResume.FinishedAt);
        Assert.Equal(before, File.ReadAllBytes(runJson));
        Assert.Equal(metricsBefore, File.ReadAllBytes(Path.Combine(TrialHarness.TrialDir(dir, trial), "metrics.csv")));
    }

    [Fact]
    public void State_files_left_without_their_commit_start_the_trial_over_and_still_give_the_uninterrupted_result()
    {
        // What a kill part-way through dropping the state leaves (the commit goes first, CheckpointStore.DropState):
        // state files no trainer.json names. The resume must not refuse the trial as damaged.
        var straight = Uninterrupted();
        var dir = Temp.Combine("dropped", "resume");
        var partial = Interrupted(dir);
        var state = Path.Combine(partial.TrialDir, "checkpoints", "state");
        File.Delete(Path.Combine(state, "trainer.json"));
        File.Delete(Directory.EnumerateFiles(state, "model-*").Single());
        Assert.NotEmpty(Directory.EnumerateFiles(state));

        var resumed = TrialHarness.Run(Experiments.Single(Experiment, Temp.Path), dir, resume: true);

        Assert.Equal("completed", resumed.Status);
        Assert.Null(resumed.ResumedFromEpoch);
        Assert.Equal(straight.Metrics.TextWithout("seconds"), CsvTable.Read(Path.Combine(partial.TrialDir, "metrics.csv")).TextWithout("seconds"));
        Assert.Equal(straight.Manifest.TestLoss, resumed.TestLoss);
        Assert.False(Directory.Exists(state), "the finished trial kept its resume state");
    }
}
