using ExperimentRunner.Core.Config.Settings;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>
/// A layer whose output diagnostics watch: the activation module to hook and the weight module whose
/// gradient and weight norms are reported. Names are the child names in the network's state dict.
/// </summary>
public sealed record ProbeLayer(string Name, string ActivationModule, string WeightModule, ActivationSettings Activation);

/// <summary>The network plus what diagnostics need to know about its layers.</summary>
public sealed record BuiltModel(nn.Module<Tensor, Tensor> Network, IReadOnlyList<ProbeLayer> Layers);

/// <summary>Builds a network for one architecture name; registered in <see cref="ModelFactory"/>.</summary>
public interface IArchitectureBuilder
{
    BuiltModel Build(ModelSettings model, int[] inputShape, int outputs);
}
