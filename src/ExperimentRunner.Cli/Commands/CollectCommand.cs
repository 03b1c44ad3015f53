using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun collect DIR</c>: rebuilds summary.csv and aggregate.csv from trials/*/run.json (after sharded runs).</summary>
public static class CollectCommand
{
    public static Command Create(CliContext context)
    {
        var dir = new Argument<string>("dir") { Description = "an experiment's results folder (holding trials/)" };
        dir.CompletionSources.Add(PathCompletion.Folders());
        var command = new Command("collect", "rebuild summary.csv and aggregate.csv from the trial folders") { dir };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(dir)!;
            if (!Directory.Exists(ExperimentResults.TrialsDir(path)))
            {
                context.Error.WriteLine($"{path}: error: no trials/ folder here; give results/<experiment-name>");
                return ExitCodes.UsageError;
            }
            if (!ResultsFolder.IsOneExperiment(context, path, "nothing was collected")) return ExitCodes.UsageError;
            var collected = ExperimentResults.Collect(path);
            // A damaged trial is listed (status damaged) and named here, never dropped silently.
            foreach (var damaged in collected.Damaged) context.Error.WriteLine(damaged.WarningLine);
            var damage = collected.Damaged.Count > 0 ? $" ({collected.Damaged.Count} damaged: listed with status damaged, counted in no statistic)" : "";
            context.Out.WriteLine($"collected {Counted.Of(collected.Trials, "trial")}{damage} into {Path.Combine(path, SummaryCsv.FileName)} and {AggregateCsv.FileName}");
            return collected.Damaged.Count > 0 ? ExitCodes.TrialFailed : ExitCodes.Ok;
        });
        return command;
    }
}
