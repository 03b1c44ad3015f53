using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary><c>exprun run</c> end to end, in-process: exit codes, files, --dry-run, --set and --shard.</summary>
[Collection(TorchCollection.Name)]
public sealed class RunCommandTests : TorchTest
{
    private const string Single = """
        name: cli-run
        seed: 4
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    // 2 activations x 2 seeds = 4 trials.
    private const string Sweep = Single + """

        sweep:
          method: grid
          parameters:
            model.activation: [relu, tanh]
          seeds: [1, 2]
        """;

    [Fact]
    public void Validate_smoke_trains_every_trial_one_epoch_with_the_contexts_runtime()
    {
        var file = Temp.Write("cli-run.yaml", Sweep);

        var result = CliHarness.Run("validate", file, "--smoke");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.EndsWith($"smoke ok {file}: 4/4 trials trained one epoch\n", result.Out);
    }

    [Fact]
    public void Run_exits_0_and_writes_the_output_layout()
    {
        var file = Temp.Write("cli-run.yaml", Single);
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output);

        Assert.True(result.ExitCode == 0, result.Error);
        var trial = Assert.Single(Experiments.Load(Single, Temp.Path).Trials);
        var experimentDir = Path.Combine(output, "cli-run");
        Assert.Equal(["aggregate.csv", "experiment.json", "summary.csv", "trials"], Directory.EnumerateFileSystemEntries(experimentDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        var trialDir = Path.Combine(experimentDir, "trials", trial.Id);
        Assert.Equal(["checkpoints", "config.yaml", "layer_stats.csv", "metrics.csv", "run.json"],
            Directory.EnumerateFileSystemEntries(trialDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(["best.pt", "best.safetensors", "checksums.json", "last.pt", "last.safetensors"],
            Directory.EnumerateFileSystemEntries(Path.Combine(trialDir, "checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, CsvTable.Read(Path.Combine(trialDir, "metrics.csv")).Rows.Count);
        var summary = CsvTable.Read(Path.Combine(experimentDir, "summary.csv"));
        Assert.Equal([trial.Id], summary.Cells("trial"));
        Assert.Equal(["completed"], summary.Cells("status"));

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"[1/1] {trial.Id}: 3 epochs", lines[0]);
        Assert.Equal(3, lines.Count(l => l.StartsWith("  epoch ", StringComparison.Ordinal)));
        Assert.StartsWith($"[1/1 done] {trial.Id}: completed after 3 epochs, ", lines[^2]);
        Assert.Equal($"1 trial in {Path.GetFullPath(experimentDir)}", lines[^1]);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void A_broken_file_exits_2_and_writes_nothing()
    {
        var file = Temp.Write("broken.yaml", Single.Replace("activation: relu", "activation: rleu"));
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.False(Directory.Exists(output), "a config error must not create the output folder");
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{file}:4:", lines[0]);
        Assert.Contains("error: model.activation: unknown activation 'rleu' (did you mean 'relu'?); allowed: relu, leaky_relu", lines[0]);
        Assert.Equal($"{file}: 1 error; nothing was run", lines[1]);
    }

    [Fact]
    public void A_missing_file_exits_2()
    {
        var output = Temp.Combine("out");
        var missing = Temp.Combine("nope.yaml");

        var result = CliHarness.Run("run", missing, "-o", output);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"{missing}: error: file not found\n{missing}: 1 error; nothing was run\n", result.Error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public void Dry_run_prints_the_trial_table_and_writes_nothing()
    {
        var file = Temp.Write("sweep.yaml", Sweep);
        var output = Temp.Combine("out");
        var trials = Experiments.Load(Sweep, Temp.Path).Trials;
        Assert.Equal(4, trials.Count);

        var result = CliHarness.Run("run", file, "-o", output, "--dry-run");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.False(Directory.Exists(output));
        var lines = result.Out.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal(["index", "trial", "model.activation", "seed"], Cells(lines[0]));
        for (var i = 0; i < 4; i++)
        {
            var t = trials[i];
            Assert.Equal([i.ToString(System.Globalization.CultureInfo.InvariantCulture), t.Id, t.Spec.Model.Activation.Name, t.Spec.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture)], Cells(lines[i + 1]));
        }
        // Columns line up: every row's trial id starts where the header's "trial" does.
        var column = lines[0].IndexOf("trial", StringComparison.Ordinal);
        Assert.All(trials, t => Assert.Equal(column, lines[t.Index + 1].IndexOf(t.Id, StringComparison.Ordinal)));
        Assert.Equal("4 trials (2 cells x seeds) of experiment 'cli-run'", lines[5]);
        Assert.Equal(["relu", "relu", "tanh", "tanh"], trials.Select(t => t.Spec.Model.Activation.Name).Order());
        Assert.Equal([1L, 1L, 2L, 2L], trials.Select(t => t.Spec.Seed).Order());
    }

    [Fact]
    public void Set_overrides_a_key_for_the_run()
    {
        var file = Temp.Write("cli-run.yaml", Single);
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output, "--set", "training.epochs=2");

        Assert.True(result.ExitCode == 0, result.Error);
        var trial = Assert.Single(Experiments.Load(Single, Temp.Path, "training.epochs=2").Trials);
        Assert.NotEqual(Assert.Single(Experiments.Load(Single, Temp.Path).Trials).Id, trial.Id); // the id follows the resolved config
        var trialDir = Path.Combine(output, "cli-run", "trials", trial.Id);
        Assert.Equal(["1", "2"], CsvTable.Read(Path.Combine(trialDir, "metrics.csv")).Cells("epoch"));
        Assert.Contains("epochs: 2", File.ReadAllText(Path.Combine(trialDir, "config.yaml")));
        Assert.Equal(["2"], CsvTable.Read(Path.Combine(output, "cli-run", "summary.csv")).Cells("epochs"));
    }

    [Fact]
    public void Shard_runs_only_its_share_of_the_sweep()
    {
        var file = Temp.Write("sweep.yaml", Sweep);
        var output = Temp.Combine("out");
        var trials = Experiments.Load(Sweep, Temp.Path, "training.epochs=1").Trials;

        var result = CliHarness.Run("run", file, "-o", output, "--set", "training.epochs=1", "--shard", "1/2");

        Assert.True(result.ExitCode == 0, result.Error);
        var ran = Directory.GetDirectories(Path.Combine(output, "cli-run", "trials")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(new[] { trials[1].Id, trials[3].Id }.Order(StringComparer.Ordinal), ran);
        var summary = CsvTable.Read(Path.Combine(output, "cli-run", "summary.csv"));
        Assert.Equal([trials[1].Id, trials[3].Id], summary.Cells("trial"));
        Assert.Equal(["completed", "completed"], summary.Cells("status"));
        // Progress counts the shard's two trials, not the sweep's four.
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"[1/2] {trials[1].Id}: 1 epoch", lines[0]);
        Assert.Single(lines, l => l.StartsWith("[1/2 done, 0 failed, ETA ", StringComparison.Ordinal) && l.Contains($"] {trials[1].Id}: completed after 1 epoch, ", StringComparison.Ordinal));
        // One result line per trial (a sequential sweep printed two).
        Assert.All(new[] { trials[1], trials[3] }, t => Assert.Single(lines, l => l.Contains($"] {t.Id}: completed", StringComparison.Ordinal)));
        Assert.Contains($"[2/2] {trials[3].Id}: 1 epoch\n", result.Out);
        Assert.StartsWith($"[2/2 done, 0 failed, ETA 0s] {trials[3].Id}: completed after 1 epoch, ", lines[^2]);
        Assert.DoesNotContain("/4", result.Out);
        Assert.Equal($"2 trials in {Path.GetFullPath(Path.Combine(output, "cli-run"))}", lines[^1]);
    }

    [Fact]
    public void A_failed_trial_reports_its_error_on_stderr_without_the_exception_type_and_its_result_once()
    {
        Temp.Write("bad.csv", "a,b,y\n1,2,0\n3,x,1\n");
        const string yaml = """
            name: bad-data
            dataset: {name: csv, path: bad.csv, target: y}
            model: {architecture: mlp, hidden: [4]}
            loss: cross_entropy
            sweep:
              parameters:
                model.activation: [relu, tanh]
            """;
        var file = Temp.Write("bad.yaml", yaml);
        var trials = Experiments.Load(yaml, Temp.Path).Trials;
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            string.Concat(trials.Select(t => $"trial {t.Id}: error: bad.csv: row 3, column 2 'b': 'x' is not a number; declare the column in categorical or fix the file\n")),
            result.Error);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(trials, t => Assert.Single(lines, l => l.Contains($"] {t.Id}: failed after 0 epochs, 0.0s (error on stderr)", StringComparison.Ordinal)));
        Assert.DoesNotContain("Exception", result.Out + result.Error);
        Assert.Equal($"2 trials in {Path.GetFullPath(Path.Combine(output, "bad-data"))}; 2 failed (see run.json of each)", lines[^1]);
    }

    [Theory]
    [InlineData("2/2")]
    [InlineData("1")]
    [InlineData("a/b")]
    public void A_bad_shard_exits_2_before_loading(string shard)
    {
        var file = Temp.Write("sweep.yaml", Sweep);
        var output = Temp.Combine("out");

        var result = CliHarness.Run("run", file, "-o", output, "--shard", shard);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: --shard: '{shard}' is not I/N with 0 <= I < N (e.g. --shard 0/4)\n", result.Error);
        Assert.False(Directory.Exists(output));
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
