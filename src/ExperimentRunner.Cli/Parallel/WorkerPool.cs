using System.Diagnostics;
using System.Threading.Channels;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// Runs trials in N worker processes, handing each the next trial as soon as it is free. A worker that dies
/// takes only its current trial with it: that trial is recorded as failed with the tail of the worker's
/// output, a new worker takes its place, and the sweep goes on. Workers start with the sweep's own run arguments
/// (file, output, overrides, threads, resume) and are sent trial ids.
/// </summary>
/// <remarks>
/// The processes start when the pool is made, not when the first trial is handed out: they need only the run
/// arguments (each loads the file itself and touches the results folder only when sent a trial), so the sweep
/// process makes the pool before it reads the file and prepares the folder, and the workers' own start (.NET,
/// the file, the catalogs) overlaps that instead of following it. They stay for every batch handed to
/// <see cref="Run(IReadOnlyList{WorkItem}, Action{WorkItem, RunManifest})"/> (a tuned sweep's rounds) until
/// the pool is disposed.
/// </remarks>
public sealed class WorkerPool : IDisposable
{
    private readonly IReadOnlyList<string> _workerArguments;
    private readonly int _workers;
    private readonly IReadOnlyList<int> _cpus = CpuPinning.AllowedCpus();
    private readonly Channel<(Worker Worker, string? Line)> _events = Channel.CreateUnbounded<(Worker, string?)>();
    private readonly List<Worker> _live = [];
    private bool _disposed;

    private sealed class Worker(Process process, int slot)
    {
        public Process Process { get; } = process;
        public int Slot { get; } = slot;
        public WorkItem? Current { get; set; }
        public bool Ready { get; set; }
        public Queue<string> Log { get; } = new();
    }

    private WorkerPool(RunArguments run, int workers)
    {
        _workerArguments = (run with { Parallel = 1, Shard = null, DryRun = false, Fresh = false }).ToArguments(WorkerProtocol.CommandName);
        _workers = workers;
    }

    /// <summary>Starts <paramref name="workers"/> worker processes now; <paramref name="run"/>'s file and output should be absolute paths.</summary>
    public static WorkerPool Start(RunArguments run, int workers)
    {
        var pool = new WorkerPool(run, workers);
        for (var slot = 0; slot < workers; slot++) pool.StartWorker(slot);
        return pool;
    }

    /// <summary>The process ids of the workers started and not yet seen to exit (tests).</summary>
    internal IReadOnlyList<int> WorkerIds => _live.Select(w => w.Process.Id).ToList();

    /// <summary>Runs every work item (tuning trials to their checkpoints too); <paramref name="onFinished"/> is called on the calling thread after each one.</summary>
    public void Run(IReadOnlyList<WorkItem> trials, Action<WorkItem, RunManifest> onFinished)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var batch = new Batch(new Queue<WorkItem>(trials), trials.Count, onFinished);
        // What happened while no batch was running (workers that became ready, or died) is taken in first.
        while (_events.Reader.TryRead(out var early)) Handle(early.Worker, early.Line, batch);
        foreach (var slot in Enumerable.Range(0, _workers).Where(s => _live.All(w => w.Slot != s)).Take(Math.Max(0, trials.Count - _live.Count)).ToList())
            StartWorker(slot);
        foreach (var idle in _live.Where(w => w.Ready && w.Current is null).ToList()) Feed(idle, batch.Queue);
        while (batch.Remaining > 0)
        {
            var (worker, line) = _events.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
            Handle(worker, line, batch);
        }
    }

    private sealed class Batch(Queue<WorkItem> queue, int remaining, Action<WorkItem, RunManifest> onFinished)
    {
        public Queue<WorkItem> Queue { get; } = queue;
        public int Remaining { get; set; } = remaining;

        public void Finished(WorkItem item, RunManifest manifest)
        {
            Remaining--;
            onFinished(item, manifest);
        }
    }

    private void Handle(Worker worker, string? line, Batch batch)
    {
        if (line == WorkerProtocol.ReadyLine)
        {
            worker.Ready = true;
            Feed(worker, batch.Queue);
        }
        else if (line is not null && line.StartsWith(WorkerProtocol.DonePrefix, StringComparison.Ordinal) && worker.Current is { } done)
        {
            worker.Current = null;
            batch.Finished(done, ManifestOf(done) ?? Died(done, worker, "worker reported the trial done but wrote no run.json"));
            Feed(worker, batch.Queue);
        }
        else if (line is not null && WorkerProtocol.RefusalReason(line) is { } reason && worker.Current is { } refused)
        {
            worker.Current = null;
            batch.Finished(refused, Refused(refused, reason));
            Feed(worker, batch.Queue);
        }
        else if (line is null)
        {
            _live.Remove(worker);
            if (worker.Current is { } lost)
                batch.Finished(lost, Died(lost, worker, $"worker process exited with code {worker.Process.ExitCode} while running this trial"));
            if (!worker.Ready)
            {
                // It could not even load the experiment (the file changed into one that does not load, or is gone):
                // every other worker would fail the same way, so the trials still queued fail with its reason.
                var why = $"a worker process exited with code {worker.Process.ExitCode} before it could take trials";
                while (batch.Queue.TryDequeue(out var unstarted)) batch.Finished(unstarted, Died(unstarted, worker, why));
            }
            if (batch.Queue.Count > 0 && _live.Count < _workers) StartWorker(worker.Slot);
            else if (_live.Count == 0 && batch.Remaining > 0) throw new InvalidOperationException("all worker processes exited with trials left");
        }
    }

    /// <summary>
    /// Sends waiting workers quit and stops the rest: one still starting has written nothing (it is killed), one
    /// inside a trial (the batch was abandoned) sees its input close and exits by itself, as when the sweep process dies.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var w in _live)
        {
            try
            {
                if (w.Process.HasExited) continue;
                if (!w.Ready && w.Current is null)
                {
                    w.Process.Kill(entireProcessTree: true);
                    continue;
                }
                if (w.Current is null) w.Process.StandardInput.WriteLine(WorkerProtocol.Quit);
                w.Process.StandardInput.Close();
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                // It exited meanwhile.
            }
        }
        foreach (var w in _live)
        {
            try
            {
                if (!w.Process.WaitForExit(5000)) w.Process.Kill(entireProcessTree: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
            }
        }
        _live.Clear();
    }

    private void StartWorker(int slot)
    {
        var process = Process.Start(WorkerLauncher.StartInfo(_workerArguments))!;
        // One worker per core, each pinned to its own: the scheduler otherwise moves the workers' runtime threads
        // (JIT, GC) onto each other's cores, and two unpinned workers on two cores reach only ~1.35x one.
        if (_workers <= _cpus.Count) CpuPinning.Pin(process, _cpus[slot % _cpus.Count]);
        var worker = new Worker(process, slot);
        var log = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (worker.Log)
                {
                    worker.Log.Enqueue(line);
                    if (worker.Log.Count > 40) worker.Log.Dequeue();
                }
            }
        });
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line) await _events.Writer.WriteAsync((worker, line));
            await process.WaitForExitAsync();
            // The exit is reported with the worker's last words: its failure report quotes them.
            await log;
            await _events.Writer.WriteAsync((worker, null));
        });
        _live.Add(worker);
    }

    /// <summary>Sends the worker the next trial; with none left it waits (a later batch may have more) until the pool is disposed.</summary>
    private static void Feed(Worker worker, Queue<WorkItem> queue)
    {
        if (!queue.TryDequeue(out var next)) return;
        try
        {
            worker.Process.StandardInput.WriteLine(WorkerProtocol.Order(next.Trial.Id, next.StopAfter));
            worker.Process.StandardInput.Flush();
            worker.Current = next;
        }
        catch (IOException)
        {
            // It died while it waited; its exit is on the way and another worker takes the trial.
            queue.Enqueue(next);
        }
    }

    private static RunManifest? ManifestOf(WorkItem item) => RunManifest.TryLoad(TrialPaths.TrialDir(item.ExperimentDir, item.Trial.Id));

    /// <summary>Records a trial the worker would not run (its reading of the file has no such trial): failed, with the worker's reason.</summary>
    private static RunManifest Refused(WorkItem item, string reason) => RecordFailure(item, reason, tail: null);

    /// <summary>Records a trial whose worker died: status failed, the exit reason and the worker's last output.</summary>
    private static RunManifest Died(WorkItem item, Worker worker, string reason)
    {
        string tail;
        lock (worker.Log) tail = string.Join('\n', worker.Log);
        return RecordFailure(item, reason, tail);
    }

    private static RunManifest RecordFailure(WorkItem item, string reason, string? tail)
    {
        var dir = TrialPaths.TrialDir(item.ExperimentDir, item.Trial.Id);
        var manifest = (ManifestOf(item) ?? RunManifest.For(item.Trial, TrialStatus.Failed)) with { Status = TrialStatus.Failed.Text(), Error = reason, ErrorTail = tail };
        Directory.CreateDirectory(dir);
        manifest.Save(dir);
        return manifest;
    }
}
