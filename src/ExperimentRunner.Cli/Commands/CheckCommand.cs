using System.CommandLine;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun check DIR</c>: reads every trial folder of an experiment (and of its tuning/ trials) the way resume,
/// collect and report do, checkpoints against their recorded size and SHA-256 included, and names each damaged file.
/// Exit 0: all whole; 1: damage found (one line per damaged trial); 2: not a results folder.
/// </summary>
public static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "an experiment's results folder (holding trials/), or one trial's folder" };
        var command = new Command("check", "check an experiment's result files and checkpoints; name every damaged file (exit 1 when any)") { dir };
        command.SetAction(parse => Execute(context, parse.GetValue(dir)!));
        return command;
    }

    private static int Execute(CliContext context, string dir)
    {
        var trials = TrialFolders(dir);
        if (trials is null)
        {
            context.Error.WriteLine($"{dir}: error: not a results folder (no trials/, no {RunManifest.FileName}); give results/<experiment-name> or one of its trials/<trial-id> folders");
            return ExitCodes.UsageError;
        }
        var checkedTrials = trials.Select(d => TrialCheck.Read(d, checkpoints: true)).OfType<CheckedTrial>().ToList();
        var damaged = checkedTrials.Where(t => t.IsDamaged).ToList();
        foreach (var trial in damaged) context.Out.WriteLine(trial.DamageLine);
        context.Out.WriteLine(damaged.Count == 0
            ? $"checked {Counted.Of(checkedTrials.Count, "trial")} in {dir}: every file is whole"
            : $"checked {Counted.Of(checkedTrials.Count, "trial")} in {dir}: {damaged.Count} damaged (run again with --restart-damaged to train them from scratch)");
        return damaged.Count == 0 ? ExitCodes.Ok : ExitCodes.TrialFailed;
    }

    /// <summary>The trial folders to check: one trial's, or an experiment's trials/ and tuning/trials/; null when there are none.</summary>
    private static IReadOnlyList<string>? TrialFolders(string dir)
    {
        if (File.Exists(Path.Combine(dir, RunManifest.FileName))) return [dir];
        var roots = new[] { dir, Path.Combine(dir, Core.Tuning.TuningPlan.FolderName) }.Select(ExperimentResults.TrialsDir).Where(Directory.Exists).ToList();
        if (roots.Count == 0) return null;
        return roots.SelectMany(r => Directory.EnumerateDirectories(r).Order(StringComparer.Ordinal)).ToList();
    }
}
