using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using TorchSharp;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>Builds the TorchSharp module for each activation name of the catalog (hidden and output).</summary>
public sealed class ActivationFactory(Catalogs catalogs)
{
    // Output activations include every hidden one; auto is resolved by the loader before anything is built.
    private readonly FactoryTable<Func<ActivationSettings, nn.Module<Tensor, Tensor>>> _table =
        new(catalogs.OutputActivations, Builders, e => e.Name != ActivationCatalog.Auto);

    private static readonly Dictionary<string, Func<ActivationSettings, nn.Module<Tensor, Tensor>>> Builders = new()
        {
            ["relu"] = _ => nn.ReLU(),
            ["leaky_relu"] = c => nn.LeakyReLU(c.NegativeSlope!.Value),
            ["prelu"] = c => nn.PReLU(1, c.Init!.Value),
            ["elu"] = c => nn.ELU(c.Alpha!.Value),
            ["selu"] = _ => nn.SELU(),
            ["celu"] = c => nn.CELU(c.Alpha!.Value),
            ["gelu"] = c => c.Approximate == "tanh" ? nn.GELU(TorchSharp.Modules.GELU.Approximate.tanh) : nn.GELU(),
            ["silu"] = _ => nn.SiLU(),
            ["mish"] = _ => nn.Mish(),
            ["tanh"] = _ => nn.Tanh(),
            ["sigmoid"] = _ => nn.Sigmoid(),
            ["hardtanh"] = c => new Hardtanh(c.MinVal!.Value, c.MaxVal!.Value),
            ["hardsigmoid"] = _ => nn.Hardsigmoid(),
            ["hardswish"] = _ => nn.Hardswish(),
            ["relu6"] = _ => nn.ReLU6(),
            ["softplus"] = c => nn.Softplus(c.Beta!.Value, c.Threshold!.Value),
            ["softsign"] = _ => nn.Softsign(),
            ["tanhshrink"] = _ => nn.Tanhshrink(),
            ["logsigmoid"] = _ => nn.LogSigmoid(),
            ["identity"] = _ => nn.Identity(),
            ["softmax"] = _ => nn.Softmax(1),
            ["log_softmax"] = _ => nn.LogSoftmax(1),
        };

    /// <summary>The catalog names this factory builds.</summary>
    public IReadOnlyCollection<string> Names => _table.Names;

    public nn.Module<Tensor, Tensor> Create(ActivationSettings activation) => _table.For(activation.Name)(activation);

    /// <summary>Bounds of the activation's output with its parameters applied (for saturation statistics).</summary>
    public (double? Lower, double? Upper) Bounds(ActivationSettings activation)
    {
        if (activation is { MinVal: { } min, MaxVal: { } max }) return (min, max);
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
