using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.Layers;

namespace ExperimentRunner.Torch.Modules;

/// <summary>
/// <c>cnn</c>: one conv block per <c>channels</c> entry (conv_i -> [norm_i] -> act_i -> [pool_i] -> [dropout_i]),
/// flatten, the dense head (linear_k -> [norm_k] -> act_k -> [dropout_k]), then linear_out and act_out. The input
/// must be [channels, height, width]; the stack is the one <see cref="LayerStacks.Cnn"/> describes, so validation
/// and building agree on every shape.
/// </summary>
public sealed class CnnBuilder(LayerStackBuilder stacks) : IArchitectureBuilder
{
    public BuiltModel Build(ModelSettings model, int[] inputShape, int outputs)
    {
        if (inputShape.Length != 3)
            throw new ArgumentException($"cnn needs image inputs [channels, height, width] but the dataset gives {LayerShapes.Text(inputShape)}; use mlp for tables, or an image dataset (shapes, idx)");
        return stacks.Build(LayerStacks.Cnn(model), model, inputShape, outputs);
    }
}
