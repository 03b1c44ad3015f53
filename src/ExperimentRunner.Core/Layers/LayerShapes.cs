using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Layers;

/// <summary>
/// One layer of a stack: its settings, the child name it
/// gets in the network (the state-dict key) and how messages refer to it ("layers[3] (linear)").
/// </summary>
public sealed record StackLayer(LayerSettings Layer, string Name, string Label);

/// <summary>A layer with the shapes it sees and gives, and its resolved width (linear) or channels (conv2d).</summary>
public sealed record PlannedLayer(int Index, StackLayer Layer, LayerEntry Entry, int[]? Input, int[]? Output, long? Width);

/// <summary>A shape problem of one layer (<see cref="Index"/> into the stack).</summary>
public sealed record ShapeProblem(int Index, string Label, string Message)
{
    public override string ToString() => $"{Label}: {Message}";
}

public sealed record ShapePlan(IReadOnlyList<PlannedLayer> Layers, IReadOnlyList<ShapeProblem> Problems, int[]? Output);

/// <summary>
/// Shape inference for a layer stack, without any tensor library: used by <c>exprun validate</c> (when the
/// dataset's shape is known from its settings) and by the model builders (with the real data's shape).
/// A shape is <c>null</c> when even its rank is unknown, and a size is -1 when only that size is unknown,
/// so a csv model can still be checked for rank mistakes (a conv2d after a flatten) before the file is read.
/// </summary>
public static class LayerShapes
{
    public const int Unknown = -1;

    /// <param name="input">Shape of one example: [features] or [channels, height, width]; null when unknown.</param>
    /// <param name="outputs">Width the network must end with (classes or regression targets); null when unknown.</param>
    /// <param name="outputsText">What the width means, for messages ("3 classes").</param>
    public static ShapePlan Infer(IReadOnlyList<StackLayer> layers, Catalogs catalogs, int[]? input, int? outputs, string? outputsText = null)
    {
        var planned = new List<PlannedLayer>();
        var problems = new List<ShapeProblem>();
        var entries = layers.Select(l => catalogs.Layers.Get(l.Layer.Type)).ToList();
        var lastLinear = entries.FindLastIndex(e => e.Kind == LayerKind.Linear);
        var shape = input;
        var from = "the input";
        for (var i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var entry = entries[i];
            void Problem(string message) => problems.Add(new ShapeProblem(i, layer.Label, message));
            var (output, width, ok) = Step(layer.Layer, entry, shape, from, i == lastLinear, outputs, Problem);
            planned.Add(new PlannedLayer(i, layer, entry, shape, ok ? output : null, width));
            // After a problem the rank is unknown again, so one mistake gives one message, not a cascade.
            shape = ok ? output : null;
            from = layer.Label;
        }
        var last = layers.Count - 1;
        if (shape is not null && last >= 0 && problems.Count == 0)
        {
            var want = outputs is { } n ? $"{n} output{(n == 1 ? "" : "s")}{(outputsText is null ? "" : $" ({outputsText})")}" : "the dataset's outputs";
            if (shape.Length != 1)
                problems.Add(new ShapeProblem(last, layers[last].Label, $"the network ends with shape {Text(shape)} but must end with a flat vector of {want}: add {{type: flatten}} and {{type: linear}}"));
            else if (outputs is { } needed && shape[0] != Unknown && shape[0] != needed)
            {
                var explicitLinear = lastLinear >= 0 ? planned[lastLinear] : null;
                if (explicitLinear is not null && explicitLinear.Output?[0] == shape[0])
                    problems.Add(new ShapeProblem(lastLinear, layers[lastLinear].Label, $"out_features is {shape[0]} but the network must end with {want}; leave out_features out to use the dataset's width"));
                else
                    problems.Add(new ShapeProblem(last, layers[last].Label, $"the network ends with {shape[0]} values but must end with {want}: end with {{type: linear}}"));
            }
        }
        return new ShapePlan(planned, problems, shape);
    }

    private static (int[]? Output, long? Width, bool Ok) Step(LayerSettings layer, LayerEntry entry, int[]? shape, string from, bool isLastLinear, int? outputs, Action<string> problem)
    {
        var gets = shape is null ? "" : $"; it gets {Text(shape)} from {from}";
        switch (entry.Kind)
        {
            case LayerKind.Linear:
            {
                if (shape is not null && shape.Length != 1)
                {
                    problem($"needs a flat vector{gets}: add {{type: flatten}} before it");
                    return (null, null, false);
                }
                var width = layer.OutFeatures;
                if (width is null && !isLastLinear)
                {
                    problem("out_features is required (only the last linear layer may leave it out, to get the dataset's output width)");
                    return (null, null, false);
                }
                width ??= outputs;
                return ([width is { } w ? checked((int)w) : Unknown], width, true);
            }
            case LayerKind.Conv2d:
            {
                if (!NeedsImage(shape, gets, problem)) return (null, null, false);
                var channels = layer.OutChannels!.Value;
                var (kernel, stride, padding) = (layer.Kernel!.Value, layer.Stride!.Value, layer.Padding!.Value);
                if (shape is null) return ([checked((int)channels), Unknown, Unknown], channels, true);
                var (h, w) = (Slide(shape[1], kernel, stride, padding), Slide(shape[2], kernel, stride, padding));
                if (h == 0 || w == 0)
                {
                    problem($"a {kernel}x{kernel} kernel with padding {padding} does not fit{gets}; use a smaller kernel, more padding, or fewer pooling layers before it");
                    return (null, null, false);
                }
                return ([checked((int)channels), h, w], channels, true);
            }
            case LayerKind.MaxPool or LayerKind.AvgPool:
            {
                if (!NeedsImage(shape, gets, problem)) return (null, null, false);
                var kernel = layer.Kernel!.Value;
                var stride = layer.Stride ?? kernel;
                var padding = layer.Padding!.Value;
                if (padding * 2 > kernel)
                {
                    problem($"padding {padding} is more than half the kernel ({kernel})");
                    return (null, null, false);
                }
                if (shape is null) return ([Unknown, Unknown, Unknown], null, true);
                var (h, w) = (Slide(shape[1], kernel, stride, padding), Slide(shape[2], kernel, stride, padding));
                if (h == 0 || w == 0)
                {
                    problem($"a {kernel}x{kernel} window does not fit{gets}; use a smaller window or fewer pooling layers");
                    return (null, null, false);
                }
                return ([shape[0], h, w], null, true);
            }
            case LayerKind.Flatten:
            {
                if (shape is null || shape.Any(d => d == Unknown)) return ([Unknown], null, true);
                var values = shape.Aggregate(1.0, (a, b) => a * b);
                if (values > int.MaxValue)
                {
                    problem($"flattens {Text(shape)} into {values:0} values per example, more than a tensor dimension holds ({int.MaxValue}); use fewer channels, less padding or more pooling before it");
                    return (null, null, false);
                }
                return ([(int)values], null, true);
            }
            case LayerKind.BatchNorm when shape is not null && shape.Length is not (1 or 3):
                problem($"needs a flat vector or [channels, height, width]{gets}");
                return (null, null, false);
            default:
                // Dropout, norms and activations keep the shape.
                return (shape, null, true);
        }
    }

    private static bool NeedsImage(int[]? shape, string gets, Action<string> problem)
    {
        if (shape is null || shape.Length == 3) return true;
        problem(shape.Length == 1
            ? $"needs [channels, height, width]{gets} (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"
            : $"needs [channels, height, width]{gets}");
        return false;
    }

    /// <summary>Output size of a sliding window (floor mode, dilation 1); 0 when the window does not fit.</summary>
    private static int Slide(int size, long kernel, long stride, long padding)
    {
        if (size == Unknown) return Unknown;
        var span = size + 2 * padding - kernel;
        // Sizes beyond int only come from absurd padding; held at int.MaxValue, a flatten or the memory estimate refuses them.
        return span < 0 ? 0 : (int)Math.Min(span / stride + 1, int.MaxValue);
    }

    public static string Text(int[] shape) =>
        $"[{string.Join(", ", shape.Select(d => d == Unknown ? "?" : d.ToString(CultureInfo.InvariantCulture)))}]";
}
