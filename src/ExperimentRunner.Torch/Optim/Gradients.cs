using TorchSharp.Modules;

namespace ExperimentRunner.Torch.Optim;

/// <summary>How the trainer clears gradients between steps.</summary>
public static class Gradients
{
    /// <summary>
    /// Drops the gradients of <paramref name="parameters"/> (PyTorch's <c>zero_grad(set_to_none=True)</c>, its default):
    /// one native call per parameter, where TorchSharp's <c>Optimizer.zero_grad</c> makes three and runs a zeroing
    /// kernel, and the next backward pass then stores its gradients instead of adding them to zeros. The arithmetic is
    /// the same: x + 0 is x, and the one difference, a gradient of -0 kept instead of read as +0, changes no
    /// optimizer's state or weights (tests/ExperimentRunner.Tests/Torch/GradientsTests.cs checks every optimizer).
    /// </summary>
    public static void Drop(IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in parameters) p.grad = null;
    }
}
