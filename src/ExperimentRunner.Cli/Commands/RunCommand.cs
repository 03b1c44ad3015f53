using System.CommandLine;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun run FILE</c>: one trial, or every trial of the file's sweep, into results/&lt;name&gt;/.</summary>
public static class RunCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "experiment file (.yaml, .yml or .json)" };
        var set = new Option<string[]>("--set") { Description = "override a key: --set optimizer.lr=0.01 (repeatable; values are YAML)", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--output", "-o") { Description = "output folder (default: results)", DefaultValueFactory = _ => "results" };
        var resume = new Option<bool>("--resume") { Description = "continue unfinished trials from their last checkpoint (completed trials are always skipped)" };
        var threads = new Option<int>("--threads") { Description = "torch threads per trial (default 1: small models train fastest that way)", DefaultValueFactory = _ => 1 };
        var shard = new Option<string?>("--shard") { Description = "run only trials with index mod N == I, e.g. 0/4" };
        var dryRun = new Option<bool>("--dry-run") { Description = "print the trials that would run, train nothing" };
        var parallel = new Option<int>("--parallel", "-j") { Description = "worker processes running trials side by side (default 1: in this process)", DefaultValueFactory = _ => 1 };
        var command = new Command("run", "train one experiment (every trial of its sweep)") { file, set, output, resume, threads, shard, dryRun, parallel };
        command.SetAction(parse => Execute(context, new Request(
            parse.GetValue(file)!, parse.GetValue(set) ?? [], parse.GetValue(output)!, parse.GetValue(resume),
            parse.GetValue(threads), parse.GetValue(shard), parse.GetValue(dryRun), parse.GetValue(parallel))));
        return command;
    }

    private sealed record Request(string File, string[] Set, string Output, bool Resume, int Threads, string? Shard, bool DryRun, int Parallel);

    private static int Execute(CliContext context, Request request)
    {
        if (request.Threads < 1 || request.Parallel < 1)
        {
            context.Error.WriteLine(request.Threads < 1
                ? $"error: --threads: {request.Threads} is not allowed; give 1 or more"
                : $"error: --parallel: {request.Parallel} is not allowed; give 1 or more");
            return ExitCodes.UsageError;
        }
        if (ShardSpec.Parse(request.Shard, out var shardError) is not { } shard)
        {
            context.Error.WriteLine($"error: {shardError}");
            return ExitCodes.UsageError;
        }
        if (ConfigErrors.TryLoad(context, request.File, request.Set) is not { } experiment) return ExitCodes.UsageError;
        var trials = experiment.Trials.Where(t => shard.Contains(t.Index)).ToList();
        if (request.DryRun)
        {
            TrialTable.Write(context.Out, experiment, trials);
            return ExitCodes.Ok;
        }

        var experimentDir = TrialPaths.ExperimentDir(request.Output, experiment.Name);
        // Completed trials are never run twice: their run.json is the result.
        var results = new LiveResults(experimentDir, experiment);
        var pending = trials.Where(t => !results.IsFinished(t)).ToList();
        if (pending.Count < trials.Count)
            context.Out.WriteLine($"{trials.Count - pending.Count} of {trials.Count} trials already finished in {experimentDir}; running the other {pending.Count}");
        var failed = 0;
        if (context.Interactive)
        {
            LiveProgress.Run(pending.Count, live =>
            {
                RunTrials(context, request, results, experimentDir, pending, live, live.Finished);
                failed = live.Failed;
            });
        }
        else
        {
            var progress = new SweepProgress(context.Out, pending.Count);
            var perEpoch = new ConsoleProgress(context.Out, experiment.Trials.Count);
            // One trial: its epoch lines and the final line say it all; a sweep also gets a done/total line per trial.
            RunTrials(context, request, results, experimentDir, pending, perEpoch, (trial, manifest) =>
            {
                if (pending.Count > 1 || manifest.StatusValue == TrialStatus.Failed) progress.Finished(trial, manifest);
            });
            failed = progress.Failed;
        }
        results.Write();
        context.Out.WriteLine($"{trials.Count} {(trials.Count == 1 ? "trial" : "trials")} in {Path.GetFullPath(experimentDir)}{(failed > 0 ? $"; {failed} failed (see run.json of each)" : "")}");
        return failed > 0 ? ExitCodes.TrialFailed : ExitCodes.Ok;
    }

    /// <summary>Runs the pending trials in worker processes or in this one, rewriting the summary after each.</summary>
    private static void RunTrials(CliContext context, Request request, LiveResults results, string experimentDir,
        IReadOnlyList<Core.Config.TrialSpec> pending, Torch.Training.IProgressSink perEpoch, Action<Core.Config.TrialSpec, RunManifest> finished)
    {
        if (request.Parallel > 1 && pending.Count > 1)
        {
            List<string> arguments = [WorkerProtocol.CommandName, Path.GetFullPath(request.File), "--output", Path.GetFullPath(request.Output), "--threads", request.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture)];
            if (request.Resume) arguments.Add("--resume");
            foreach (var assignment in request.Set) arguments.AddRange(["--set", assignment]);
            new WorkerPool(arguments, request.Parallel, experimentDir).Run(pending, (trial, manifest) =>
            {
                finished(trial, manifest);
                results.Finished(manifest);
            });
            return;
        }
        var options = new RunOptions { Resume = request.Resume, Threads = request.Threads, Clock = context.Clock, Progress = perEpoch };
        foreach (var trial in pending)
        {
            var manifest = context.Runtime.Runner.Run(trial, experimentDir, options);
            // The live view already heard of it through the progress sink.
            if (perEpoch is not LiveProgress) finished(trial, manifest);
            results.Finished(manifest);
        }
    }
}
