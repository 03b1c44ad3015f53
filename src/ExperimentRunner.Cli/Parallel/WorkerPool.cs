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
public sealed class WorkerPool(RunArguments run, int workers, string experimentDir)
{
    private readonly IReadOnlyList<string> _workerArguments =
        (run with { Parallel = 1, Shard = null, DryRun = false, Fresh = false }).ToArguments(WorkerProtocol.CommandName);

    private sealed class Worker(Process process, int slot)
    {
        public Process Process { get; } = process;
        public int Slot { get; } = slot;
        public WorkItem? Current { get; set; }
        public bool Ready { get; set; }
        public Queue<string> Log { get; } = new();
    }

    /// <summary>Runs every trial; <paramref name="onFinished"/> is called on the calling thread after each one.</summary>
    public void Run(IReadOnlyList<TrialSpec> trials, Action<TrialSpec, RunManifest> onFinished) =>
        Run(trials.Select(t => new WorkItem(t, experimentDir, Resume: run.Resume)).ToList(), (item, manifest) => onFinished(item.Trial, manifest));

    /// <summary>Runs every work item (tuning trials to their checkpoints too); <paramref name="onFinished"/> is called on the calling thread after each one.</summary>
    public void Run(IReadOnlyList<WorkItem> trials, Action<WorkItem, RunManifest> onFinished)
    {
        var queue = new Queue<WorkItem>(trials);
        var events = Channel.CreateUnbounded<(Worker Worker, string? Line)>();
        var live = new List<Worker>();
        var remaining = trials.Count;

        var cpus = CpuPinning.AllowedCpus();
        Worker Start(int slot)
        {
            var process = Process.Start(WorkerLauncher.StartInfo(_workerArguments))!;
            // One worker per core, each pinned to its own: the scheduler otherwise moves the workers' runtime threads
            // (JIT, GC) onto each other's cores, and two unpinned workers on two cores reach only ~1.35x one.
            if (workers <= cpus.Count) CpuPinning.Pin(process, cpus[slot % cpus.Count]);
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
                while (await process.StandardOutput.ReadLineAsync() is { } line) await events.Writer.WriteAsync((worker, line));
                await process.WaitForExitAsync();
                // The exit is reported with the worker's last words: its failure report quotes them.
                await log;
                await events.Writer.WriteAsync((worker, null));
            });
            live.Add(worker);
            return worker;
        }

        void Feed(Worker worker)
        {
            if (queue.TryDequeue(out var next))
            {
                worker.Current = next;
                worker.Process.StandardInput.WriteLine(WorkerProtocol.Order(next.Trial.Id, next.StopAfter));
            }
            else
            {
                worker.Current = null;
                worker.Process.StandardInput.WriteLine(WorkerProtocol.Quit);
            }
            worker.Process.StandardInput.Flush();
        }

        for (var i = 0; i < Math.Min(workers, trials.Count); i++) Start(i);
        try
        {
            while (remaining > 0)
            {
                var (worker, line) = events.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
                if (line == WorkerProtocol.ReadyLine)
                {
                    worker.Ready = true;
                    Feed(worker);
                }
                else if (line is not null && line.StartsWith(WorkerProtocol.DonePrefix, StringComparison.Ordinal) && worker.Current is { } done)
                {
                    worker.Current = null;
                    remaining--;
                    onFinished(done, ManifestOf(done) ?? Died(done, worker, "worker reported the trial done but wrote no run.json"));
                    Feed(worker);
                }
                else if (line is not null && WorkerProtocol.RefusalReason(line) is { } reason && worker.Current is { } refused)
                {
                    worker.Current = null;
                    remaining--;
                    onFinished(refused, Refused(refused, reason));
                    Feed(worker);
                }
                else if (line is null)
                {
                    live.Remove(worker);
                    if (worker.Current is { } lost)
                    {
                        remaining--;
                        onFinished(lost, Died(lost, worker, $"worker process exited with code {worker.Process.ExitCode} while running this trial"));
                    }
                    if (!worker.Ready)
                    {
                        // It could not even load the experiment (the file changed into one that does not load, or is gone):
                        // every other worker would fail the same way, so the trials still queued fail with its reason.
                        var why = $"a worker process exited with code {worker.Process.ExitCode} before it could take trials";
                        while (queue.TryDequeue(out var unstarted))
                        {
                            remaining--;
                            onFinished(unstarted, Died(unstarted, worker, why));
                        }
                    }
                    if (queue.Count > 0 && live.Count < workers) Start(worker.Slot);
                    else if (live.Count == 0 && remaining > 0) throw new InvalidOperationException("all worker processes exited with trials left");
                }
            }
        }
        finally
        {
            foreach (var w in live.Where(w => !w.Process.HasExited))
            {
                try
                {
                    w.Process.StandardInput.Close();
                    if (!w.Process.WaitForExit(5000)) w.Process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }
            }
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
