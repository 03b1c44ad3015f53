using ExperimentRunner.Core.Config.Extends;
using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun export slurm|k8s FILE</c>: a job array / Indexed Job that runs the sweep shard by shard. As everywhere,
/// <c>-o/--output</c> is where this command writes (the script or manifest); the results folder Slurm tasks write
/// to is <c>--results</c> (Kubernetes pods write to the volume claim). Each target lists only the options it uses.
/// </summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("export", "write a Slurm job-array script or a Kubernetes Indexed Job for a sweep");
        command.Subcommands.Add(Slurm(context));
        command.Subcommands.Add(Kubernetes(context));
        return command;
    }

    private static Command Slurm(CliContext context)
    {
        var common = new CommonOptions();
        var results = new Option<string>("--results")
        {
            Description = "results folder the tasks write to, on a file system every node shares",
            HelpName = "dir",
            DefaultValueFactory = _ => RunArguments.DefaultOutput,
        };
        results.CompletionSources.Add(PathCompletion.Folders());
        var time = new Option<string>("--time") { Description = "time limit per task (Slurm format)", HelpName = "hh:mm:ss", DefaultValueFactory = _ => "01:00:00" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's)", HelpName = "name" };
        var command = new Command("slurm", "sbatch job-array script; run it with bash to submit the array and the collect step after it");
        common.AddTo(command, context.Catalogs);
        command.Options.Add(results);
        command.Options.Add(time);
        command.Options.Add(partition);
        command.SetAction(parse => common.Execute(context, parse, "slurm",
            s => s with { Run = s.Run with { Output = Path.GetFullPath(parse.GetValue(results)!) }, Time = parse.GetValue(time)!, Partition = parse.GetValue(partition) }));
        return command;
    }

    private static Command Kubernetes(CliContext context)
    {
        var common = new CommonOptions();
        var image = new Option<string>("--image") { Description = "container image with exprun", HelpName = "image", DefaultValueFactory = _ => "exprun:latest" };
        var claim = new Option<string>("--volume-claim") { Description = "PersistentVolumeClaim (ReadWriteMany) holding the results", HelpName = "name", DefaultValueFactory = _ => "exprun-results" };
        var command = new Command("k8s", "Kubernetes ConfigMap + Indexed Job manifest, plus OUT.collect.yaml for the collect step");
        common.AddTo(command, context.Catalogs);
        command.Options.Add(image);
        command.Options.Add(claim);
        command.SetAction(parse => common.Execute(context, parse, "k8s",
            s => s with { Image = parse.GetValue(image)!, VolumeClaim = parse.GetValue(claim)! }));
        return command;
    }

    /// <summary>The options both targets take, declared once.</summary>
    private sealed class CommonOptions
    {
        private readonly Argument<string> _file = new("file") { Description = "experiment file" };
        private readonly Option<string?> _output = new(RunArguments.OutputOption, RunArguments.OutputAlias)
        {
            Description = "file to write (atomically) instead of printing to stdout",
            HelpName = "file",
        };
        private readonly Option<string[]> _set = new(RunArguments.SetOption) { Description = "override a key (repeatable), passed on to every task", HelpName = "key=value" };
        private readonly Option<int?> _tasks = new("--tasks") { Description = "tasks, each running shard I/N (default: one per trial)", HelpName = "n" };
        private readonly Option<int> _parallel = new(RunArguments.ParallelOption) { Description = "worker processes inside one task", HelpName = "n", DefaultValueFactory = _ => 1 };
        private readonly Option<int> _cpus = new("--cpus-per-task") { Description = "cores per task", HelpName = "n", DefaultValueFactory = _ => 1 };
        private readonly Option<string> _memory = new("--mem") { Description = "memory per task", HelpName = "size", DefaultValueFactory = _ => "2G" };
        private readonly Option<int> _maxConcurrent = new("--max-concurrent") { Description = "tasks running at once (0: no limit)", HelpName = "n", DefaultValueFactory = _ => 0 };
        private readonly Option<string> _exprun = new("--exprun") { Description = "how a task invokes exprun: a path, or 'dotnet /path/exprun.dll'", HelpName = "command", DefaultValueFactory = _ => "exprun" };

        public void AddTo(Command command, Catalogs catalogs)
        {
            _file.CompletionSources.Add(PathCompletion.Files(PathCompletion.ExperimentFiles));
            _output.CompletionSources.Add(PathCompletion.Files());
            _set.CompletionSources.Add(context => new SetKeyCompletion(catalogs).Complete(context.WordToComplete));
            command.Arguments.Add(_file);
            foreach (var option in new Option[] { _output, _set, _tasks, _parallel, _cpus, _memory, _maxConcurrent, _exprun }) command.Options.Add(option);
        }

        public int Execute(CliContext context, ParseResult parse, string target, Func<ExportSettings, ExportSettings> targetSettings)
        {
            var path = parse.GetValue(_file)!;
            var destination = parse.GetValue(_output);
            if (destination is not null && Directory.Exists(destination))
            {
                context.Error.WriteLine($"error: {RunArguments.OutputOption}: '{destination}' is a folder; give the file to write{(target == "slurm" ? " (the results folder the tasks write to is --results)" : "")}");
                return ExitCodes.UsageError;
            }
            var overrides = parse.GetValue(_set) ?? [];
            if (ConfigErrors.TryLoad(context, path, overrides) is not { } experiment) return ExitCodes.UsageError;
            // A tuned sweep is split by cell: each task tunes its cells and then runs their seeds.
            var trials = experiment.Tuning?.Cells.Count ?? experiment.Trials.Count;
            var unit = experiment.Tuning is null ? "trial" : "tuned cell";
            var tasks = parse.GetValue(_tasks) ?? trials;
            if (NumberError(tasks, trials, unit, parse.GetValue(_parallel), parse.GetValue(_cpus), parse.GetValue(_maxConcurrent)) is { } error)
            {
                context.Error.WriteLine($"error: {error}");
                return ExitCodes.UsageError;
            }
            var settings = targetSettings(new ExportSettings
            {
                Run = new RunArguments { File = Path.GetFullPath(path), Set = overrides, Parallel = parse.GetValue(_parallel) },
                ExperimentName = experiment.Name,
                // A file that extends bases goes out merged: the pods see one file, not the bases beside it.
                ExperimentText = experiment.Merged is { } merged ? MergedYaml.Write(merged) : File.ReadAllText(path),
                Trials = trials,
                Unit = unit,
                Tasks = tasks,
                CpusPerTask = parse.GetValue(_cpus),
                Memory = parse.GetValue(_memory)!,
                MaxConcurrent = parse.GetValue(_maxConcurrent),
                Exprun = parse.GetValue(_exprun)!,
            });
            var text = target == "slurm" ? SlurmScript.Write(settings) : KubernetesManifest.Write(settings);
            if (destination is null)
            {
                context.Out.Write(text);
                return ExitCodes.Ok;
            }
            AtomicFile.WriteAllText(destination, text);
            if (target == "k8s") AtomicFile.WriteAllText(destination + ".collect.yaml", KubernetesManifest.WriteCollect(settings));
            if (target == "slurm" && !OperatingSystem.IsWindows())
                File.SetUnixFileMode(destination, File.GetUnixFileMode(destination) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
            context.Out.WriteLine($"wrote {destination}{(target == "k8s" ? $" and {destination}.collect.yaml" : "")}: {Counted.Of(trials, "trial")} in {Counted.Of(tasks, "task")}");
            return ExitCodes.Ok;
        }

        private static string? NumberError(int tasks, int trials, string unit, int parallel, int cpus, int maxConcurrent)
        {
            if (tasks < 1 || tasks > trials) return $"--tasks: {tasks} is not allowed; give 1 to {trials} (the sweep has {Counted.Of(trials, unit)})";
            if (parallel < 1) return $"{RunArguments.ParallelOption}: {parallel} is not allowed; give 1 or more";
            if (cpus < 1) return $"--cpus-per-task: {cpus} is not allowed; give 1 or more";
            if (maxConcurrent < 0) return $"--max-concurrent: {maxConcurrent} is not allowed; give 0 (no limit) or more";
            return null;
        }
    }
}
