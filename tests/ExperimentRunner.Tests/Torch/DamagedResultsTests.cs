using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Damaged result files are found and named, never silently used (issue 14): report, collect, compare, check and
/// run each meet a cut-short or garbled file, and a trial that cannot write is recorded failed, never left running.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class DamagedResultsTests : TorchTest
{
    private const string Single = """
        name: damage
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

    private const string Resumable = """
        name: damage-resume
        seed: 21
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 8, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    private (string ExperimentDir, IReadOnlyList<string> TrialDirs) RunSweep()
    {
        var file = Temp.Write("damage.yaml", Sweep);
        var output = Temp.Combine("out");
        var result = CliHarness.Run("run", file, "-o", output);
        Assert.True(result.ExitCode == 0, result.Error);
        var dir = Path.Combine(output, "damage");
        var trials = Experiments.Load(Sweep, Temp.Path).Trials.Select(t => TrialPaths.TrialDir(dir, t.Id)).ToList();
        return (dir, trials);
    }

    private static void CutShort(string path, double fraction = 0.5)
    {
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
    }

    [Fact]
    public void Report_names_the_metrics_row_of_trailing_garbage_and_shows_the_trial_damaged()
    {
        var (dir, trials) = RunSweep();
        var metrics = Path.Combine(trials[1], "metrics.csv");
        File.AppendAllText(metrics, "3,abc\n");

        var result = CliHarness.Run("report", dir);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"{metrics}: warning: damaged trial {Path.GetFileName(trials[1])} (shown as damaged, counted in no statistic): row 5 has 2 values but the header has", result.Error);
        Assert.DoesNotContain("   at ", result.Error);
        Assert.True(File.Exists(Path.Combine(dir, "report.html")));
    }

    [Fact]
    public void Collect_and_compare_name_a_cut_short_run_json_and_count_the_trial_damaged()
    {
        var (dir, trials) = RunSweep();
        var runJson = Path.Combine(trials[0], "run.json");
        CutShort(runJson);

        var collect = CliHarness.Run("collect", dir);

        Assert.Equal(1, collect.ExitCode);
        Assert.Contains($"{runJson}: warning: damaged trial", collect.Error);
        Assert.Contains("not valid JSON at line", collect.Error);
        Assert.Contains("collected 4 trials (1 damaged: listed with status damaged, counted in no statistic)", collect.Out);
        var summary = CsvTable.Read(Path.Combine(dir, "summary.csv"));
        // A trial whose run.json is lost is listed last: its index was in that run.json.
        Assert.Equal(["completed", "completed", "completed", "damaged"], summary.Cells("status"));
        Assert.Equal(Path.GetFileName(trials[0]), summary.Cells("trial")[3]);
        var aggregate = CsvTable.Read(Path.Combine(dir, "aggregate.csv"));
        Assert.Equal(["relu", "tanh"], aggregate.Cells("model.activation"));
        Assert.Equal(["1", "2"], aggregate.Cells("n"));
        Assert.Equal(["1", "0"], aggregate.Cells("n_damaged"));

        // compare reads the folders, not a summary.csv that may be stale: the damage is named there too.
        File.Copy(Path.Combine(dir, "summary.csv"), Path.Combine(dir, "summary.csv.bak"));
        var compare = CliHarness.Run("compare", dir);
        Assert.True(compare.ExitCode == 0, compare.Error);
        Assert.Contains($"{runJson}: warning: damaged trial", compare.Error);
    }

    [Fact]
    public void Resume_rewrites_a_cut_short_metrics_csv_from_the_resume_state_so_there_is_no_gap()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = ExperimentDir("damage-resume");
        var partial = TrialHarness.Run(trial, dir, stopAfterEpoch: 5);
        Assert.Equal(5, partial.Epochs);
        var metrics = Path.Combine(TrialHarness.TrialDir(dir, trial), "metrics.csv");
        var lines = File.ReadAllLines(metrics);
        File.WriteAllText(metrics, string.Join("\n", lines.Take(3)) + "\n"); // header + epochs 1-2

        var resumed = TrialHarness.Run(trial, dir, resume: true);

        Assert.Equal("completed", resumed.Status);
        Assert.Equal(5, resumed.ResumedFromEpoch);
        Assert.Equal(["1", "2", "3", "4", "5", "6", "7", "8"], CsvTable.Read(metrics).Cells("epoch"));
        Assert.Contains(resumed.Warnings, w => w.StartsWith($"{metrics}: holds 2 of the 5 epochs the resume state has done (cut short?): rewritten from the resume state (epochs 1-5)", StringComparison.Ordinal));
    }

    [Fact]
    public void A_cut_short_resume_state_fails_naming_the_file_and_the_restart_flag_restarts_it()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = ExperimentDir("damage-resume");
        TrialHarness.Run(trial, dir, stopAfterEpoch: 3);
        var trialDir = TrialHarness.TrialDir(dir, trial);
        var model = Directory.GetFiles(Path.Combine(trialDir, "checkpoints", "state"), "model-e*.safetensors").Single();
        CutShort(model);

        var refused = TrialHarness.Run(trial, dir, resume: true);

        Assert.True(refused.Status == "failed", $"{refused.Status} {refused.Error} {string.Join(";", refused.Warnings)}");
        Assert.StartsWith($"{model}: damaged: ", refused.Error);
        Assert.EndsWith("run again with --restart-damaged to train this trial from scratch", refused.Error);
        Assert.Equal("failed", RunManifest.TryLoad(trialDir)!.Status);
        Assert.True(File.Exists(model), "the damaged state is kept for a look");

        var restarted = TestRuntime.Instance.Runner.Run(trial, dir, new RunOptions { Clock = TrialHarness.Clock(), Resume = true, RestartDamaged = true });

        Assert.Equal("completed", restarted.Status);
        Assert.Null(restarted.ResumedFromEpoch);
        Assert.Equal(8, CsvTable.Read(Path.Combine(trialDir, "metrics.csv")).Rows.Count);
    }

    [Fact]
    public void Check_names_a_cut_short_best_checkpoint_and_run_refuses_the_trial_until_restarted()
    {
        var file = Temp.Write("damage.yaml", Single);
        var output = Temp.Combine("out");
        Assert.Equal(0, CliHarness.Run("run", file, "-o", output).ExitCode);
        var dir = Path.Combine(output, "damage");
        Assert.Equal(0, CliHarness.Run("check", dir).ExitCode);
        var trialDir = TrialPaths.TrialDir(dir, Experiments.Single(Single, Temp.Path).Id);
        var best = Path.Combine(trialDir, "checkpoints", "best.safetensors");
        var size = new FileInfo(best).Length;
        CutShort(best);

        var check = CliHarness.Run("check", dir);

        Assert.True(check.ExitCode == 1, check.Out + check.Error + string.Join(",", Directory.GetFiles(Path.GetDirectoryName(best)!)) + File.ReadAllText(Path.Combine(trialDir, "checkpoints", "checksums.json")));
        Assert.Contains($"{best}: error: damaged trial: cut short: {size / 2} bytes, but {size} bytes when it was written\n", check.Out);
        Assert.EndsWith("1 damaged (run again with --restart-damaged to train them from scratch)\n", check.Out);

        var predict = CliHarness.Run("predict", trialDir, Temp.Write("rows.csv", "x,y\n1,2\n"));
        Assert.Equal(2, predict.ExitCode);
        Assert.StartsWith($"error: {best}: damaged: cut short: ", predict.Error);

        var rerun = CliHarness.Run("run", file, "-o", output);
        Assert.Equal(1, rerun.ExitCode);
        Assert.Contains("best.safetensors: damaged: ", rerun.Error);
        Assert.Contains("--restart-damaged", rerun.Error);

        var restart = CliHarness.Run("run", file, "-o", output, "--restart-damaged");
        Assert.True(restart.ExitCode == 0, restart.Error);
        Assert.Equal(0, CliHarness.Run("check", dir).ExitCode);
    }

    [Fact]
    public void A_full_disk_during_a_trial_records_it_failed_naming_the_file_with_the_trace_in_error_log()
    {
        var trial = Experiments.Single(Resumable, Temp.Path);
        var dir = ExperimentDir("damage-resume");
        var trialDir = TrialHarness.TrialDir(dir, trial);

        RunManifest manifest;
        using (WriteFaults.Inject(path => path.EndsWith("metrics.csv", StringComparison.Ordinal)))
            manifest = TrialHarness.Run(trial, dir);

        Assert.Equal("failed", manifest.Status);
        Assert.Equal($"{Path.Combine(trialDir, "metrics.csv")}: cannot write: No space left on device", manifest.Error);
        Assert.Equal("failed", RunManifest.TryLoad(trialDir)!.Status);
        var log = File.ReadAllText(Path.Combine(trialDir, "error.log"));
        Assert.Contains("FileWriteException", log);
        Assert.Contains("   at ", log);
    }

    [Fact]
    public void A_run_json_that_cannot_be_written_still_counts_the_trial_failed_in_the_sweep_summary()
    {
        var file = Temp.Write("damage.yaml", Sweep);
        var output = Temp.Combine("out");
        var victim = Experiments.Load(Sweep, Temp.Path).Trials[2].Id;

        CliResult result;
        using (WriteFaults.Inject(path => path.EndsWith(Path.Combine(victim, "run.json"), StringComparison.Ordinal)))
            result = CliHarness.Run("run", file, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"trial {victim}: error: {Path.Combine(output, "damage", "trials", victim, "run.json")}: cannot write: No space left on device", result.Error);
        Assert.Contains("4 trials in ", result.Out);
        Assert.Contains("1 failed", result.Out);
        var summary = CsvTable.Read(Path.Combine(output, "damage", "summary.csv"));
        Assert.Equal(["completed", "completed", "failed", "completed"], summary.Cells("status"));
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public void A_summary_csv_that_cannot_be_written_is_one_error_line_and_exit_1()
    {
        var file = Temp.Write("damage.yaml", Single);
        var output = Temp.Combine("out");

        CliResult result;
        using (WriteFaults.Inject(path => path.EndsWith("summary.csv", StringComparison.Ordinal)))
            result = CliHarness.Run("run", file, "-o", output);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: cannot write ({Path.Combine(Path.GetFullPath(output), "damage", "summary.csv")}): No space left on device\n", result.Error);
    }

    [Fact]
    public void Collect_on_a_full_disk_is_one_error_line_naming_summary_csv()
    {
        var (dir, _) = RunSweep();

        CliResult result;
        using (WriteFaults.Inject(path => path.EndsWith("summary.csv", StringComparison.Ordinal)))
            result = CliHarness.Run("collect", dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: cannot write ({Path.Combine(dir, "summary.csv")}): No space left on device\n", result.Error);
    }

    [Fact]
    public void Compare_of_a_garbled_summary_csv_is_one_error_line_naming_file_and_row()
    {
        var dir = Temp.Combine("hand");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.csv"), "trial,status,seed,epochs,best_val_loss,error\na,completed,1,3,0.5,\nb,completed,2\n");

        var result = CliHarness.Run("compare", dir);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: damaged file ({Path.Combine(dir, "summary.csv")}): row 3 has 3 values but the header has 6 (cut short?); run 'exprun check' on the results folder to list every damaged file\n", result.Error);
    }

    [Fact]
    public void Check_reads_a_tuned_folders_tuning_trials_too()
    {
        var (dir, trials) = RunSweep();
        var tuned = Temp.Combine("tuned");
        Directory.CreateDirectory(Path.Combine(tuned, "tuning"));
        Directory.Move(Path.Combine(dir, "trials"), Path.Combine(tuned, "tuning", "trials"));
        var moved = Path.Combine(tuned, "tuning", "trials", Path.GetFileName(trials[3]), "metrics.csv");
        File.WriteAllText(moved, File.ReadAllText(moved).Replace("\n2,", "\n7,"));

        var check = CliHarness.Run("check", tuned);

        Assert.Equal(1, check.ExitCode);
        Assert.StartsWith($"{moved}: error: damaged trial: row 3: epoch 7 where epoch 2 belongs (each epoch once, in order)\n", check.Out);
        Assert.EndsWith($"checked 4 trials in {tuned}: 1 damaged (run again with --restart-damaged to train them from scratch)\n", check.Out);
    }
}
