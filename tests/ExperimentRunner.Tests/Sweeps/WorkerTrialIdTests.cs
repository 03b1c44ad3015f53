using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>
/// Workers are sent trial ids and run only trials their own reading of the file produces: a worker started after the
/// file changed refuses the old ids, writes nothing, and the sweep records those trials as failed with the reason.
/// </summary>
public sealed class WorkerTrialIdTests
{
    private const string UnknownId = "relu-s9-00000000";

    [Fact]
    public void The_worker_session_refuses_an_unknown_id_and_runs_nothing()
    {
        var experiment = Experiments.Load(SweepHarness.Sweep, "/data");
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var ran = new List<string>();
        var session = new WorkerSession(experiment, (t, _) => { ran.Add(t.Id); return RunManifest.For(t, TrialStatus.Completed); }, output, error);

        Assert.True(session.Handle(UnknownId));
        Assert.True(session.Handle(experiment.Trials[5].Id));
        Assert.False(session.Handle(WorkerProtocol.Quit));

        var reason = $"trial '{UnknownId}' is not a trial of test.yaml as that file reads now (the file or a --set value changed after the sweep started); refused: nothing was run or written for it";
        Assert.Equal($"@@exprun refused {UnknownId} {reason}\n@@exprun done {experiment.Trials[5].Id}\n", output.ToString());
        Assert.Equal($"worker: error: {reason}\n", error.ToString());
        Assert.Equal([experiment.Trials[5].Id], ran);
    }

    [Fact]
    public async Task A_worker_process_given_an_unknown_id_answers_with_the_error_and_writes_nothing()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var results = dir.Combine("results");
        using var worker = SweepHarness.Start(new RunArguments { File = file, Output = results }.ToArguments(WorkerProtocol.CommandName).ToArray());
        var errors = worker.StandardError.ReadToEndAsync();

        Assert.Equal(WorkerProtocol.ReadyLine, await worker.StandardOutput.ReadLineAsync());
        worker.StandardInput.WriteLine(UnknownId);
        worker.StandardInput.Flush();
        var answer = await worker.StandardOutput.ReadLineAsync();
        worker.StandardInput.WriteLine(WorkerProtocol.Quit);
        worker.StandardInput.Flush();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1))) await worker.WaitForExitAsync(timeout.Token);

        var reason = $"trial '{UnknownId}' is not a trial of {file} as that file reads now (the file or a --set value changed after the sweep started); refused: nothing was run or written for it";
        Assert.Equal($"{WorkerProtocol.RefusedPrefix}{UnknownId} {reason}", answer);
        Assert.Equal($"worker: error: {reason}\n", await errors);
        Assert.Equal(0, worker.ExitCode);
        Assert.False(Directory.Exists(results), "a refused trial must leave no folder, no run.json");
    }

    [Fact]
    public void The_sweep_records_trials_a_worker_refused_as_failed_with_its_reason()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var trials = TestRuntime.Instance.Loader.Load(file).Trials.Take(2).ToList();
        // The file changes after the sweep read it: every id now hashes another config.
        dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("epochs: 6", "epochs: 7", StringComparison.Ordinal));
        var experimentDir = dir.Combine("results", "sweep-test");
        var finished = new List<(TrialSpec Trial, RunManifest Manifest)>();

        using (var pool = WorkerPool.Start(new RunArguments { File = file, Output = dir.Combine("results") }, 1))
            pool.Run(trials.Select(t => new WorkItem(t, experimentDir)).ToList(), (item, m) => finished.Add((item.Trial, m)));

        Assert.Equal(trials.Select(t => t.Id), finished.Select(f => f.Trial.Id));
        foreach (var (trial, manifest) in finished)
        {
            Assert.Equal("failed", manifest.Status);
            Assert.Equal($"trial '{trial.Id}' is not a trial of {file} as that file reads now (the file or a --set value changed after the sweep started); refused: nothing was run or written for it", manifest.Error);
            var trialDir = Path.Combine(ExperimentResults.TrialsDir(experimentDir), trial.Id);
            Assert.Equal([RunManifest.FileName], Directory.EnumerateFileSystemEntries(trialDir).Select(Path.GetFileName));
            Assert.Equal(manifest.Error, RunManifest.TryLoad(trialDir)!.Error);
        }
    }

    [Fact]
    public void Workers_that_cannot_load_the_changed_file_fail_the_queued_trials_instead_of_restarting_forever()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var trials = TestRuntime.Instance.Loader.Load(file).Trials.Take(3).ToList();
        dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("moons", "moon", StringComparison.Ordinal));
        var finished = new List<RunManifest>();

        using (var pool = WorkerPool.Start(new RunArguments { File = file, Output = dir.Combine("results") }, 2))
            pool.Run(trials.Select(t => new WorkItem(t, dir.Combine("results", "sweep-test"))).ToList(), (_, m) => finished.Add(m));

        Assert.Equal(trials.Select(t => t.Id).Order(StringComparer.Ordinal), finished.Select(m => m.Trial).Order(StringComparer.Ordinal));
        Assert.All(finished, m =>
        {
            Assert.Equal("failed", m.Status);
            Assert.Equal("a worker process exited with code 2 before it could take trials", m.Error);
            Assert.Contains("unknown dataset 'moon' (did you mean 'moons'?)", m.ErrorTail);
        });
    }
}
