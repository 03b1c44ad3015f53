namespace ExperimentRunner.Core.Catalog;

public static class ArchitectureCatalog
{
    public static readonly string[] Norms = ["none", "batch", "layer"];
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
    ]);
}
