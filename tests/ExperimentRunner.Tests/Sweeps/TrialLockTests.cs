using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Tests.Sweeps;

[Collection(TorchCollection.Name)]
public sealed class TrialLockTests
{
    [Fact]
    public void ATrialLockedByAnotherRunIsSkippedAndNothingIsWritten()
    {
        using var dir = new TempDir();
        var trial = Experiments.Single(Experiments.Tiny, dir.Path);
        var trialDir = TrialPaths.TrialDir(dir.Combine("tiny"), trial.Id);
        using (var held = TrialLock.TryAcquire(trialDir))
        {
            Assert.NotNull(held);
            Assert.Null(TrialLock.TryAcquire(trialDir));
            var manifest = TestRuntime.Instance.Runner.Run(trial, dir.Combine("tiny"), new RunOptions());
            Assert.Equal("running", manifest.Status);
            Assert.Contains("another process is training this trial", manifest.Error);
            Assert.False(File.Exists(Path.Combine(trialDir, RunManifest.FileName)));
        }
        // Released: the trial now runs.
        Assert.Equal("completed", TestRuntime.Instance.Runner.Run(trial, dir.Combine("tiny"), new RunOptions()).Status);
        Assert.False(File.Exists(Path.Combine(trialDir, ".lock")));
    }
}

[Collection(TorchCollection.Name)]
public sealed class LeftoverTempFileTests
{
    [Fact]
    public void TemporaryFilesOfAKilledWriterAreRemovedWhenTheTrialRunsAgain()
    {
        using var dir = new TempDir();
        var trial = Experiments.Single(Experiments.Tiny, dir.Path);
        var trialDir = TrialPaths.TrialDir(dir.Combine("tiny"), trial.Id);
        Directory.CreateDirectory(Path.Combine(trialDir, "checkpoints", "state"));
        var leftovers = new[] { Path.Combine(trialDir, ".metrics.csv.123.abc.exprun-tmp"), Path.Combine(trialDir, "checkpoints", "state", ".trainer.json.123.def.exprun-tmp") };
        foreach (var f in leftovers) File.WriteAllText(f, "half");
        Assert.Equal("completed", TestRuntime.Instance.Runner.Run(trial, dir.Combine("tiny"), new RunOptions()).Status);
        Assert.All(leftovers, f => Assert.False(File.Exists(f)));
        Assert.Empty(Directory.EnumerateFiles(trialDir, "*exprun-tmp", SearchOption.AllDirectories));
    }
}
