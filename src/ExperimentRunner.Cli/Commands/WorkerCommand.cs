using System.Collections.Concurrent;
using System.CommandLine;
using System.Globalization;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// Hidden: one worker process of <c>exprun run --parallel N</c>. Runs the trials it is sent, one at a time, in
/// its own process so a native crash costs one trial, not the sweep. Exits at once when the parent dies
/// (stdin closes without <c>quit</c>), so a killed sweep leaves no orphans writing into its folders.
/// </summary>
public static class WorkerCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file");
        var set = new Option<string[]>("--set");
        var output = new Option<string>("--output") { Required = true };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 1 };
        var resume = new Option<bool>("--resume");
        var command = new Command(WorkerProtocol.CommandName, "internal: a worker process of a parallel sweep") { file, set, output, threads, resume };
        command.Hidden = true;
        command.SetAction(parse => Execute(context, parse.GetValue(file)!, parse.GetValue(set) ?? [], parse.GetValue(output)!, parse.GetValue(threads), parse.GetValue(resume)));
        return command;
    }

    private static int Execute(CliContext context, string file, string[] set, string output, int threads, bool resume)
    {
        LoadedExperiment experiment;
        try
        {
            experiment = context.Runtime.Loader.Load(file, set);
        }
        catch (Core.Problems.ConfigException ex)
        {
            context.Error.WriteLine(ex.Message);
            return ExitCodes.UsageError;
        }
        var experimentDir = TrialPaths.ExperimentDir(output, experiment.Name);
        var options = new RunOptions { Resume = resume, Threads = threads, Clock = context.Clock };
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
            if (!quitSeen) Environment.Exit(WorkerProtocol.OrphanExitCode);
            inbox.CompleteAdding();
        }) { IsBackground = true, Name = "worker-stdin" };
        reader.Start();
        context.Out.WriteLine(WorkerProtocol.ReadyLine);
        context.Out.Flush();
        foreach (var line in inbox.GetConsumingEnumerable())
        {
            if (line == WorkerProtocol.Quit) return ExitCodes.Ok;
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= experiment.Trials.Count)
            {
                context.Error.WriteLine($"worker: ignoring '{line}'");
                continue;
            }
            var manifest = context.Runtime.Runner.Run(experiment.Trials[index], experimentDir, options);
            if (manifest.Error is not null) context.Error.WriteLine(manifest.ErrorTail ?? manifest.Error);
            context.Out.WriteLine($"{WorkerProtocol.DonePrefix}{index}");
            context.Out.Flush();
        }
        return ExitCodes.Ok;
    }
}
