using System.Globalization;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// <c>split</c> divides the main file among the splits that do not come from files of their own: three fractions,
/// two when validation or test is a file, one ([1]) when both are; they add up to 1 and train and validation get rows.
/// </summary>
public sealed class SplitFractions : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["dataset.split", "dataset.validation_path", "dataset.test_path", "dataset.validation_images", "dataset.test_images"];

    public void Check(RuleContext c)
    {
        var d = c.Spec.Dataset;
        var split = d.Split;
        List<string> roles = ["train"];
        if (!d.SeparateValidation) roles.Add("validation");
        if (!d.SeparateTest) roles.Add("test");
        var names = roles.Count == 1 ? roles[0] : $"{string.Join(", ", roles[..^1])} and {roles[^1]}";
        if (split.Count != roles.Count)
        {
            var given = d.Files.Where(f => f.Key is "validation_path" or "test_path" or "validation_images" or "test_images").Select(f => $"dataset.{f.Key}").ToList();
            var because = given.Count == 0 ? "" : $" because {string.Join(" and ", given)} {(given.Count == 1 ? "gives its split" : "give theirs")}";
            c.Error("dataset.split", $"needs {roles.Count} fraction{(roles.Count == 1 ? "" : "s")} ({names}){because}, got {split.Count}: [{Text(split)}]; e.g. [{Text(DatasetCatalog.DefaultFileSplit(3 - roles.Count))}]");
            return;
        }
        var sum = split.Sum();
        if (Math.Abs(sum - 1.0) > 1e-6)
            c.Error("dataset.split", $"{names} fractions must add up to 1, got {string.Join(" + ", split.Select(f => f.ToString(CultureInfo.InvariantCulture)))} = {sum.ToString("0.######", CultureInfo.InvariantCulture)}");
        if (split[0] <= 0 || roles.Count > 1 && roles[1] == "validation" && split[1] <= 0)
            c.Error("dataset.split", roles.Contains("validation")
                ? "train and validation fractions must be above 0 (validation picks the best epoch and drives early stopping)"
                : "the train fraction must be above 0");
    }

    private static string Text(IEnumerable<double> fractions) => string.Join(", ", fractions.Select(f => f.ToString(CultureInfo.InvariantCulture)));
}

public sealed class OptimizerChoices : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["optimizer"];

    public void Check(RuleContext c)
    {
        var o = c.Spec.Optimizer;
        if (o.Nesterov == true && (o.Momentum <= 0 || o.Dampening != 0))
            c.Error("optimizer.nesterov", "Nesterov momentum needs momentum > 0 and dampening 0");
    }
}

public sealed class SchedulerChoices : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["scheduler", "training"];

    public void Check(RuleContext c)
    {
        var s = c.Spec.Scheduler;
        var epochs = c.Spec.Training.Epochs;
        switch (s.Name)
        {
            case "multistep":
                var milestones = s.Milestones!;
                if (milestones.Zip(milestones.Skip(1)).Any(p => p.Second <= p.First))
                    c.Error("scheduler.milestones", $"milestones must increase, got [{string.Join(", ", milestones)}]");
                break;
            case "cosine" when s.WarmupEpochs >= epochs:
                c.Error("scheduler.warmup_epochs", $"warmup of {s.WarmupEpochs} epochs leaves nothing of training.epochs = {epochs} to anneal");
                break;
            case "reduce_on_plateau" when s.Monitor == "val_loss" && c.Spec.Training.EarlyStopping is { } es && es.Patience <= s.Patience:
                c.Warn("scheduler.patience", $"early stopping (patience {es.Patience}) stops training before the rate is ever reduced (patience {s.Patience})");
                break;
        }
    }
}

public sealed class ActivationBounds : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["model.activation", "model.output_activation"];

    public void Check(RuleContext c)
    {
        foreach (var (key, act) in new[] { ("activation", c.Spec.Model.Activation), ("output_activation", c.Spec.Model.OutputActivation) })
        {
            if (act is { MinVal: { } min, MaxVal: { } max } && min >= max)
                c.Error($"model.{key}.min_val", $"min_val ({min}) must be below max_val ({max})");
        }
    }
}

public sealed class BatchSizeFitsData : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["dataset.name", "dataset.samples", "dataset.split", "training.batch_size"];

    public void Check(RuleContext c)
    {
        if (c.Spec.Dataset.Generator is not { } generator || c.Spec.Dataset.Split is not { Count: 3 } split) return;
        var train = (int)Math.Floor(generator.Samples * split[0]);
        if (c.Spec.Training.BatchSize > train)
            c.Warn("training.batch_size", $"{c.Spec.Training.BatchSize} is larger than the training split ({train} examples): every epoch is one full-batch step");
    }
}

public static class ConfigRules
{
    public static IReadOnlyList<IConfigRule> All { get; } =
    [
        new TaskFitsLossAndMetrics(), new OutputActivationMatchesLoss(), new SplitFractions(),
        new OptimizerChoices(), new SchedulerChoices(), new ActivationBounds(), new BatchSizeFitsData(),
        new DataFilesExist(), new SeparateFilesPaired(), new SeparateFilesAgree(), new CsvColumns(), new LayersFitData(), new LayerChoices(),
        new NameFitsFileSystem(), new ModelFitsMemory(),
    ];
}
