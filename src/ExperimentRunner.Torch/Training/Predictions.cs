using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Metrics;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>
/// Collects what metrics need from network outputs (arg-max classes, or predicted values) into one
/// preallocated tensor, written at each example's own row: no per-batch copies to managed memory, and the
/// scores compare with the split's labels in their original order.
/// </summary>
public sealed class Predictions : IDisposable
{
    private readonly TaskKind _task;
    private readonly Tensor _store;

    public Predictions(TaskKind task, int rows, int outputs)
    {
        _task = task;
        _store = task == TaskKind.Classification ? empty([rows], ScalarType.Int64) : empty([rows, outputs], ScalarType.Float32);
    }

    /// <summary>Outputs of the examples at <paramref name="rows"/> (a shuffled training batch).</summary>
    /// <remarks>
    /// Called on every training batch, so it makes no no_grad context nor dispose scope of its own (native round trips):
    /// the summary never requires grad (an arg-max, or detached).
    /// </remarks>
    public void Add(Tensor output, Tensor rows)
    {
        using var summary = Summarize(output);
        _store.index_copy_(0, rows, summary);
    }

    /// <summary>Outputs of <paramref name="length"/> consecutive examples from <paramref name="start"/> (an evaluation chunk).</summary>
    public void Add(Tensor output, long start, long length)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        _store.narrow(0, start, length).copy_(Summarize(output));
    }

    private Tensor Summarize(Tensor output) =>
        _task == TaskKind.Classification ? output.argmax(1) : output.detach().to_type(ScalarType.Float32);

    public Dictionary<string, double> Score(IReadOnlyList<string> metrics, DataSet data)
    {
        var result = new Dictionary<string, double>();
        if (_task == TaskKind.Classification)
        {
            var predicted = _store.data<long>().ToArray();
            foreach (var m in metrics) result[m] = MetricCalculator.Classification(m, predicted, data.Labels!, data.Classes);
        }
        else
        {
            var predicted = _store.data<float>().ToArray();
            foreach (var m in metrics) result[m] = MetricCalculator.Regression(m, predicted, data.Values!);
        }
        return result;
    }

    public void Dispose() => _store.Dispose();
}
