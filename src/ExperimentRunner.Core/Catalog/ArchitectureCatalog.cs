namespace ExperimentRunner.Core.Catalog;

public static class ArchitectureCatalog
{
    public static readonly string[] Norms = ["none", "batch", "layer"];
    public static readonly string[] Pools = ["max", "avg", "none"];
    public static readonly string[] Inits = ["default", "kaiming_normal", "kaiming_uniform", "xavier_normal", "xavier_uniform", "orthogonal"];

    /// <summary>Keys every architecture shares: the non-linearity and the output layer.</summary>
    private static ParamSpec[] Shared() =>
    [
        P.Component("activation", CatalogKind.Activation, "relu", "non-linearity between hidden layers"),
        P.Component("output_activation", CatalogKind.OutputActivation, ActivationCatalog.Auto, "last layer's activation; auto picks what the loss expects, an explicit value is honoured"),
        P.Float("dropout", 0.0, "dropout probability after each hidden activation", min: 0, max: 1, maxExclusive: true),
        P.Choice("norm", "none", "normalization before each hidden activation", Norms),
        P.Choice("init", "default", "weight initialization of linear and conv layers (biases start at zero unless default)", Inits),
        P.Float("bias_init", null, "constant every hidden bias starts at (e.g. a large negative value to provoke dead ReLUs); unset keeps the init's own"),
    ];

    public static Registry<CatalogEntry> Create() => new(CatalogKind.Architecture,
    [
        new("mlp", "fully connected layers: Linear -> [norm] -> activation -> [dropout], then a linear output layer",
            [P.Ints("hidden", [64, 64], "width of each hidden layer (empty: a linear model)", min: 1, minCount: 0, maxCount: 1000), .. Shared()]) { Aliases = ["dense", "feedforward"] },
        new("cnn", "conv blocks Conv2d -> [norm] -> activation -> [pool] -> [dropout] on [channels, height, width] inputs, then a dense head like the mlp",
            [
                P.Ints("channels", [16, 32], "output channels of each conv block, one block per entry", min: 1, minCount: 1, maxCount: 100),
                P.Int("kernel", 3, "filter height and width of every conv", min: 1),
                P.Int("stride", 1, "step of every conv", min: 1),
                P.Int("padding", null, "zeros added on each side of every conv (unset: kernel / 2, which keeps the size at stride 1)", min: 0),
                P.Choice("pool", "max", "pooling at the end of each block", Pools),
                P.Int("pool_size", 2, "pooling window and step", min: 1),
                P.Ints("hidden", [64], "width of each dense layer after flattening (empty: straight to the output layer)", min: 1, minCount: 0, maxCount: 1000),
                .. Shared(),
            ]) { Aliases = ["conv", "convnet"] },
        new("sequential", "an explicit list of layers (linear, conv2d, pooling, flatten, dropout, norms, activations); shapes are inferred from the dataset",
            [
                P.ComponentSequence("layers", CatalogKind.Layer, "the layers in order, e.g. [{type: conv2d, out_channels: 8, kernel: 3, padding: 1}, {type: relu}, {type: flatten}, {type: linear}]; the last linear may leave out out_features"),
                P.Component("activation", CatalogKind.Activation, "relu", "what {type: activation} layers use, so a sweep over model.activation changes them"),
                P.Component("output_activation", CatalogKind.OutputActivation, ActivationCatalog.Auto, "appended after the last layer; auto picks what the loss expects, an explicit value is honoured"),
                P.Choice("init", "default", "weight initialization of linear and conv layers (gain from the activation that follows each)", Inits),
                P.Float("bias_init", null, "constant every hidden bias starts at; unset keeps the init's own"),
            ]) { Aliases = ["layers"] },
    ]);
}
