using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Layers;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// The layers of a cnn or sequential model fit the dataset: shapes are inferred from the dataset's settings when
/// they decide them (synthetic sets), so a conv on a flat table, a linear after a conv without flatten, a window
/// larger than the image or a wrong final width are config errors naming the layer. For file datasets the rank
/// rules are still checked here; sizes are checked when the model is built.
/// </summary>
public sealed class LayersFitData : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["model", "dataset", "loss"];

    public void Check(RuleContext c)
    {
        var model = c.Spec.Model;
        IReadOnlyList<StackLayer> stack = model.Architecture switch
        {
            "sequential" => LayerStacks.Sequential(model),
            "cnn" => LayerStacks.Cnn(model),
            _ => [],
        };
        if (stack.Count == 0) return;
        var dataset = c.Catalogs.Datasets.Get(c.Spec.Dataset.Name);
        // A csv is always a table: its width is unknown before the file is read, but its rank is not, so a conv on it
        // is an error here rather than a failed trial.
        var input = dataset.InputShape?.Invoke(c.Spec.Dataset) ?? (c.Spec.Dataset.Csv is not null ? [LayerShapes.Unknown] : null);
        var task = DataFacts.Task(c);
        int? outputs = task == TaskKind.Regression ? 1 : c.Classes;
        var outputsText = task == TaskKind.Regression ? "one regression target" : outputs is { } k ? $"{k} classes of dataset '{dataset.Name}'" : null;
        var plan = LayerShapes.Infer(stack, c.Catalogs, input, outputs, outputsText);
        foreach (var problem in plan.Problems)
        {
            if (model.Architecture == "sequential")
                c.Error($"model.layers[{problem.Index}]", $"{stack[problem.Index].Layer.Type}: {problem.Message}");
            else
                c.Error("model.channels", $"{problem.Label}: {problem.Message}");
        }
    }
}

/// <summary>Activation layers of a sequential model get the same parameter checks as <c>model.activation</c>.</summary>
public sealed class LayerChoices : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["model.layers"];

    public void Check(RuleContext c)
    {
        if (c.Spec.Model.Architecture != "sequential") return;
        var layers = c.Spec.Model.Layers;
        for (var i = 0; i < layers.Count; i++)
        {
            if (layers[i].Activation is { MinVal: { } min, MaxVal: { } max } && min >= max)
                c.Error($"model.layers[{i}].min_val", $"min_val ({min}) must be below max_val ({max})");
        }
        if (!layers.Any(l => c.Catalogs.Layers.Get(l.Type).HasWeights))
            c.Warn("model.layers", "has no linear or conv2d layer, so nothing is learned; end with {type: linear}");
    }
}
