namespace ExperimentRunner.Core.Catalog;

public sealed record ActivationEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params) : CatalogEntry(Name, Description, Params)
{
    /// <summary>Lower bound of the output (for saturation statistics); null if unbounded.</summary>
    public double? Lower { get; init; }
    public double? Upper { get; init; }
    /// <summary>What the output means when used as the last layer.</summary>
    public OutputKind Produces { get; init; } = OutputKind.Values;
    /// <summary>Only meaningful as the last layer (softmax, log_softmax).</summary>
    public bool OutputOnly { get; init; }
}

public static class ActivationCatalog
{
    public const string Auto = "auto";

    public static IReadOnlyList<ActivationEntry> Hidden() =>
    [
        new("relu", "max(0, x); cheap, units can die", []) { Lower = 0 },
        new("leaky_relu", "x for x > 0, slope * x below; keeps a gradient for negatives",
            [P.Float("negative_slope", 0.01, "slope for negative inputs", min: 0)]) { Aliases = ["lrelu", "leakyrelu"] },
        new("prelu", "leaky ReLU with a learned slope",
            [P.Float("init", 0.25, "initial slope", min: 0)]),
        new("elu", "x for x > 0, alpha * (exp(x) - 1) below",
            [P.Float("alpha", 1.0, "value approached for large negative inputs", min: 0, minExclusive: true)]),
        new("selu", "scaled ELU; self-normalizing with lecun init", []),
        new("celu", "continuously differentiable ELU",
            [P.Float("alpha", 1.0, "scale of the negative part", min: 0, minExclusive: true)]),
        new("gelu", "x * Phi(x); smooth ReLU used in transformers",
            [P.Choice("approximate", "none", "exact erf form or the tanh approximation", "none", "tanh")]),
        new("silu", "x * sigmoid(x)", []) { Aliases = ["swish"] },
        new("mish", "x * tanh(softplus(x))", []),
        new("tanh", "hyperbolic tangent; saturates at -1 and 1", []) { Lower = -1, Upper = 1 },
        new("sigmoid", "logistic function; saturates at 0 and 1", []) { Lower = 0, Upper = 1, Produces = OutputKind.Probabilities, Aliases = ["logistic"] },
        new("hardtanh", "x clipped to [min_val, max_val]",
            [P.Float("min_val", -1.0, "lower clip"), P.Float("max_val", 1.0, "upper clip")]) { Lower = -1, Upper = 1 },
        new("hardsigmoid", "piecewise-linear sigmoid", []) { Lower = 0, Upper = 1, Produces = OutputKind.Probabilities },
        new("hardswish", "x * hardsigmoid(x)", []),
        new("relu6", "min(max(0, x), 6)", []) { Lower = 0, Upper = 6 },
        new("softplus", "smooth ReLU log(1 + exp(beta * x)) / beta",
            [P.Float("beta", 1.0, "sharpness", min: 0, minExclusive: true), P.Float("threshold", 20.0, "above beta * x > threshold the output is linear", min: 0, minExclusive: true)]),
        new("softsign", "x / (1 + |x|); saturates slowly at -1 and 1", []) { Lower = -1, Upper = 1 },
        new("tanhshrink", "x - tanh(x)", []),
        new("logsigmoid", "log(sigmoid(x)); log-probabilities of independent binary outcomes", []) { Produces = OutputKind.LogProbabilities, Upper = 0, Aliases = ["log_sigmoid"] },
        new("identity", "no non-linearity (outputs raw values or logits)", []) { Produces = OutputKind.Logits, Aliases = ["linear", "none"] },
    ];

    public static IReadOnlyList<ActivationEntry> OutputOnlyEntries() =>
    [
        new(Auto, "pick what the loss expects (identity for logits and values, sigmoid for bce, log_softmax for nll and kl_div)", []) { OutputOnly = true },
        new("softmax", "normalizes outputs into class probabilities", []) { Lower = 0, Upper = 1, Produces = OutputKind.Probabilities, OutputOnly = true },
        new("log_softmax", "log of softmax; class log-probabilities", []) { Produces = OutputKind.LogProbabilities, OutputOnly = true, Upper = 0, Aliases = ["logsoftmax"] },
    ];

    public static Registry<ActivationEntry> CreateHidden() => new(CatalogKind.Activation, Hidden());

    public static Registry<ActivationEntry> CreateOutput() => new(CatalogKind.OutputActivation, OutputOnlyEntries().Concat(Hidden()));
}
