using System.CommandLine;
using ExperimentRunner.Core.Export;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun export slurm|k8s FILE</c>: a job array / Indexed Job that runs the sweep's trials by index.</summary>
public static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("export", "write a Slurm job-array script or a Kubernetes Indexed Job for a sweep");
        command.Subcommands.Add(Target(context, "slurm", "sbatch job-array script (run it with bash to submit the array and the collect step)"));
        command.Subcommands.Add(Target(context, "k8s", "Kubernetes ConfigMap + Indexed Job manifest, plus OUT.collect.yaml for the collect step"));
        return command;
    }

    private static Command Target(CliContext context, string target, string description)
    {
        var file = new Argument<string>("file") { Description = "experiment file" };
        var outFile = new Option<string?>("-o", "--out") { Description = "write here (atomically) instead of stdout" };
        var set = new Option<string[]>("--set") { Description = "override a key (repeatable), passed on to every task" };
        var output = new Option<string>("--output") { Description = "results folder the tasks write to (absolute on a shared file system)", DefaultValueFactory = _ => "results" };
        var tasks = new Option<int?>("--tasks") { Description = "array tasks, each running shard I/N (default: one per trial)" };
        var parallel = new Option<int>("--parallel") { Description = "worker processes inside one task", DefaultValueFactory = _ => 1 };
        var cpus = new Option<int>("--cpus-per-task") { Description = "cores per task", DefaultValueFactory = _ => 1 };
        var mem = new Option<string>("--mem") { Description = "memory per task (e.g. 2G)", DefaultValueFactory = _ => "2G" };
        var time = new Option<string>("--time") { Description = "time limit per task (Slurm format, e.g. 01:00:00)", DefaultValueFactory = _ => "01:00:00" };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition" };
        var maxConcurrent = new Option<int>("--max-concurrent") { Description = "tasks running at once (0: no limit)", DefaultValueFactory = _ => 0 };
        var exprun = new Option<string>("--exprun") { Description = "how tasks invoke exprun (a path, or 'dotnet /path/exprun.dll')", DefaultValueFactory = _ => "exprun" };
        var image = new Option<string>("--image") { Description = "container image with exprun (k8s)", DefaultValueFactory = _ => "exprun:latest" };
        var claim = new Option<string>("--volume-claim") { Description = "PersistentVolumeClaim for results (k8s)", DefaultValueFactory = _ => "exprun-results" };
        var command = new Command(target, description) { file, outFile, set, output, tasks, parallel, cpus, mem, time, partition, maxConcurrent, exprun, image, claim };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!;
            var overrides = parse.GetValue(set) ?? [];
            if (ConfigErrors.TryLoad(context, path, overrides) is not { } experiment) return ExitCodes.UsageError;
            var trials = experiment.Trials.Count;
            var taskCount = parse.GetValue(tasks) ?? trials;
            if (taskCount < 1 || taskCount > trials || parse.GetValue(parallel) < 1 || parse.GetValue(cpus) < 1)
            {
                context.Error.WriteLine($"error: --tasks must be 1..{trials} (the trial count), --parallel and --cpus-per-task at least 1");
                return ExitCodes.UsageError;
            }
            var settings = new ExportSettings
            {
                ExperimentFile = Path.GetFullPath(path),
                ExperimentName = experiment.Name,
                ExperimentText = File.ReadAllText(path),
                Trials = trials,
                Tasks = taskCount,
                OutputDir = target == "slurm" ? Path.GetFullPath(parse.GetValue(output)!) : parse.GetValue(output)!,
                Overrides = overrides,
                Parallel = parse.GetValue(parallel),
                CpusPerTask = parse.GetValue(cpus),
                Memory = parse.GetValue(mem)!,
                Time = parse.GetValue(time)!,
                Partition = parse.GetValue(partition),
                MaxConcurrent = parse.GetValue(maxConcurrent),
                Exprun = parse.GetValue(exprun)!,
                Image = parse.GetValue(image)!,
                VolumeClaim = parse.GetValue(claim)!,
            };
            var text = target == "slurm" ? SlurmScript.Write(settings) : KubernetesManifest.Write(settings);
            if (parse.GetValue(outFile) is { } destination)
            {
                AtomicFile.WriteAllText(destination, text);
                if (target == "k8s") AtomicFile.WriteAllText(destination + ".collect.yaml", KubernetesManifest.WriteCollect(settings));
                if (target == "slurm" && !OperatingSystem.IsWindows())
                    File.SetUnixFileMode(destination, File.GetUnixFileMode(destination) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
                context.Out.WriteLine($"wrote {destination}{(target == "k8s" ? $" and {destination}.collect.yaml" : "")}: {trials} trials in {taskCount} tasks");
            }
            else
            {
                context.Out.Write(text);
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
