using System.Diagnostics;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>
/// The worker processes of --parallel start before the sweep reads its file, serve every batch (a tuned sweep's
/// rounds) and are gone when the run ends, whichever way it ends.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class WorkerPoolTests
{
    [Fact]
    public void The_same_workers_train_every_batch_and_leave_when_the_pool_is_disposed()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var experimentDir = dir.Combine("results", "sweep-test");
        var trials = TestRuntime.Instance.Loader.Load(file).Trials.Take(4).ToList();
        var finished = new List<RunManifest>();
        IReadOnlyList<int> started, afterFirst, afterSecond;

        using (var pool = WorkerPool.Start(new RunArguments { File = file, Output = dir.Combine("results") }, 2))
        {
            started = pool.WorkerIds;
            pool.Run(trials.Take(2).Select(t => new WorkItem(t, experimentDir)).ToList(), (_, m) => finished.Add(m));
            afterFirst = pool.WorkerIds;
            pool.Run(trials.Skip(2).Select(t => new WorkItem(t, experimentDir)).ToList(), (_, m) => finished.Add(m));
            afterSecond = pool.WorkerIds;
        }

        Assert.Equal(2, started.Count);
        Assert.Equal(started, afterFirst);
        Assert.Equal(started, afterSecond);
        Assert.Equal(trials.Select(t => t.Id).Order(StringComparer.Ordinal), finished.Select(m => m.Trial).Order(StringComparer.Ordinal));
        Assert.All(finished, m => Assert.Equal("completed", m.Status));
        Assert.All(started, pid => Assert.False(IsRunning(pid), $"worker {pid} still runs after the pool was disposed"));
    }

    [Fact]
    public void A_pool_disposed_while_its_workers_are_still_starting_stops_them_at_once()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        IReadOnlyList<int> started;
        var clock = Stopwatch.StartNew();
        using (var pool = WorkerPool.Start(new RunArguments { File = file, Output = dir.Combine("results") }, 2)) started = pool.WorkerIds;

        Assert.Equal(2, started.Count);
        Assert.All(started, pid => Assert.False(IsRunning(pid), $"worker {pid} still runs after the pool was disposed"));
        // Killed, not waited for: the 5 s a waiting worker gets to quit would show here.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"disposing took {clock.Elapsed}");
        Assert.False(Directory.Exists(dir.Combine("results")), "a worker that was sent nothing must write nothing");
    }

    [SkippableFact]
    public void A_parallel_run_of_a_file_that_does_not_load_says_only_what_a_single_run_says_and_leaves_no_worker()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "finds worker processes through /proc");
        using var dir = new TempDir();
        var file = dir.Write("broken.yaml", SweepHarness.Sweep.Replace("moons", "moon", StringComparison.Ordinal));

        var single = Finish(SweepHarness.Start("run", file, "-o", dir.Combine("results")));
        var parallel = Finish(SweepHarness.Start("run", file, "-o", dir.Combine("results"), "--parallel", "2"));

        Assert.Equal(2, single.Code);
        Assert.Contains("unknown dataset 'moon' (did you mean 'moons'?)", single.Err);
        Assert.Equal(single, parallel);
        Assert.Empty(WorkersOf(file));
        Assert.False(Directory.Exists(dir.Combine("results")));
    }

    [SkippableFact]
    public void A_parallel_run_with_one_trial_left_trains_it_here_with_its_epochs_shown()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "finds worker processes through /proc");
        using var dir = new TempDir();
        var file = dir.Write("one.yaml", SweepHarness.Sweep[..SweepHarness.Sweep.IndexOf("sweep:", StringComparison.Ordinal)]);

        var (code, output, error) = SweepHarness.Cli("run", file, "-o", dir.Path, "--parallel", "2");

        Assert.True(code == 0, error);
        // Epoch lines come from a trial trained in this process; a worker's progress is not shown.
        Assert.Contains("  epoch   6", output);
        var manifest = Assert.Single(SweepHarness.Manifests(dir.Combine("sweep-test")));
        Assert.Equal("completed", manifest.Status);
        Assert.Empty(WorkersOf(file));
    }

    private static (int Code, string Out, string Err) Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "exprun did not exit");
            return (process.ExitCode, output.Result, error.Result);
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>Processes whose command line names the file: workers of a run of it.</summary>
    private static List<int> WorkersOf(string file) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Pid: Path.GetFileName(d), CmdLine: Path.Combine(d, "cmdline")))
            .Where(p => p.Pid.All(char.IsAsciiDigit))
            .Where(p =>
            {
                try
                {
                    return File.ReadAllText(p.CmdLine).Contains(file, StringComparison.Ordinal);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            })
            .Select(p => int.Parse(p.Pid, System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
}
