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
        return c.Spec.Dataset.Csv?.Task switch
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
    public IReadOnlyList<string> Reads { get; } = ["dataset"];

    public void Check(RuleContext c)
    {
        if (c.Spec.Dataset.Csv is not { } d) return;
        var target = d.Target;
        var features = d.Features;
        var categorical = d.Categorical;
        if (target.Trim().Length == 0) c.Error("dataset.target", "is empty; give the target column's name or index (-1: the last column)");
        if (d.Header == "false")
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
