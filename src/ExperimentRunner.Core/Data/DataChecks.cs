using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Rules;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// The task rules validation applies when the settings decide the task, applied again once a file's data is read:
/// with <c>task: auto</c> a csv's task (and an idx's class count) is only known then. Without this a class loss on a
/// regression target would train on garbage without a word.
/// </summary>
public static class DataChecks
{
    /// <exception cref="ConfigException">The loss, metrics or class weights do not fit the data that was read.</exception>
    public static void MatchSpec(ExperimentSpec spec, DataSet data, Catalogs catalogs)
    {
        var problems = new ProblemBag();
        var detected = spec.Dataset.Csv?.Task == "auto";
        TaskRules.Check(spec, catalogs, data.Task, data.Task == TaskKind.Classification ? data.Classes : null, detected,
            (path, message) => problems.Error(SourceMark.None, path, message));
        if (problems.HasErrors) throw new ConfigException(problems.Items);
    }
}
