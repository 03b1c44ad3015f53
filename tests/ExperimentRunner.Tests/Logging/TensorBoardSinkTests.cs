using System.Text.RegularExpressions;
using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Tests.Logging;

/// <summary>
/// <c>loggers: [tensorboard]</c> end to end: real trials, their event files read back with the tests' own reader
/// and compared with metrics.csv and layer_stats.csv.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class TensorBoardSinkTests : TorchTest
{
    // Two cells: a swept name, a swept number and a key set to null in one of them; layer statistics on epochs 1 and 3
    // only (every 5: the first and the last).
    private const string Sweep = """
        name: tb
        seed: 4
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {probe_size: 64, every: 5}
        loggers: [tensorboard]
        sweep:
          method: zip
          parameters:
            model.activation: [relu, tanh]
            model.bias_init: [null, 0.1]
            optimizer.lr: [0.02, 0.02]
        """;

    // Checkpoints after every epoch, so one attempt appends several times.
    private const string Resumable = """
        name: tbresume
        seed: 8
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: tanh, dropout: 0.2}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 4, batch_size: 32}
        diagnostics: {probe_size: 64}
        checkpoint: {state_interval: 0}
        loggers: [tensorboard]
        """;

    private static readonly string[] EpochTags = ["loss/train", "loss/val", "accuracy/train", "accuracy/val", "f1_macro/train", "f1_macro/val", "lr"];

    private static readonly double Start = TensorBoardRunFiles.UnixSeconds(TrialHarness.Start);

    private string RunDir(string experiment, TrialSpec trial) => Temp.Combine("results", experiment, "tensorboard", trial.Id);

    private string TrialDir(string experiment, TrialSpec trial) => TrialHarness.TrialDir(Temp.Combine("results", experiment), trial);

    [Fact]
    public void A_three_epoch_trial_is_one_run_with_every_loss_metric_lr_and_layer_statistic_per_epoch()
    {
        var trials = Experiments.Load(Sweep, Temp.Path).Trials;
        Assert.Equal(2, trials.Count);
        foreach (var trial in trials)
        {
            Assert.Equal("completed", TrialHarness.Run(trial, Temp.Combine("results", "tb")).Status);
            var run = new TensorBoardRunFiles(RunDir("tb", trial));

            var file = Assert.Single(run.Files);
            Assert.Matches(new Regex($@"^events\.out\.tfevents\.{TrialHarness.Start.ToUnixTimeSeconds()}\.0001\.exprun$"), Path.GetFileName(file.Path));
            Assert.Equal(0, file.TornTailBytes);
            var first = file.Events[0];
            Assert.Equal("brain.Event:2", first.FileVersion);
            Assert.Empty(first.Values);
            Assert.Equal(Start, first.WallTime);
            Assert.All(file.Events, e => Assert.Equal(Start, e.WallTime)); // the fake clock never moves

            var hidden = trial.Spec.Model.Activation.Name == "tanh"
                ? new[] { "mean", "std", "dead_fraction", "saturated_fraction", "grad_norm", "weight_norm" }
                : ["mean", "std", "dead_fraction", "grad_norm", "weight_norm"];
            string[] output = ["mean", "std", "dead_fraction", "grad_norm", "weight_norm"];
            var expected = EpochTags.Select(t => (t, new long[] { 1, 2, 3 }))
                .Concat(hidden.Select(s => ($"layers/hidden_1/{s}", new long[] { 1, 3 })))
                .Concat(output.Select(s => ($"layers/output/{s}", new long[] { 1, 3 })))
                .ToDictionary(x => x.Item1, x => x.Item2);
            var scalars = run.Scalars();
            Assert.Equal(expected.Keys.Order(), scalars.Keys.Order());
            foreach (var (tag, steps) in expected) Assert.Equal(steps, scalars[tag].Select(s => s.Step));

            AssertEqualToCsvFiles(scalars, TrialDir("tb", trial));

            var hparams = run.HParams();
            Assert.Equal(new[] { HParamsTags.Experiment, HParamsTags.SessionStart, HParamsTags.SessionEnd }.Order(StringComparer.Ordinal), hparams.Keys.Order(StringComparer.Ordinal));
            var start = Assert.IsType<SessionStartInfo>(hparams[HParamsTags.SessionStart]);
            var relu = trial.Spec.Model.Activation.Name == "relu";
            Assert.Equal(new Dictionary<string, object?>
            {
                ["model.activation"] = relu ? "relu" : "tanh",
                ["model.bias_init"] = relu ? null : 0.1,
                ["optimizer.lr"] = 0.02,
            }, start.HParams);
            Assert.Equal($"model.activation={(relu ? "relu|model.bias_init=null" : "tanh|model.bias_init=0.1")}|optimizer.lr=0.02", start.GroupName);
            Assert.Equal(Start, start.StartTimeSecs);
            var experiment = Assert.IsType<ExperimentInfo>(hparams[HParamsTags.Experiment]);
            // Types: string, float64, and unset for the null value.
            Assert.Equal([new HParamInfo("model.activation", 1), new HParamInfo("model.bias_init", relu ? 0 : 3), new HParamInfo("optimizer.lr", 3)], experiment.HParams);
            Assert.Equal(
            [
                new MetricInfo("", "loss/train", 1), new MetricInfo("", "loss/val", 2),
                new MetricInfo("", "accuracy/train", 1), new MetricInfo("", "f1_macro/train", 1),
                new MetricInfo("", "accuracy/val", 2), new MetricInfo("", "f1_macro/val", 2),
            ], experiment.Metrics);
            Assert.Equal(new SessionEndInfo(1, Start), hparams[HParamsTags.SessionEnd]);
        }
        // One run per trial, named by its id, side by side under one logdir.
        Assert.Equal(trials.Select(t => t.Id).Order(), Directory.GetDirectories(Temp.Combine("results", "tb", "tensorboard")).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void A_resumed_trial_continues_in_a_second_file_and_writes_no_step_twice()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = Temp.Combine("results", "tbresume");
        Assert.Equal("running", TrialHarness.Run(trial, dir, stopAfterEpoch: 2).Status);
        var interrupted = new TensorBoardRunFiles(RunDir("tbresume", trial));
        Assert.Single(interrupted.Files);
        Assert.All(interrupted.Scalars().Values, steps => Assert.Equal([1L, 2L], steps.Select(s => s.Step)));
        // Not ended: it will be resumed.
        Assert.DoesNotContain(HParamsTags.SessionEnd, interrupted.HParams().Keys);

        Assert.Equal("completed", TrialHarness.Run(trial, dir, resume: true).Status);

        var run = new TensorBoardRunFiles(RunDir("tbresume", trial));
        Assert.Equal(2, run.Files.Count);
        Assert.EndsWith(".0002.exprun", run.Files[1].Path);
        Assert.Equal("brain.Event:2", run.Files[1].Events[0].FileVersion);
        var scalars = run.Scalars(); // fails on any (tag, step) written twice
        Assert.All(scalars.Values, steps => Assert.Equal([1L, 2L, 3L, 4L], steps.Select(s => s.Step)));
        // Steps 1-2 come from the first attempt's file, 3-4 from the second.
        Assert.All(run.Values().Where(v => v.Value.SimpleValue is not null), v => Assert.Equal(v.Step <= 2 ? 0 : 1, v.File));
        Assert.Equal(EpochTags.Length + 6 + 5, scalars.Count); // tanh hidden_1 has a saturated fraction, the identity output none
        AssertEqualToCsvFiles(scalars, TrialDir("tbresume", trial));
        var hparams = run.HParams(); // fails on a tag written twice
        Assert.Equal(1, run.Values().Single(v => v.Value.Tag == HParamsTags.SessionEnd).File);
        Assert.Equal(0, run.Values().Single(v => v.Value.Tag == HParamsTags.SessionStart).File);
        Assert.Empty(Assert.IsType<SessionStartInfo>(hparams[HParamsTags.SessionStart]).HParams); // nothing swept
        Assert.Equal("tbresume", ((SessionStartInfo)hparams[HParamsTags.SessionStart]).GroupName);
    }

    [Fact]
    public void A_record_torn_by_a_killed_writer_is_written_again_on_resume_and_nothing_else_is()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = Temp.Combine("results", "tbresume");
        TrialHarness.Run(trial, dir, stopAfterEpoch: 2);
        var path = Assert.Single(Directory.GetFiles(RunDir("tbresume", trial)));
        var whole = EventFileReader.Read(path);
        var lastValue = whole.Events[^1].Values.Single();
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 3);
        var torn = EventFileReader.Read(path);
        Assert.Equal(whole.Events.Count - 1, torn.Events.Count);
        Assert.True(torn.TornTailBytes > 0);

        TrialHarness.Run(trial, dir, resume: true);

        var run = new TensorBoardRunFiles(RunDir("tbresume", trial));
        var scalars = run.Scalars(); // the intact records: no (tag, step) twice
        Assert.All(scalars.Values, steps => Assert.Equal([1L, 2L, 3L, 4L], steps.Select(s => s.Step)));
        // The torn record's value, and only it, is in the second file among epochs up to 2.
        var rewritten = run.Values().Where(v => v.File == 1 && v.Step <= 2 && v.Value.SimpleValue is not null).Select(v => (v.Value.Tag, v.Step)).ToList();
        Assert.Equal([(lastValue.Tag, 2L)], rewritten);
        AssertEqualToCsvFiles(scalars, TrialDir("tbresume", trial));
    }

    [Fact]
    public void Starting_an_unfinished_trial_over_drops_the_abandoned_attempts_events()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = Temp.Combine("results", "tbresume");
        TrialHarness.Run(trial, dir, stopAfterEpoch: 3);

        Assert.Equal("completed", TrialHarness.Run(trial, dir).Status); // no --resume: starts over

        var run = new TensorBoardRunFiles(RunDir("tbresume", trial));
        Assert.Single(run.Files);
        var scalars = run.Scalars();
        Assert.All(scalars.Values, steps => Assert.Equal([1L, 2L, 3L, 4L], steps.Select(s => s.Step)));
        AssertEqualToCsvFiles(scalars, TrialDir("tbresume", trial));
    }

    [Fact]
    public void The_final_layer_statistics_of_an_early_stopped_trial_are_in_the_run()
    {
        const string yaml = """
            name: tbstop
            seed: 2
            dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
            model: {architecture: mlp, hidden: [16], activation: relu}
            loss: cross_entropy
            optimizer: {name: sgd, lr: 0.5}
            training: {epochs: 60, batch_size: 32, early_stopping: {patience: 1}}
            diagnostics: {probe_size: 64, every: 1000}
            loggers: [tensorboard]
            """;
        var trial = Experiments.Single(yaml, Temp.Path);
        var manifest = TrialHarness.Run(trial, Temp.Combine("results", "tbstop"));
        Assert.Equal("early_stopped", manifest.Status);
        var last = manifest.Epochs;
        Assert.True(last < 60);

        var scalars = new TensorBoardRunFiles(RunDir("tbstop", trial)).Scalars();
        // Measured after the last checkpoint, when training stopped early.
        Assert.Equal(new long[] { 1, last }, scalars["layers/hidden_1/grad_norm"].Select(s => s.Step));
        Assert.Equal(Enumerable.Range(1, last).Select(e => (long)e), scalars["loss/val"].Select(s => s.Step));
        AssertEqualToCsvFiles(scalars, TrialDir("tbstop", trial));
    }

    [Fact]
    public void The_logger_changes_neither_the_trial_id_nor_a_single_number_of_training()
    {
        var plain = Experiments.Single(Experiments.Tiny, Temp.Path);
        var logged = Experiments.Single(Experiments.Tiny + "\nloggers: [tensorboard]\n", Temp.Path);
        Assert.Equal(plain.Id, logged.Id);

        var a = TrialHarness.Run(plain, Temp.Combine("plain", "tiny"));
        var b = TrialHarness.Run(logged, Temp.Combine("logged", "tiny"));

        Assert.False(Directory.Exists(Temp.Combine("plain", "tiny", "tensorboard")));
        Assert.True(Directory.Exists(Temp.Combine("logged", "tiny", "tensorboard", logged.Id)));
        var dirA = TrialHarness.TrialDir(Temp.Combine("plain", "tiny"), plain);
        var dirB = TrialHarness.TrialDir(Temp.Combine("logged", "tiny"), logged);
        Assert.Equal(CsvTable.Read(Path.Combine(dirA, "metrics.csv")).TextWithout("seconds"), CsvTable.Read(Path.Combine(dirB, "metrics.csv")).TextWithout("seconds"));
        Assert.Equal(File.ReadAllText(Path.Combine(dirA, "layer_stats.csv")), File.ReadAllText(Path.Combine(dirB, "layer_stats.csv")));
        Assert.Equal(a.TestLoss, b.TestLoss);
        Assert.Equal(a.TestMetrics, b.TestMetrics);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dirA, "checkpoints", "last.safetensors")), File.ReadAllBytes(Path.Combine(dirB, "checkpoints", "last.safetensors")));
    }

    /// <summary>
    /// Every number of metrics.csv and layer_stats.csv is in the run at its epoch (as a 32-bit float, what
    /// simple_value holds), an empty cell is no event, and the run holds nothing else.
    /// </summary>
    private static void AssertEqualToCsvFiles(IReadOnlyDictionary<string, List<(long Step, float Value)>> scalars, string trialDir)
    {
        var expected = new Dictionary<(string Tag, long Step), float>();
        var metrics = CsvTable.Read(Path.Combine(trialDir, "metrics.csv"));
        foreach (var row in metrics.Rows)
        {
            var epoch = long.Parse(row[metrics.Column("epoch")]);
            foreach (var column in metrics.Header.Where(c => c != "epoch" && !c.EndsWith("seconds", StringComparison.Ordinal)))
            {
                var tag = column switch
                {
                    "train_loss" => "loss/train",
                    "val_loss" => "loss/val",
                    "lr" => "lr",
                    _ when column.StartsWith("train_", StringComparison.Ordinal) => $"{column["train_".Length..]}/train",
                    _ => $"{column["val_".Length..]}/val",
                };
                expected.Add((tag, epoch), TensorBoardRunFiles.Cell(row[metrics.Column(column)]));
            }
        }
        var layers = CsvTable.Read(Path.Combine(trialDir, "layer_stats.csv"));
        foreach (var row in layers.Rows)
        {
            var epoch = long.Parse(row[layers.Column("epoch")]);
            foreach (var column in new[] { "mean", "std", "dead_fraction", "saturated_fraction", "grad_norm", "weight_norm" })
            {
                var cell = row[layers.Column(column)];
                if (cell.Length > 0) expected.Add(($"layers/{row[layers.Column("layer")]}/{column}", epoch), TensorBoardRunFiles.Cell(cell));
            }
        }
        var actual = scalars.SelectMany(kv => kv.Value.Select(s => ((kv.Key, s.Step), s.Value))).ToDictionary(x => x.Item1, x => x.Value);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, value) in expected) Assert.True(value.Equals(actual[key]), $"{key.Tag}@{key.Step}: csv {value:R}, event {actual[key]:R}");
    }
}

/// <summary>The hparams plugin's tags, as tensorboard/plugins/hparams/metadata.py names them.</summary>
public static class HParamsTags
{
    public const string Experiment = "_hparams_/experiment";
    public const string SessionStart = "_hparams_/session_start_info";
    public const string SessionEnd = "_hparams_/session_end_info";
}
