using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>One results folder, one experiment: a changed experiment is stopped before it trains, never pooled.</summary>
[Collection(TorchCollection.Name)]
public sealed class ExperimentFolderTests : TorchTest
{
    // 1 loss x 1 seed of the tiny experiment, one epoch: each trial trains in a fraction of a second.
    private const string Sweep = Experiments.Tiny + """

        sweep:
          parameters:
            loss: [cross_entropy]
          seeds: [1]
        """;

    private string Output => Temp.Combine("out");

    private string Folder => Path.Combine(Output, "tiny");

    private string File(string yaml) => Temp.Write("tiny.yaml", yaml);

    private static string WaysOut(string folder, string nothingDone) =>
        $"{folder}: {nothingDone}. One folder holds one experiment: give a changed experiment a new name (name: in the file, or --set name=NEW) "
        + $"or another output folder (-o/--output DIR), or run it with --fresh to move the old trials to {folder}.old-<UTC time> and start the folder afresh (nothing is deleted)\n";

    /// <summary>Every file below the folder with its bytes, to show that nothing was written.</summary>
    private static Dictionary<string, string> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToBase64String(System.IO.File.ReadAllBytes(f)));

    [Fact]
    public void A_changed_experiment_into_the_same_folder_exits_2_naming_the_keys_and_writes_nothing()
    {
        var file = File(Sweep);
        Assert.Equal(0, CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1").ExitCode);
        var before = Snapshot(Folder);
        Assert.Contains(ExperimentRecord.FileName, before.Keys);

        var result = CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=2", "--set", "optimizer.lr=0.02");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"{Folder}: error: the folder holds a different experiment (folder -> {file}): optimizer.lr: 0.01 -> 0.02\n"
            + $"{Folder}: error: the folder holds a different experiment (folder -> {file}): training.epochs: 1 -> 2\n"
            + WaysOut(Folder, "nothing was run"),
            result.Error);
        Assert.Equal(before, Snapshot(Folder));
    }

    [Fact]
    public void More_seeds_and_sweep_values_resume_in_the_same_folder()
    {
        Assert.Equal(0, CliHarness.Run("run", File(Sweep), "-o", Output, "--set", "training.epochs=1").ExitCode);

        // nll after auto output gets log_softmax where cross_entropy got identity: a setting that follows the swept loss.
        var grown = Sweep.Replace("[cross_entropy]", "[cross_entropy, nll]", StringComparison.Ordinal).Replace("seeds: [1]", "seeds: [1, 2]", StringComparison.Ordinal);
        var result = CliHarness.Run("run", File(grown), "-o", Output, "--set", "training.epochs=1");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"1 of 4 trials already finished in {Folder}; running the other 3\n", result.Out);
        Assert.Equal(4, CsvText.Read(Path.Combine(Folder, SummaryCsv.FileName)).Rows.Count);
        var record = ExperimentRecord.TryLoad(Folder)!;
        Assert.Equal(["model.output_activation"], record.Derived);
        Assert.Null(ExperimentFolder.CheckTrials(Folder));
    }

    [Fact]
    public void Turning_on_a_logger_keeps_the_folder_and_the_trials()
    {
        Assert.Equal(0, CliHarness.Run("run", File(Sweep), "-o", Output, "--set", "training.epochs=1").ExitCode);

        var result = CliHarness.Run("run", File(Sweep), "-o", Output, "--set", "training.epochs=1", "--set", "loggers=[tensorboard]");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"the trial is already finished in {Folder}", result.Out);
    }

    [Fact]
    public void Fresh_moves_the_old_trials_aside_and_starts_the_folder_anew()
    {
        var file = File(Sweep);
        Assert.Equal(0, CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1").ExitCode);
        var old = Snapshot(Folder);

        var result = CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=2", "--fresh");

        Assert.True(result.ExitCode == 0, result.Error);
        var aside = $"{Folder}.old-20250304T050607Z"; // the fake clock's time
        Assert.StartsWith($"--fresh: moved what {Folder} held to {aside}\n", result.Out);
        Assert.Equal(old, Snapshot(aside));
        var summary = CsvText.Read(Path.Combine(Folder, SummaryCsv.FileName));
        var row = Assert.Single(summary.Rows);
        Assert.Equal("2", row[summary.Header.ToList().IndexOf("epochs")]);
        Assert.Single(Directory.GetDirectories(ExperimentResults.TrialsDir(Folder)));
        Assert.Equal("2", ExperimentRecord.TryLoad(Folder)!.Settings["training.epochs"]);
    }

    [Fact]
    public void Fresh_with_a_shard_is_refused_before_anything_moves()
    {
        var result = CliHarness.Run("run", File(Sweep), "-o", Output, "--fresh", "--shard", "0/2");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --fresh with --shard: each shard would move the others' trials aside; run once with --fresh (or move the folder yourself), then the shards\n", result.Error);
        Assert.False(Directory.Exists(Output));
    }

    /// <summary>A folder pooled before folders kept a record: two runs' trials of the same cell with different epochs.</summary>
    private string MixedFolder()
    {
        var file = File(Sweep);
        Assert.Equal(0, CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1").ExitCode);
        var other = Temp.Combine("other");
        Assert.Equal(0, CliHarness.Run("run", file, "-o", other, "--set", "training.epochs=2").ExitCode);
        var trial = Assert.Single(Directory.GetDirectories(ExperimentResults.TrialsDir(Path.Combine(other, "tiny"))));
        Directory.Move(trial, Path.Combine(ExperimentResults.TrialsDir(Folder), Path.GetFileName(trial)));
        System.IO.File.Delete(Path.Combine(Folder, ExperimentRecord.FileName));
        return file;
    }

    private string Mixed(string nothingDone) =>
        $"{Folder}: error: the folder holds trials of different experiments: training.epochs: 1 (1 trial), 2 (1 trial)\n" + WaysOut(Folder, nothingDone);

    [Fact]
    public void Collect_compare_and_report_refuse_a_folder_whose_trials_disagree()
    {
        MixedFolder();
        var before = Snapshot(Folder);

        var collect = CliHarness.Run("collect", Folder);
        var compare = CliHarness.Run("compare", Folder);
        var report = CliHarness.Run("report", Folder);

        Assert.Equal((2, "", Mixed("nothing was collected")), (collect.ExitCode, collect.Out, collect.Error));
        Assert.Equal((2, "", Mixed("nothing was compared")), (compare.ExitCode, compare.Out, compare.Error));
        Assert.Equal((2, "", Mixed("no report was written")), (report.ExitCode, report.Out, report.Error));
        Assert.Equal(before, Snapshot(Folder));
    }

    [Fact]
    public void A_run_into_a_mixed_folder_without_a_record_is_refused_too()
    {
        var file = MixedFolder();
        var before = Snapshot(Folder);

        var result = CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1");

        Assert.Equal((2, "", Mixed("nothing was run")), (result.ExitCode, result.Out, result.Error));
        Assert.Equal(before, Snapshot(Folder));
    }

    [Fact]
    public void A_folder_from_before_records_is_judged_by_its_trials()
    {
        var file = File(Sweep);
        Assert.Equal(0, CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1").ExitCode);
        System.IO.File.Delete(Path.Combine(Folder, ExperimentRecord.FileName));

        var changed = CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=2");
        var same = CliHarness.Run("run", file, "-o", Output, "--set", "training.epochs=1");

        Assert.Equal(2, changed.ExitCode);
        Assert.StartsWith($"{Folder}: error: the folder holds a different experiment (folder -> {file}): training.epochs: 1 -> 2\n", changed.Error);
        Assert.True(same.ExitCode == 0, same.Error);
        Assert.Contains("the trial is already finished", same.Out);
        Assert.True(System.IO.File.Exists(Path.Combine(Folder, ExperimentRecord.FileName)));
    }
}
