using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli.Commands;

/// <summary>Loads an experiment for a command, printing every problem (one line each) on failure.</summary>
public static class ConfigErrors
{
    public static LoadedExperiment? TryLoad(CliContext context, string file, IReadOnlyList<string> overrides)
    {
        try
        {
            var experiment = context.Runtime.Loader.Load(file, overrides);
            foreach (var warning in experiment.Warnings) context.Error.WriteLine(warning);
            return experiment;
        }
        catch (ConfigException ex)
        {
            foreach (var problem in ex.Problems) context.Error.WriteLine(problem);
            var errors = ex.Problems.Count(p => p.Severity == Severity.Error);
            context.Error.WriteLine($"{file}: {Counted.Of(errors, "error")}; nothing was run");
            return null;
        }
    }
}
