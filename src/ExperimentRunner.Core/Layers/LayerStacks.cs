using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Layers;

/// <summary>
/// The layer stacks of the <c>sequential</c> and <c>cnn</c> architectures, as plain layer components: validation
/// infers their shapes from these and the torch builders create modules from the very same list.
/// </summary>
public static class LayerStacks
{
    /// <summary><c>model.layers</c> as written; child names <c>{type}_{index}</c> (conv2d_0, relu_1, ...).</summary>
    public static IReadOnlyList<StackLayer> Sequential(Component model) =>
        model.Children("layers").Select((layer, i) => new StackLayer(layer, $"{layer.Name}_{i}", $"layers[{i}] ({layer.Name})")).ToList();

    /// <summary>
    /// Conv blocks conv_i -> [norm_i] -> act_i -> [pool_i] -> [dropout_i], flatten, then the dense head
    /// linear_k -> [norm_k] -> act_k -> [dropout_k] numbered on from the blocks, and the output layer linear_out.
    /// </summary>
    public static IReadOnlyList<StackLayer> Cnn(Component model)
    {
        var layers = new List<StackLayer>();
        var kernel = model.Int("kernel");
        var padding = model.IntOrNull("padding") ?? kernel / 2;
        var norm = model.String("norm");
        var dropout = model.Float("dropout");
        var pool = model.String("pool");
        var channels = model.Ints("channels");
        var n = 0;
        foreach (var width in channels)
        {
            n++;
            var block = $"conv block {n}";
            layers.Add(new(Layer("conv2d", ("out_channels", width), ("kernel", kernel), ("stride", model.Int("stride")), ("padding", padding), ("bias", true)), $"conv_{n}", $"{block} (conv {kernel}x{kernel})"));
            if (norm != "none") layers.Add(new(Layer($"{norm}_norm"), $"norm_{n}", $"{block} ({norm} norm)"));
            layers.Add(new(Layer(LayerCatalog.ModelActivation), $"act_{n}", $"{block} (activation)"));
            if (pool != "none")
            {
                var size = model.Int("pool_size");
                layers.Add(new(Layer($"{pool}_pool", ("kernel", size), ("stride", (long?)null), ("padding", 0L)), $"pool_{n}", $"{block} ({pool} pool {size}x{size})"));
            }
            if (dropout > 0) layers.Add(new(Layer("dropout", ("p", dropout)), $"dropout_{n}", $"{block} (dropout)"));
        }
        layers.Add(new(Layer("flatten"), "flatten", "flatten"));
        foreach (var width in model.Ints("hidden"))
        {
            n++;
            var dense = $"dense layer {n - channels.Count}";
            layers.Add(new(Layer("linear", ("out_features", width), ("bias", true)), $"linear_{n}", dense));
            if (norm != "none") layers.Add(new(Layer($"{norm}_norm"), $"norm_{n}", $"{dense} ({norm} norm)"));
            layers.Add(new(Layer(LayerCatalog.ModelActivation), $"act_{n}", $"{dense} (activation)"));
            if (dropout > 0) layers.Add(new(Layer("dropout", ("p", dropout)), $"dropout_{n}", $"{dense} (dropout)"));
        }
        layers.Add(new(Layer("linear", ("out_features", (long?)null), ("bias", true)), "linear_out", "output layer"));
        return layers;
    }

    private static Component Layer(string type, params (string Key, object? Value)[] values) =>
        new(type, values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value)).ToList(), CatalogKind.Layer.NameKey());

    /// <summary>The activation a layer applies: its own type and parameters, or the model's for <c>{type: activation}</c>.</summary>
    public static Component ActivationOf(Component layer, LayerEntry entry, Component model) =>
        entry.Kind == LayerKind.ModelActivation
            ? model.Child("activation")
            : new Component(layer.Name, layer.Values, CatalogKind.Activation.NameKey());
}
