using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Layers;

/// <summary>
/// The layer stacks of the <c>sequential</c> and <c>cnn</c> architectures, as plain layer settings: validation
/// infers their shapes from these and the torch builders create modules from the very same list.
/// </summary>
public static class LayerStacks
{
    /// <summary><c>model.layers</c> as written; child names <c>{type}_{index}</c> (conv2d_0, relu_1, ...).</summary>
    public static IReadOnlyList<StackLayer> Sequential(ModelSettings model) =>
        model.Layers.Select((layer, i) => new StackLayer(layer, $"{layer.Type}_{i}", $"layers[{i}] ({layer.Type})")).ToList();

    /// <summary>
    /// Conv blocks conv_i -> [norm_i] -> act_i -> [pool_i] -> [dropout_i], flatten, then the dense head
    /// linear_k -> [norm_k] -> act_k -> [dropout_k] numbered on from the blocks, and the output layer linear_out.
    /// </summary>
    public static IReadOnlyList<StackLayer> Cnn(ModelSettings model)
    {
        var layers = new List<StackLayer>();
        var kernel = model.Kernel;
        var padding = model.Padding ?? kernel / 2;
        var norm = model.Norm;
        var dropout = model.Dropout;
        var pool = model.Pool;
        var n = 0;
        foreach (var width in model.Channels)
        {
            n++;
            var block = $"conv block {n}";
            layers.Add(new(new LayerSettings("conv2d") { OutChannels = width, Kernel = kernel, Stride = model.Stride, Padding = padding, Bias = true }, $"conv_{n}", $"{block} (conv {kernel}x{kernel})"));
            if (norm != "none") layers.Add(new(new LayerSettings($"{norm}_norm"), $"norm_{n}", $"{block} ({norm} norm)"));
            layers.Add(new(new LayerSettings(LayerCatalog.ModelActivation), $"act_{n}", $"{block} (activation)"));
            if (pool != "none")
            {
                var size = model.PoolSize;
                layers.Add(new(new LayerSettings($"{pool}_pool") { Kernel = size, Stride = null, Padding = 0 }, $"pool_{n}", $"{block} ({pool} pool {size}x{size})"));
            }
            if (dropout > 0) layers.Add(new(new LayerSettings("dropout") { P = dropout }, $"dropout_{n}", $"{block} (dropout)"));
        }
        layers.Add(new(new LayerSettings("flatten"), "flatten", "flatten"));
        foreach (var width in model.Hidden)
        {
            n++;
            var dense = $"dense layer {n - model.Channels.Count}";
            layers.Add(new(new LayerSettings("linear") { OutFeatures = width, Bias = true }, $"linear_{n}", dense));
            if (norm != "none") layers.Add(new(new LayerSettings($"{norm}_norm"), $"norm_{n}", $"{dense} ({norm} norm)"));
            layers.Add(new(new LayerSettings(LayerCatalog.ModelActivation), $"act_{n}", $"{dense} (activation)"));
            if (dropout > 0) layers.Add(new(new LayerSettings("dropout") { P = dropout }, $"dropout_{n}", $"{dense} (dropout)"));
        }
        layers.Add(new(new LayerSettings("linear") { OutFeatures = null, Bias = true }, "linear_out", "output layer"));
        return layers;
    }

    /// <summary>The activation a layer applies: its own type and parameters, or the model's for <c>{type: activation}</c>.</summary>
    public static ActivationSettings ActivationOf(LayerSettings layer, LayerEntry entry, ModelSettings model) =>
        entry.Kind == LayerKind.ModelActivation ? model.Activation : layer.Activation;
}
