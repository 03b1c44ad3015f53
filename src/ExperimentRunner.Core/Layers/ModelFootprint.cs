using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Layers;

/// <summary>
/// How big a network is, from its shapes alone (no tensor library): learnable parameters, the values its layers
/// output for one example (kept for the backward pass), and the largest single output. Sizes not known before the
/// data is read (a csv's width) count as 1, so the figures are then a lower bound (<see cref="LowerBound"/>).
/// </summary>
public sealed record ModelFootprint(double Parameters, double ActivationsPerExample, double LargestOutput, bool LowerBound)
{
    /// <summary>The footprint of a trial's model; null for an architecture it does not know or shapes that do not fit.</summary>
    /// <param name="outputs">classes or regression targets, when the settings decide them</param>
    public static ModelFootprint? For(ExperimentSpec spec, Catalogs catalogs, int? outputs)
    {
        var model = spec.Model;
        var input = catalogs.Datasets.Get(spec.Dataset.Name).InputShape?.Invoke(spec.Dataset);
        var prelu = model.Activation.Name == "prelu";
        switch (model.Architecture)
        {
            case "mlp":
                var features = input?.Aggregate(1.0, (a, b) => a * b);
                return Mlp(features ?? 1, model.Hidden, outputs ?? 1, model.Norm != "none", model.Dropout > 0, prelu, features is null || outputs is null);
            case "cnn":
            case "sequential":
                var stack = model.Architecture == "cnn" ? LayerStacks.Cnn(model) : LayerStacks.Sequential(model);
                // A csv is a table of unknown width; an idx file's image size is only known once it is read.
                var shape = input ?? (spec.Dataset.Csv is not null ? [LayerShapes.Unknown] : [1, LayerShapes.Unknown, LayerShapes.Unknown]);
                return Stack(LayerShapes.Infer(stack, catalogs, shape, outputs), shape, prelu);
            default:
                return null;
        }
    }

    /// <summary>
    /// An mlp: Linear -> [norm] -> activation -> [dropout] per hidden width, then the output layer and its activation.
    /// </summary>
    public static ModelFootprint Mlp(double inputs, IReadOnlyList<long> hidden, double outputs, bool norm, bool dropout, bool prelu, bool lowerBound)
    {
        double parameters = 0, activations = inputs, largest = inputs, previous = inputs;
        // Per hidden unit: the linear output and the activation, plus the norm's output and dropout's output and mask.
        var copies = 2 + (norm ? 1 : 0) + (dropout ? 2 : 0);
        foreach (var width in hidden)
        {
            // PReLU learns one slope per module.
            parameters += previous * width + width + (norm ? 2.0 * width : 0) + (prelu ? 1 : 0);
            activations += copies * (double)width;
            largest = Math.Max(largest, width);
            previous = width;
        }
        parameters += previous * outputs + outputs;
        activations += 2 * outputs;
        return new ModelFootprint(parameters, activations, Math.Max(largest, outputs), lowerBound);
    }

    /// <summary>A cnn or sequential stack whose shapes were inferred; null when shape problems left a layer without one.</summary>
    /// <param name="modelPrelu">whether the model's activation (used by <c>{type: activation}</c> layers) is prelu</param>
    public static ModelFootprint? Stack(ShapePlan plan, int[]? input, bool modelPrelu)
    {
        if (input is null || plan.Problems.Count > 0 || plan.Layers.Any(l => l.Input is null || l.Output is null)) return null;
        var lowerBound = input.Contains(LayerShapes.Unknown);
        double parameters = 0, activations = Values(input), largest = activations;
        foreach (var layer in plan.Layers)
        {
            var (inShape, outShape) = (layer.Input!, layer.Output!);
            // The layer's own settings, as the torch builder reads them: kernel size and bias of linear and conv2d.
            var settings = layer.Layer.Layer;
            lowerBound |= inShape.Contains(LayerShapes.Unknown) || outShape.Contains(LayerShapes.Unknown);
            parameters += layer.Entry.Kind switch
            {
                LayerKind.Linear => Size(inShape[0]) * Size(outShape[0]) + Bias(settings, outShape),
                LayerKind.Conv2d => Size(inShape[0]) * Size(outShape[0]) * Math.Pow(settings.Kernel ?? 1, 2) + Bias(settings, outShape),
                LayerKind.BatchNorm => 2 * Size(inShape[0]),
                LayerKind.LayerNorm => 2 * Values(inShape),
                LayerKind.Activation when layer.Entry.Name == "prelu" => 1,
                LayerKind.ModelActivation when modelPrelu => 1,
                _ => 0,
            };
            var output = Values(outShape);
            activations += output;
            largest = Math.Max(largest, output);
        }
        return new ModelFootprint(parameters, activations, largest, lowerBound);
    }

    private static double Bias(LayerSettings layer, int[] output) => layer.Bias ?? true ? Size(output[0]) : 0;

    private static double Size(int dimension) => dimension == LayerShapes.Unknown ? 1 : dimension;

    private static double Values(int[] shape) => shape.Aggregate(1.0, (product, d) => product * Size(d));
}
