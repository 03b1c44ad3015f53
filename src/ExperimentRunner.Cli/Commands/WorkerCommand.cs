using System.Collections.Concurrent;
using System.CommandLine;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// Hidden: one worker process of <c>exprun run --parallel N</c>, started with run's own options (see
/// <see cref="RunOptionSet"/>). Runs the trials it is sent by id, one at a time, in its own process so a native
/// crash costs one trial, not the sweep. Exits at once when the parent dies (stdin closes without <c>quit</c>),
/// so a killed sweep leaves no orphans writing into its folders.
/// </summary>
public static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var options = new RunOptionSet();
        var command = new Command(WorkerProtocol.CommandName, "internal: a worker process of a parallel sweep") { Hidden = true };
        options.AddTo(command, context.Catalogs);
        command.SetAction(parse => Execute(context, options.Bind(parse)));
        return command;
    }

    private static int Execute(CliContext context, RunArguments arguments)
    {
        // The parent decides which trials run and prepares the folder; a worker only trains what it is sent.
        if (arguments.Shard is not null || arguments.Parallel != 1 || arguments.DryRun || arguments.Fresh)
        {
            context.Error.WriteLine($"error: {WorkerProtocol.CommandName} takes no {RunArguments.ShardOption}, {RunArguments.ParallelOption}, {RunArguments.DryRunOption} or {RunArguments.FreshOption}: the sweep process handles them");
            return ExitCodes.UsageError;
        }
        LoadedExperiment experiment;
        try
        {
            experiment = context.Runtime.Loader.Load(arguments.File, arguments.Set);
        }
        catch (Core.Problems.ConfigException ex)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.UsageError;
        }
        var experimentDir = TrialPaths.ExperimentDir(arguments.Output, experiment.Name);
        var options = new RunOptions { Resume = arguments.Resume, RestartDamaged = arguments.RestartDamaged, Threads = arguments.Threads, Clock = context.Clock };
        var session = new WorkerSession(experiment, (trial, stopAfter) =>
        {
            var item = TrialPlacement.Of(experiment, trial, experimentDir, arguments.Resume, stopAfter);
            return context.Runtime.Runner.Run(trial, item.ExperimentDir, item.Options(options));
        }, context.Out, context.Error);
        var inbox = new BlockingCollection<string>();
        var quitSeen = false;
        var reader = new Thread(() =>
        {
            while (Console.In.ReadLine() is { } line)
            {
                quitSeen |= line.Trim() == WorkerProtocol.Quit;
                inbox.Add(line.Trim());
            }
            // stdin closed: if no quit came, the parent is gone; stop now rather than keep writing results nobody waits for.
            if (!quitSeen) ImmediateExit.Now(WorkerProtocol.OrphanExitCode);
            inbox.CompleteAdding();
        }) { IsBackground = true, Name = "worker-stdin" };
        reader.Start();
        context.Out.WriteLine(WorkerProtocol.ReadyLine);
        context.Out.Flush();
        foreach (var line in inbox.GetConsumingEnumerable())
        {
            if (!session.Handle(line)) break;
        }
        // Quit (or input closed after it): every trial sent is finished and recorded; ending without the C runtime's
        // teardown spares the race that crashes orphans (see ImmediateExit).
        ImmediateExit.Now(ExitCodes.Ok);
        return ExitCodes.Ok;
    }
}
