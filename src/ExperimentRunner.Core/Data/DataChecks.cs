using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// The task checks validation makes for synthetic sets, made again once a file's data is read: with
/// <c>task: auto</c> a csv's task (and an idx's class count) is only known then. Without this a class loss on a
/// regression target would train on garbage without a word.
/// </summary>
public static class DataChecks
{
    /// <exception cref="ConfigException">The loss, metrics or class weights do not fit the data that was read.</exception>
    public static void MatchSpec(ExperimentSpec spec, DataSet data, Catalogs catalogs)
    {
        var problems = new ProblemBag();
        var mark = SourceMark.None;
        var task = data.Task.ToString().ToLowerInvariant();
        var declared = spec.Dataset.Has("task") && spec.Dataset.String("task") == "auto" ? " (task: auto read it from the target column; set dataset.task to decide)" : "";
        var loss = catalogs.Losses.Get(spec.Loss.Name);
        if (data.Task == TaskKind.Regression && !loss.Regression)
            problems.Error(mark, "loss", $"'{loss.Name}' needs class labels but the data of dataset '{spec.Dataset.Name}' is a regression task{declared}; use {LossCatalog.RegressionChoices(catalogs.Losses)}");
        foreach (var (name, i) in spec.MetricsFor(data.Task).Select((n, i) => (n, i)))
        {
            var metric = catalogs.Metrics.Get(name);
            if (metric.Task != data.Task)
                problems.Error(mark, $"metrics[{i}]", $"'{name}' is a {metric.Task.ToString().ToLowerInvariant()} metric but the data of dataset '{spec.Dataset.Name}' is a {task} task{declared}; use {string.Join(", ", catalogs.Metrics.Entries.Where(m => m.Task == data.Task).Select(m => m.Name))}");
        }
        if (data.Task == TaskKind.Classification && spec.Loss.Has("weight") && spec.Loss.FloatsOrNull("weight") is { } weights && weights.Count != data.Classes)
            problems.Error(mark, "loss.weight", $"has {weights.Count} weights but the data of dataset '{spec.Dataset.Name}' has {data.Classes} classes ({string.Join(", ", data.ClassNames ?? [])}); give one weight per class");
        if (problems.HasErrors) throw new ConfigException(problems.Items);
    }
}
