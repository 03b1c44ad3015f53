using System.Runtime.InteropServices;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Data;

/// <summary>
/// One split as whole tensors: inputs, targets in the form the loss wants (class indices, one-hot or values),
/// and the plain labels or values metrics are computed from.
/// </summary>
public sealed class TensorSplit : IDisposable
{
    private TensorSplit(DataSet data, Tensor inputs, Tensor targets)
    {
        Data = data;
        Inputs = inputs;
        Targets = targets;
    }

    public DataSet Data { get; }
    public Tensor Inputs { get; }
    public Tensor Targets { get; }
    public int Rows => Data.Rows;

    public static TensorSplit Create(DataSet data, LossEntry loss)
    {
        long[] shape = [data.Rows, .. data.Shape.Select(d => (long)d)];
        var inputs = SharedInputs(data.Features, shape);
        Tensor targets;
        if (data.Task == TaskKind.Classification)
        {
            var labels = tensor(data.Labels!, [data.Rows]);
            if (loss.ClassTarget == TargetForm.OneHot)
            {
                using (labels) targets = nn.functional.one_hot(labels, data.Classes).to_type(ScalarType.Float32);
            }
            else targets = labels;
        }
        else
        {
            targets = tensor(data.Values!, [data.Rows, data.Outputs]);
        }
        return new TensorSplit(data, inputs, targets);
    }

    /// <summary>
    /// The inputs as a tensor over the set's own memory (frombuffer pins the array and shares it): training data is
    /// never copied into libtorch, so a large set is held once.
    /// </summary>
    private static Tensor SharedInputs(Memory<float> features, long[] shape)
    {
        if (features.Length == 0) return zeros(shape);
        if (!MemoryMarshal.TryGetArray<float>(features, out var segment))
            throw new ArgumentException("the features are not backed by an array", nameof(features));
        using var flat = frombuffer(segment.Array!, ScalarType.Float32, segment.Count, segment.Offset);
        return flat.reshape(shape);
    }

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
    }
}
