using System.Globalization;
using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config.Rules;

public sealed class SplitFractions : IConfigRule
{
    public void Check(RuleContext c)
    {
        if (!c.Spec.Dataset.Has("split") || c.Spec.Dataset.FloatsOrNull("split") is not { Count: 3 } split) return;
        var sum = split.Sum();
        if (Math.Abs(sum - 1.0) > 1e-6)
            c.Error("dataset.split", $"train, validation and test fractions must add up to 1, got {string.Join(" + ", split.Select(f => f.ToString(CultureInfo.InvariantCulture)))} = {sum.ToString("0.######", CultureInfo.InvariantCulture)}");
        if (split[0] <= 0 || split[1] <= 0)
            c.Error("dataset.split", "train and validation fractions must be above 0 (validation picks the best epoch and drives early stopping)");
    }
}

public sealed class MetricsMatchTask : IConfigRule
{
    public void Check(RuleContext c)
    {
        if (c.Task is not { } task) return;
        foreach (var (name, i) in c.Spec.Metrics.Select((n, i) => (n, i)))
        {
            var metric = c.Catalogs.Metrics.Get(name);
            if (metric.Task != task)
                c.Error($"metrics[{i}]", $"'{name}' is a {metric.Task.ToString().ToLowerInvariant()} metric but dataset '{c.Spec.Dataset.Name}' is a {task.ToString().ToLowerInvariant()} task; use {string.Join(", ", c.Catalogs.Metrics.Entries.Where(m => m.Task == task).Select(m => m.Name))}");
        }
    }
}

public sealed class OptimizerSettings : IConfigRule
{
    public void Check(RuleContext c)
    {
        var o = c.Spec.Optimizer;
        if (o.Name == "sgd" && o.Bool("nesterov") && (o.Float("momentum") <= 0 || o.Float("dampening") != 0))
            c.Error("optimizer.nesterov", "Nesterov momentum needs momentum > 0 and dampening 0");
    }
}

public sealed class SchedulerSettings : IConfigRule
{
    public void Check(RuleContext c)
    {
        var s = c.Spec.Scheduler;
        var epochs = c.Spec.Training.Epochs;
        switch (s.Name)
        {
            case "multistep":
                var milestones = s.Ints("milestones");
                if (milestones.Zip(milestones.Skip(1)).Any(p => p.Second <= p.First))
                    c.Error("scheduler.milestones", $"milestones must increase, got [{string.Join(", ", milestones)}]");
                break;
            case "cosine" when s.Int("warmup_epochs") >= epochs:
                c.Error("scheduler.warmup_epochs", $"warmup of {s.Int("warmup_epochs")} epochs leaves nothing of training.epochs = {epochs} to anneal");
                break;
            case "reduce_on_plateau" when s.String("monitor") == "val_loss" && c.Spec.Training.EarlyStopping is { } es && es.Patience <= s.Int("patience"):
                c.Warn("scheduler.patience", $"early stopping (patience {es.Patience}) stops training before the rate is ever reduced (patience {s.Int("patience")})");
                break;
        }
    }
}

public sealed class ActivationSettings : IConfigRule
{
    public void Check(RuleContext c)
    {
        foreach (var key in new[] { "activation", "output_activation" })
        {
            if (!c.Spec.Model.Has(key) || c.Spec.Model.ChildOrNull(key) is not { Name: "hardtanh" } act) continue;
            if (act.Float("min_val") >= act.Float("max_val"))
                c.Error($"model.{key}.min_val", $"min_val ({act.Float("min_val")}) must be below max_val ({act.Float("max_val")})");
        }
    }
}

public sealed class BatchSizeFitsData : IConfigRule
{
    public void Check(RuleContext c)
    {
        if (!c.Spec.Dataset.Has("samples") || !c.Spec.Dataset.Has("split") || c.Spec.Dataset.FloatsOrNull("split") is not { Count: 3 } split) return;
        var train = (int)Math.Floor(c.Spec.Dataset.Int("samples") * split[0]);
        if (c.Spec.Training.BatchSize > train)
            c.Warn("training.batch_size", $"{c.Spec.Training.BatchSize} is larger than the training split ({train} examples): every epoch is one full-batch step");
    }
}

public static class ConfigRules
{
    public static IReadOnlyList<IConfigRule> All { get; } =
    [
        new LossMatchesTask(), new OutputActivationMatchesLoss(), new ClassWeightsMatchClasses(), new SplitFractions(),
        new MetricsMatchTask(), new OptimizerSettings(), new SchedulerSettings(), new ActivationSettings(), new BatchSizeFitsData(),
        new DataFilesExist(), new CsvColumns(), new DeclaredTaskMatchesLossAndMetrics(), new LayersFitData(), new LayerSettings(),
        new NameFitsFileSystem(), new ModelFitsMemory(),
    ];
}
