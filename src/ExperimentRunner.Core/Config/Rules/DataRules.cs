using System.Globalization;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>What can be known about a file-backed dataset before reading it.</summary>
internal static class DataFacts
{
    /// <summary>The task: from the dataset's name (synthetic sets, idx) or a csv's declared <c>task</c>; null for <c>auto</c>.</summary>
    public static TaskKind? Task(RuleContext c)
    {
        if (c.Task is { } task) return task;
        if (!c.Spec.Dataset.Has("task")) return null;
        return c.Spec.Dataset.String("task") switch
        {
            "classification" => TaskKind.Classification,
            "regression" => TaskKind.Regression,
            _ => null,
        };
    }

    public static bool IsIndex(string column) => int.TryParse(column, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
}

/// <summary>The csv column settings agree with each other: target, features, categorical and header.</summary>
public sealed class CsvColumns : IConfigRule
{
    public void Check(RuleContext c)
    {
        var d = c.Spec.Dataset;
        if (d.Name != "csv" || d.StringOrNull("target") is not { } target) return;
        var features = (IReadOnlyList<string>?)d["features"];
        var categorical = (IReadOnlyList<string>?)d["categorical"] ?? [];
        if (target.Trim().Length == 0) c.Error("dataset.target", "is empty; give the target column's name or index (-1: the last column)");
        if (d.String("header") == "false")
        {
            foreach (var (key, columns) in new[] { ("target", (IReadOnlyList<string>)[target]), ("features", features ?? []), ("categorical", categorical) })
            {
                foreach (var (column, i) in columns.Select((col, i) => (col, i)).Where(x => !DataFacts.IsIndex(x.col)))
                    c.Error(key == "target" ? "dataset.target" : $"dataset.{key}[{i}]", $"'{column}' is a column name but header is false; refer to columns by index (0 is the first, -1 the last)");
            }
        }
        if (features is not null && features.Contains(target))
            c.Error("dataset.features", $"lists the target column '{target}'; the target cannot also be an input");
        if (categorical.Contains(target))
            c.Error("dataset.categorical", $"lists the target column '{target}'; text targets are classes already (categorical is for feature columns)");
        if (features is not null)
        {
            foreach (var (column, i) in categorical.Select((col, i) => (col, i)).Where(x => !features.Contains(x.col)))
                c.Error($"dataset.categorical[{i}]", $"'{column}' is not among the features [{string.Join(", ", features)}]; add it there or remove it here");
        }
    }
}

/// <summary>
/// A csv with a declared task gets the checks a synthetic set gets from its name: the loss and the metrics must
/// fit the task (with <c>task: auto</c> they are checked once the file is read).
/// </summary>
public sealed class DeclaredTaskMatchesLossAndMetrics : IConfigRule
{
    public void Check(RuleContext c)
    {
        // Datasets whose name decides the task are covered by LossMatchesTask and MetricsMatchTask.
        if (c.Task is not null || DataFacts.Task(c) is not { } task) return;
        var what = $"dataset '{c.Spec.Dataset.Name}' is declared a {Word(task)} task";
        if (task == TaskKind.Regression && !c.Loss.Regression)
            c.Error("loss", $"'{c.Loss.Name}' needs class labels but {what}; use {LossCatalog.RegressionChoices(c.Catalogs.Losses)}");
        foreach (var (name, i) in c.Spec.Metrics.Select((n, i) => (n, i)))
        {
            var metric = c.Catalogs.Metrics.Get(name);
            if (metric.Task != task)
                c.Error($"metrics[{i}]", $"'{name}' is a {Word(metric.Task)} metric but {what}; use {string.Join(", ", c.Catalogs.Metrics.Entries.Where(m => m.Task == task).Select(m => m.Name))}");
        }
    }

    private static string Word(TaskKind task) => task.ToString().ToLowerInvariant();
}
