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

    /// <summary>
    /// A worker whose sweep process dies (its input closes without quit) stops at once with its own exit code, in the
    /// middle of a trial too, without libtorch's exit-time teardown racing the training thread (that crashed it with
    /// SIGSEGV, exit 139, and left a core dump where they are on).
    /// </summary>
    [SkippableFact]
    public async Task An_orphaned_worker_stops_mid_trial_with_its_exit_code_not_a_crash()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "exit-time teardown and exit codes as on Linux");
        using var dir = new TempDir();
        var (worker, trialDir) = await WorkerOnFirstTrial(dir, SweepHarness.Sweep.Replace("epochs: 6", "epochs: 500", StringComparison.Ordinal));
        using var _ = worker;
        var metrics = Path.Combine(trialDir, "metrics.csv");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length > 3) && DateTime.UtcNow < deadline) Thread.Sleep(10);
        worker.StandardInput.Close();

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1))) await worker.WaitForExitAsync(timeout.Token);
        Assert.Equal(WorkerProtocol.OrphanExitCode, worker.ExitCode);
    }

    [Fact]
    public async Task A_worker_sent_quit_after_a_trial_exits_with_0()
    {
        using var dir = new TempDir();
        var (worker, trialDir) = await WorkerOnFirstTrial(dir, SweepHarness.Sweep);
        using var _ = worker;
        Assert.Equal($"{WorkerProtocol.DonePrefix}{Path.GetFileName(trialDir)}", await worker.StandardOutput.ReadLineAsync());
        worker.StandardInput.WriteLine(WorkerProtocol.Quit);
        worker.StandardInput.Close();

        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1))) await worker.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal("completed", RunManifest.TryLoad(trialDir)!.Status);
    }

    /// <summary>A worker process of the sweep in <paramref name="yaml"/>, sent its first trial; and that trial's folder.</summary>
    private static async Task<(Process Worker, string TrialDir)> WorkerOnFirstTrial(TempDir dir, string yaml)
    {
        var file = dir.Write("sweep.yaml", yaml);
        var trial = TestRuntime.Instance.Loader.Load(file).Trials[0];
        var worker = SweepHarness.Start(new RunArguments { File = file, Output = dir.Combine("results") }.ToArguments(WorkerProtocol.CommandName).ToArray());
        _ = worker.StandardError.ReadToEndAsync();
        Assert.Equal(WorkerProtocol.ReadyLine, await worker.StandardOutput.ReadLineAsync());
        worker.StandardInput.WriteLine(trial.Id);
        worker.StandardInput.Flush();
        return (worker, Path.Combine(dir.Combine("results", "sweep-test"), "trials", trial.Id));
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
