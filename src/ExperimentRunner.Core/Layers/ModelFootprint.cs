using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Layers;

/// <summary>
/// How big a network is, from its shapes alone (no tensor library): learnable parameters, the values its layers
/// output for one example (kept for the backward pass), and the largest single output. Sizes not known before the
/// data is read (a csv's width) count as 1, so the figures are then a lower bound (<see cref="LowerBound"/>).
/// </summary>
public sealed record ModelFootprint(double Parameters, double ActivationsPerExample, double LargestOutput, bool LowerBound)
{
    /// <summary>
    /// An mlp: Linear -> [norm] -> activation -> [dropout] per hidden width, then the output layer and its activation.
    /// </summary>
    public static ModelFootprint Mlp(double inputs, IReadOnlyList<long> hidden, double outputs, bool norm, bool dropout, bool lowerBound)
    {
        double parameters = 0, activations = inputs, largest = inputs, previous = inputs;
        // Per hidden unit: the linear output and the activation, plus the norm's output and dropout's output and mask.
        var copies = 2 + (norm ? 1 : 0) + (dropout ? 2 : 0);
        foreach (var width in hidden)
        {
            parameters += previous * width + width + (norm ? 2.0 * width : 0);
            activations += copies * (double)width;
            largest = Math.Max(largest, width);
            previous = width;
        }
        parameters += previous * outputs + outputs;
        activations += 2 * outputs;
        return new ModelFootprint(parameters, activations, Math.Max(largest, outputs), lowerBound);
    }

    /// <summary>A cnn or sequential stack whose shapes were inferred; null when shape problems left a layer without one.</summary>
    /// <param name="kernelOf">the kernel size of the conv2d layer at an index of the stack</param>
    public static ModelFootprint? Stack(ShapePlan plan, int[]? input, Func<int, long> kernelOf)
    {
        if (input is null || plan.Problems.Count > 0 || plan.Layers.Any(l => l.Input is null || l.Output is null)) return null;
        var lowerBound = input.Contains(LayerShapes.Unknown);
        double parameters = 0, activations = Values(input), largest = activations;
        foreach (var layer in plan.Layers)
        {
            var (inShape, outShape) = (layer.Input!, layer.Output!);
            lowerBound |= inShape.Contains(LayerShapes.Unknown) || outShape.Contains(LayerShapes.Unknown);
            parameters += layer.Entry.Kind switch
            {
                LayerKind.Linear => Size(inShape[0]) * Size(outShape[0]) + Size(outShape[0]),
                LayerKind.Conv2d => Size(inShape[0]) * Size(outShape[0]) * kernelOf(layer.Index) * kernelOf(layer.Index) + Size(outShape[0]),
                LayerKind.BatchNorm => 2 * Size(inShape[0]),
                LayerKind.LayerNorm => 2 * Values(inShape),
                _ => 0,
            };
            var output = Values(outShape);
            activations += output;
            largest = Math.Max(largest, output);
        }
        return new ModelFootprint(parameters, activations, largest, lowerBound);
    }

    private static double Size(int dimension) => dimension == LayerShapes.Unknown ? 1 : dimension;

    private static double Values(int[] shape) => shape.Aggregate(1.0, (product, d) => product * Size(d));
}
