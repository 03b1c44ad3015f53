using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli;

/// <summary>
/// Trains a list of work items in worker processes (<c>--parallel N</c>) or in this one, with the progress a terminal
/// or a log gets, and reports each finished item. A plain sweep is one batch; a tuned sweep one batch per round.
/// </summary>
/// <param name="workers">The sweep's worker processes with <c>--parallel</c> (null: every item trains in this process);
/// a batch of one item trains in this process either way, with its per-epoch progress.</param>
public sealed class TrialBatch(CliContext context, RunArguments request, WorkerPool? workers)
{
    /// <summary>Runs the items; returns how many failed. <paramref name="finished"/> is called on this thread after each one.</summary>
    public int Run(IReadOnlyList<WorkItem> items, Action<WorkItem, RunManifest> finished)
    {
        if (context.Interactive)
        {
            var failures = new List<(WorkItem Item, RunManifest Manifest)>();
            LiveProgress.Run(items.Count, live => Train(items, live, (item, manifest) =>
            {
                live.Finished(item.Trial, manifest);
                if (manifest.StatusValue == TrialStatus.Failed) failures.Add((item, manifest));
                finished(item, manifest);
            }));
            // After the live view has stopped redrawing, so the lines are not torn.
            foreach (var (item, manifest) in failures) SweepProgress.ErrorLine(context.Error, item.Trial.Id, manifest);
            return failures.Count;
        }
        var progress = new SweepProgress(context.Out, context.Error, items.Count);
        Train(items, new ConsoleProgress(context.Out, items.Select(i => i.Trial).ToList()), (item, manifest) =>
        {
            progress.Finished(item.Trial, manifest);
            finished(item, manifest);
        });
        return progress.Failed;
    }

    private void Train(IReadOnlyList<WorkItem> items, Torch.Training.IProgressSink perEpoch, Action<WorkItem, RunManifest> done)
    {
        if (workers is not null && items.Count > 1)
        {
            workers.Run(items, done);
            return;
        }
        var options = new RunOptions { RestartDamaged = request.RestartDamaged, Threads = request.Threads, Clock = context.Clock, Progress = perEpoch };
        foreach (var item in items)
            done(item, context.Runtime.Runner.Run(item.Trial, item.ExperimentDir, item.Options(options)));
    }
}
