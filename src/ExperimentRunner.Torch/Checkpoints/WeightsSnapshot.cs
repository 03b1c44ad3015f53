using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// A copy of a module's state dict kept in memory: the best weights between checkpoints. Copying into tensors made
/// once costs microseconds where a file write costs milliseconds, so an improvement every epoch no longer pays for
/// a write every epoch; the file is written when the trainer checkpoints.
/// </summary>
public sealed class WeightsSnapshot : IDisposable
{
    private List<(string Name, Tensor Copy)>? _copies;

    /// <summary>True when the snapshot holds weights that are not yet in a file.</summary>
    public bool Pending { get; private set; }

    public IReadOnlyList<(string Name, Tensor Tensor)> State => _copies ?? [];

    public void Capture(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var state = module.state_dict().ToList();
        if (_copies is null || _copies.Count != state.Count)
        {
            Release();
            // Outside every dispose scope: the copies live until the snapshot is disposed.
            _copies = state.Select(kv => (kv.Key, kv.Value.detach().clone().DetachFromDisposeScope())).ToList();
        }
        else
        {
            for (var i = 0; i < state.Count; i++) _copies[i].Copy.copy_(state[i].Value);
        }
        Pending = true;
    }

    public void MarkWritten() => Pending = false;

    private void Release()
    {
        foreach (var (_, copy) in _copies ?? []) copy.Dispose();
        _copies = null;
    }

    public void Dispose()
    {
        Release();
        Pending = false;
    }
}
