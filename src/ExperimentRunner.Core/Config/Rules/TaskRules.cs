using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// Whether the loss, the metrics and the class weights fit the task and the number of classes. One rule set, run
/// twice with the same words: by <c>validate</c> when the dataset's settings decide the task (synthetic sets,
/// idx, a csv with a declared task), and again once the data is read (<see cref="Data.DataChecks"/>), when a
/// csv's <c>task: auto</c> and an idx file's class count are known.
/// </summary>
public static class TaskRules
{
    /// <param name="task">The task, known from the settings or from the data.</param>
    /// <param name="classes">The class count, when known.</param>
    /// <param name="detected">The task was read from the data (task: auto), so the message says how to decide it instead.</param>
    /// <param name="error">Receives the key path and the message of each problem.</param>
    public static void Check(ExperimentSpec spec, Catalogs catalogs, TaskKind task, int? classes, bool detected, Action<string, string> error)
    {
        var what = $"dataset '{spec.Dataset.Name}' is a {Word(task)} task{(detected ? " (task: auto read it from the target column; set dataset.task to decide)" : "")}";
        var loss = catalogs.Losses.Get(spec.Loss.Name);
        if (task == TaskKind.Regression && !loss.Regression)
            error("loss", $"'{loss.Name}' needs class labels but {what}; use {LossCatalog.RegressionChoices(catalogs.Losses)}");
        foreach (var (name, i) in spec.Metrics.Select((n, i) => (n, i)))
        {
            var metric = catalogs.Metrics.Get(name);
            if (metric.Task != task)
                error($"metrics[{i}]", $"'{name}' is a {Word(metric.Task)} metric but {what}; use {string.Join(", ", catalogs.Metrics.Entries.Where(m => m.Task == task).Select(m => m.Name))}");
        }
        if (task == TaskKind.Classification && classes is { } k && spec.Loss.Weight is { } weights && weights.Count != k)
            error("loss.weight", $"has {weights.Count} weights but dataset '{spec.Dataset.Name}' has {k} classes; give one weight per class");
    }

    private static string Word(TaskKind task) => task.ToString().ToLowerInvariant();
}

/// <summary>The task rules, from what the settings say before any data is read.</summary>
public sealed class TaskFitsLossAndMetrics : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["dataset.name", "dataset.classes", "dataset.task", "loss", "metrics"];

    public void Check(RuleContext c)
    {
        if (DataFacts.Task(c) is { } task) TaskRules.Check(c.Spec, c.Catalogs, task, c.Classes, detected: false, c.Error);
    }
}
