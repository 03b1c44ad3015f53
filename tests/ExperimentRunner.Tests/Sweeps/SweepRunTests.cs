using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

[Collection(TorchCollection.Name)]
public sealed class SweepRunTests
{
    [Fact]
    public void ParallelWorkersGiveTheSameResultsAsOneProcess()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("one")).Code);
        var (code, output, _) = SweepHarness.Cli("run", file, "-o", dir.Combine("two"), "--parallel", "2");
        Assert.Equal(0, code);
        Assert.Contains("[8/8 done, 0 failed, ETA 0s]", output);
        foreach (var name in new[] { SummaryCsv.FileName, AggregateCsv.FileName })
            Assert.Equal(SweepHarness.WithoutTimes(dir.Combine("one", "sweep-test", name)), SweepHarness.WithoutTimes(dir.Combine("two", "sweep-test", name)));
    }

    [Fact]
    public void ShardsPlusCollectEqualOneRun()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("one")).Code);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("sharded"), "--shard", "0/2").Code);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("sharded"), "--shard", "1/2").Code);
        var experiment = dir.Combine("sharded", "sweep-test");
        File.Delete(Path.Combine(experiment, SummaryCsv.FileName));
        File.Delete(Path.Combine(experiment, AggregateCsv.FileName));
        var (code, output, _) = SweepHarness.Cli("collect", experiment);
        Assert.Equal(0, code);
        Assert.StartsWith("collected 8 trials", output);
        foreach (var name in new[] { SummaryCsv.FileName, AggregateCsv.FileName })
            Assert.Equal(SweepHarness.WithoutTimes(dir.Combine("one", "sweep-test", name)), SweepHarness.WithoutTimes(Path.Combine(experiment, name)));
    }

    [Fact]
    public void RerunningSkipsCompletedTrialsAndNeverRenumbers()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Path, "--shard", "0/2").Code);
        var before = SweepHarness.Manifests(dir.Combine("sweep-test")).ToDictionary(m => m.Trial, m => File.ReadAllText(dir.Combine("sweep-test", "trials", m.Trial, RunManifest.FileName)));
        Assert.Equal(4, before.Count);
        var (code, output, _) = SweepHarness.Cli("run", file, "-o", dir.Path, "--resume");
        Assert.Equal(0, code);
        Assert.Contains("4 of 8 trials already finished", output);
        foreach (var (trial, text) in before)
            Assert.Equal(text, File.ReadAllText(dir.Combine("sweep-test", "trials", trial, RunManifest.FileName)));
        var summary = CsvText.Read(dir.Combine("sweep-test", SummaryCsv.FileName));
        Assert.Equal(8, summary.Rows.Count);
        Assert.Equal(8, summary.Rows.Select(r => r[0]).Distinct().Count());
    }

    [Fact]
    public void SigkilledSweepResumesToTheSameSummaryWithoutRerunningFinishedTrials()
    {
        using var dir = new TempDir();
        // state_interval 0: commit after every epoch, so the kill lands between commits of a running trial. 120 epochs
        // (0.6 s a trial): with 30 (0.17 s) the trial seen mid-way often finished before its worker saw the kill, and
        // no trial was left to resume (3 of 10 runs failed the ResumedFromEpoch check below).
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("epochs: 6", "epochs: 120") + "\ncheckpoint: {state_interval: 0}\n");
        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", dir.Combine("whole")).Code);

        var killedDir = dir.Combine("killed");
        using (var sweep = SweepHarness.Start("run", file, "-o", killedDir, "--parallel", "2"))
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            // Killed once three trials are done and another is mid-way (two epochs in its metrics.csv, so one was
            // surely committed): a kill between two trials would leave nothing to resume from.
            while ((SweepHarness.Manifests(Path.Combine(killedDir, "sweep-test")).Count(m => m.StatusValue.IsTerminal()) < 3
                    || !MidWay(Path.Combine(killedDir, "sweep-test"))) && DateTime.UtcNow < deadline)
                Thread.Sleep(20);
            sweep.Kill(entireProcessTree: false); // SIGKILL to the sweep process only: its workers must notice and stop by themselves
            sweep.WaitForExit();
        }
        Thread.Sleep(1500);
        var finished = SweepHarness.Manifests(Path.Combine(killedDir, "sweep-test")).Where(m => m.StatusValue.IsTerminal()).ToDictionary(m => m.Trial, m => m.FinishedAt);
        Assert.InRange(finished.Count, 3, 7);
        Thread.Sleep(1000);
        // No orphan kept training after the kill: the set of finished trials did not grow.
        Assert.Equal(finished.Count, SweepHarness.Manifests(Path.Combine(killedDir, "sweep-test")).Count(m => m.StatusValue.IsTerminal()));

        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", killedDir, "--resume").Code);
        var after = SweepHarness.Manifests(Path.Combine(killedDir, "sweep-test")).ToList();
        foreach (var (trial, finishedAt) in finished)
            Assert.Equal(finishedAt, after.Single(m => m.Trial == trial).FinishedAt);
        Assert.Contains(after, m => m.ResumedFromEpoch > 0);
        foreach (var name in new[] { SummaryCsv.FileName, AggregateCsv.FileName })
            Assert.Equal(SweepHarness.WithoutTimes(dir.Combine("whole", "sweep-test", name)), SweepHarness.WithoutTimes(Path.Combine(killedDir, "sweep-test", name)));
    }

    /// <summary>Whether a trial still running has two epochs in its metrics.csv.</summary>
    private static bool MidWay(string experimentDir) =>
        SweepHarness.Manifests(experimentDir).Any(m =>
            !m.StatusValue.IsTerminal() && EpochRows(Path.Combine(ExperimentResults.TrialsDir(experimentDir), m.Trial, "metrics.csv")) >= 2);

    private static int EpochRows(string metrics)
    {
        try
        {
            return File.ReadAllLines(metrics).Length - 1;
        }
        catch (IOException)
        {
            return 0; // not written yet, or being replaced
        }
    }
}

[Collection(TorchCollection.Name)]
public sealed class DivergedCellTests
{
    [Fact]
    public void ADivergedCellIsAResultInTheSummaryAndAggregateAndTheSweepGoesOn()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", """
            name: lr-sweep
            dataset: {name: sine, samples: 200}
            model: {architecture: mlp, hidden: [16]}
            loss: mse
            optimizer: {name: sgd, lr: 0.01}
            training: {epochs: 4, batch_size: 16}
            sweep:
              parameters:
                optimizer.lr: [0.01, 100]
              seeds: 2
            """);
        var (code, output, _) = SweepHarness.Cli("run", file, "-o", dir.Path);
        Assert.Equal(0, code); // diverged is a terminal state, not a failure
        Assert.Matches(@"\] 100-s1-[0-9a-f]{8}: diverged after 0 epochs, 0\.0s; loss became non-finite in epoch 1\n", output);
        var (header, rows) = ExperimentRunner.Core.Results.CsvText.Read(dir.Combine("lr-sweep", ExperimentRunner.Core.Results.SummaryCsv.FileName));
        var h = header.ToList();
        Assert.Equal(["completed", "completed", "diverged", "diverged"], rows.Select(r => r[h.IndexOf("status")]).Order());
        Assert.All(rows.Where(r => r[h.IndexOf("status")] == "diverged"), r => Assert.Equal("1", r[h.IndexOf("diverged_epoch")]));
        var aggregate = ExperimentRunner.Core.Results.CsvText.Read(dir.Combine("lr-sweep", ExperimentRunner.Core.Results.AggregateCsv.FileName));
        var a = aggregate.Header.ToList();
        var hundred = aggregate.Rows.Single(r => r[a.IndexOf("optimizer.lr")] == "100");
        Assert.Equal(("2", "2", "0"), (hundred[a.IndexOf("n")], hundred[a.IndexOf("n_diverged")], hundred[a.IndexOf("n_failed")]));
    }
}
