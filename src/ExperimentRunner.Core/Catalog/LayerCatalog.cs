namespace ExperimentRunner.Core.Catalog;

/// <summary>What a layer of a <c>sequential</c> model does to the shape of its input.</summary>
public enum LayerKind
{
    Linear,
    Conv2d,
    MaxPool,
    AvgPool,
    Flatten,
    Dropout,
    BatchNorm,
    LayerNorm,
    /// <summary>An activation named by the layer's own type (<c>{type: leaky_relu, negative_slope: 0.1}</c>).</summary>
    Activation,
    /// <summary>The model's <c>activation</c> setting, so a sweep over <c>model.activation</c> reaches the layer.</summary>
    ModelActivation,
}

public sealed record LayerEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params) : CatalogEntry(Name, Description, Params)
{
    public required LayerKind Kind { get; init; }

    /// <summary>Layers with weights (linear, conv2d): init applies to them and diagnostics report their norms.</summary>
    public bool HasWeights => Kind is LayerKind.Linear or LayerKind.Conv2d;

    public bool IsActivation => Kind is LayerKind.Activation or LayerKind.ModelActivation;
}

/// <summary>
/// The layers a <c>sequential</c> model lists (<c>{type: conv2d, out_channels: 8, kernel: 3}</c>): the shape
/// changing layers below plus every hidden activation of <see cref="ActivationCatalog"/> with its parameters.
/// Defaults follow PyTorch (padding 0, pooling stride = kernel), so a model reads as it would there.
/// </summary>
public static class LayerCatalog
{
    public const string ModelActivation = "activation";

    private static ParamSpec[] Pool() =>
    [
        P.Int("kernel", 2, "window height and width", min: 1),
        P.Int("stride", null, "step between windows (unset: the kernel size)", min: 1),
        P.Int("padding", 0, "zero (max: -inf) padding on each side; at most half the kernel", min: 0),
    ];

    public static IReadOnlyList<LayerEntry> Structural() =>
    [
        new("linear", "fully connected layer on a flat vector; out_features may be left out on the last one (the dataset's output width)",
            [P.Int("out_features", null, "output width (unset on the last linear layer: one per class, or per regression target)", min: 1), P.Bool("bias", true, "learn an additive bias")])
            { Kind = LayerKind.Linear, Aliases = ["dense", "fc"] },
        new("conv2d", "2-D convolution on [channels, height, width]; output size (size + 2 padding - kernel) / stride + 1",
            [
                P.Int("out_channels", null, "number of filters", min: 1) with { Required = true, Nullable = false },
                P.Int("kernel", 3, "filter height and width", min: 1),
                P.Int("stride", 1, "step between filter positions", min: 1),
                P.Int("padding", 0, "zeros added on each side (kernel / 2 keeps the size at stride 1)", min: 0),
                P.Bool("bias", true, "learn an additive bias per filter"),
            ])
            { Kind = LayerKind.Conv2d, Aliases = ["conv"] },
        new("max_pool", "2-D max pooling on [channels, height, width]", Pool()) { Kind = LayerKind.MaxPool, Aliases = ["maxpool", "max_pool2d"] },
        new("avg_pool", "2-D average pooling on [channels, height, width]", Pool()) { Kind = LayerKind.AvgPool, Aliases = ["avgpool", "avg_pool2d"] },
        new("flatten", "[channels, height, width] -> one vector of channels * height * width (a flat input passes unchanged)", [])
            { Kind = LayerKind.Flatten },
        new("dropout", "zeroes each value with probability p while training",
            [P.Float("p", 0.5, "drop probability", min: 0, max: 1, maxExclusive: true)]) { Kind = LayerKind.Dropout },
        new("batch_norm", "batch normalization per feature (flat input) or per channel (images)", [])
            { Kind = LayerKind.BatchNorm, Aliases = ["batchnorm"] },
        new("layer_norm", "layer normalization over all values of one example", [])
            { Kind = LayerKind.LayerNorm, Aliases = ["layernorm"] },
        new(ModelActivation, "the model's 'activation' setting (so sweeping model.activation changes these layers)", [])
            { Kind = LayerKind.ModelActivation },
    ];

    public static Registry<LayerEntry> Create()
    {
        var structural = Structural();
        var taken = structural.SelectMany(e => e.Aliases.Prepend(e.Name)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // identity's alias 'linear' belongs to the linear layer here; the activation keeps its other names.
        var activations = ActivationCatalog.Hidden().Select(a => new LayerEntry(a.Name, $"activation: {a.Description}", a.Params)
        {
            Kind = LayerKind.Activation,
            Aliases = a.Aliases.Where(alias => !taken.Contains(alias)).ToList(),
        });
        return new(CatalogKind.Layer, structural.Concat(activations));
    }
}
