using ExperimentRunner.Core.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>Builds the TorchSharp module for each activation name of the catalog (hidden and output).</summary>
public static class ActivationFactory
{
    public static IReadOnlyDictionary<string, Func<Component, nn.Module<Tensor, Tensor>>> Builders { get; } =
        new Dictionary<string, Func<Component, nn.Module<Tensor, Tensor>>>
        {
            ["relu"] = _ => nn.ReLU(),
            ["leaky_relu"] = c => nn.LeakyReLU(c.Float("negative_slope")),
            ["prelu"] = c => nn.PReLU(1, c.Float("init")),
            ["elu"] = c => nn.ELU(c.Float("alpha")),
            ["selu"] = _ => nn.SELU(),
            ["celu"] = c => nn.CELU(c.Float("alpha")),
            ["gelu"] = c => c.String("approximate") == "tanh" ? nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh) : nn.GELU(),
            ["silu"] = _ => nn.SiLU(),
            ["mish"] = _ => nn.Mish(),
            ["tanh"] = _ => nn.Tanh(),
            ["sigmoid"] = _ => nn.Sigmoid(),
            ["hardtanh"] = c => new Hardtanh(c.Float("min_val"), c.Float("max_val")),
            ["hardsigmoid"] = _ => nn.Hardsigmoid(),
            ["hardswish"] = _ => nn.Hardswish(),
            ["relu6"] = _ => nn.ReLU6(),
            ["softplus"] = c => nn.Softplus(c.Float("beta"), c.Float("threshold")),
            ["softsign"] = _ => nn.Softsign(),
            ["tanhshrink"] = _ => nn.Tanhshrink(),
            ["logsigmoid"] = _ => nn.LogSigmoid(),
            ["identity"] = _ => nn.Identity(),
            ["softmax"] = _ => nn.Softmax(1),
            ["log_softmax"] = _ => nn.LogSoftmax(1),
        };

    public static nn.Module<Tensor, Tensor> Create(Component activation) =>
        Builders.TryGetValue(activation.Name, out var build)
            ? build(activation)
            : throw new ArgumentException($"no module for activation '{activation.Name}'; known: {string.Join(", ", Builders.Keys)}");

    /// <summary>Bounds of the activation's output with its parameters applied (for saturation statistics).</summary>
    public static (double? Lower, double? Upper) Bounds(Component activation, ExperimentRunner.Core.Catalog.Catalogs catalogs)
    {
        if (activation.Name == "hardtanh") return (activation.Float("min_val"), activation.Float("max_val"));
        var entry = catalogs.OutputActivations.Get(activation.Name);
        return (entry.Lower, entry.Upper);
    }

    /// <summary>
    /// hardtanh as clamp. TorchSharp 0.107.0's Tensor.hardtanh (used by nn.Hardtanh) hands back its input object,
    /// so nn.Sequential, which disposes each intermediate result, disposes the layer's output with its input
    /// ("Tensor invalid -- empty handle" in the next layer).
    /// </summary>
    private sealed class Hardtanh(double min, double max) : nn.Module<Tensor, Tensor>("Hardtanh")
    {
        public override Tensor forward(Tensor input) => input.clamp(min, max);
    }
}
