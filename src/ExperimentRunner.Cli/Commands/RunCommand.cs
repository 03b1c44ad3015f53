using System.CommandLine;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun run FILE</c>: one trial, or every trial of the file's sweep, into results/&lt;name&gt;/.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RunOptionSet();
        var command = new Command("run", "train one experiment (every trial of its sweep)");
        options.AddTo(command, context.Catalogs);
        command.SetAction(parse => Execute(context, options.Bind(parse)));
        return command;
    }

    private static int Execute(CliContext context, RunArguments request)
    {
        if (UsageError(request) is { } usage)
        {
            context.Error.WriteLine($"error: {usage}");
            return ExitCodes.UsageError;
        }
        var shard = ShardSpec.Parse(request.Shard, out _)!;
        // Started before the file is read, so their start overlaps this process's; stopped on any way out.
        using var workers = request.Parallel > 1 && !request.DryRun
            ? WorkerPool.Start(request with { File = Path.GetFullPath(request.File), Output = Path.GetFullPath(request.Output) }, request.Parallel)
            : null;
        if (ConfigErrors.TryLoad(context, request.File, request.Set) is not { } experiment) return ExitCodes.UsageError;
        if (experiment.Tuning is not null) return TuningRun.Execute(context, request, experiment, shard, workers);
        var trials = experiment.Trials.Where(t => shard.Contains(t.Index)).ToList();
        if (request.DryRun)
        {
            TrialTable.Write(context.Out, experiment, trials);
            return ExitCodes.Ok;
        }

        var experimentDir = TrialPaths.ExperimentDir(request.Output, experiment.Name);
        using var folderLock = PrepareFolder(context, request, experiment, experimentDir, shard);
        if (folderLock is null) return ExitCodes.UsageError;
        // Completed trials are never run twice: their run.json is the result.
        var results = new LiveResults(experimentDir, experiment);
        // A finished trial whose checkpoints no longer match their recorded checksums is not skipped as done.
        results.VerifyCheckpoints(trials);
        foreach (var damaged in results.Damaged) context.Error.WriteLine(damaged.WarningLine);
        var pending = trials.Where(t => !results.IsFinished(t)).ToList();
        if (pending.Count < trials.Count)
        {
            context.Out.WriteLine(pending.Count == 0
                ? $"{(trials.Count == 1 ? "the trial is" : $"all {trials.Count} trials are")} already finished in {experimentDir}; nothing to run"
                : $"{trials.Count - pending.Count} of {Counted.Of(trials.Count, "trial")} already finished in {experimentDir}; running the other {pending.Count}");
        }
        // One trial trains in this process, with its epochs shown; the waiting workers would only take CPU from it.
        if (pending.Count <= 1) workers?.Dispose();
        var failed = RunPending(context, request, workers, results, experimentDir, pending);
        results.WriteFromFolders();
        context.Out.WriteLine($"{Counted.Of(trials.Count, "trial")} in {Path.GetFullPath(experimentDir)}{(failed > 0 ? $"; {failed} failed (see run.json of each)" : "")}");
        return failed > 0 ? ExitCodes.TrialFailed : ExitCodes.Ok;
    }

    private static string? UsageError(RunArguments request)
    {
        if (request.Threads < 1) return $"{RunArguments.ThreadsOption}: {request.Threads} is not allowed; give 1 or more";
        if (request.Parallel < 1) return $"{RunArguments.ParallelOption}: {request.Parallel} is not allowed; give 1 or more";
        if (ShardSpec.Parse(request.Shard, out var shardError) is null) return shardError;
        if (request.Fresh && request.Shard is not null)
            return $"{RunArguments.FreshOption} with {RunArguments.ShardOption}: each shard would move the others' trials aside; run once with {RunArguments.FreshOption} (or move the folder yourself), then the shards";
        return null;
    }

    /// <summary>
    /// One folder, one experiment, one run at a time: a folder another live run holds (see <see cref="ExperimentLock"/>)
    /// stops this one at once; with --fresh the old contents move aside; otherwise a folder holding another experiment
    /// stops the run here, before anything is written. Then the folder records what it holds. Returns the lock to hold
    /// for the whole run, or null (the error lines written) when the run must not go on.
    /// </summary>
    internal static ExperimentLock? PrepareFolder(CliContext context, RunArguments request, LoadedExperiment experiment, string experimentDir, ShardSpec shard)
    {
        var wanted = ExperimentRecord.From(experiment);
        (int, int)? shardKey = request.Shard is null ? null : (shard.Index, shard.Count);
        var command = "exprun " + string.Join(" ", request.ToArguments());
        if (request.Fresh && ExperimentFolder.HasContent(experimentDir))
        {
            // Held while it is moved: a live run in the folder keeps it, and the move waits for nobody.
            using (var before = Acquire(context, experimentDir, shardKey, command))
            {
                if (before is null) return null;
            }
            var moved = ExperimentFolder.MoveAside(experimentDir, context.Clock.GetUtcNow());
            context.Out.WriteLine($"--fresh: moved what {experimentDir} held to {moved}");
        }
        else if (ExperimentFolder.CheckRun(experimentDir, wanted, request.File) is { } mismatch)
        {
            foreach (var line in mismatch.Lines("nothing was run")) context.Error.WriteLine(line);
            return null;
        }
        var held = Acquire(context, experimentDir, shardKey, command);
        if (held is null) return null;
        ExperimentFolder.Record(experimentDir, wanted);
        return held;
    }

    private static ExperimentLock? Acquire(CliContext context, string experimentDir, (int, int)? shard, string command)
    {
        var held = ExperimentLock.TryAcquire(experimentDir, shard, command, context.Clock.GetUtcNow(), out var refusal);
        if (held is null)
        {
            context.Error.WriteLine(refusal);
            return null;
        }
        foreach (var note in held.Notes) context.Error.WriteLine(note);
        return held;
    }

    /// <summary>Runs the pending trials in worker processes or in this one, keeping the summary current; returns how many failed.</summary>
    private static int RunPending(CliContext context, RunArguments request, WorkerPool? workers, LiveResults results, string experimentDir, IReadOnlyList<TrialSpec> pending) =>
        new TrialBatch(context, request, workers).Run(
            pending.Select(t => new WorkItem(t, experimentDir, Resume: request.Resume)).ToList(),
            (_, manifest) => results.Finished(manifest));
}
