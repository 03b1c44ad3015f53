using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Metrics;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>Collects what metrics need from network outputs: arg-max classes, or predicted values.</summary>
public sealed class Predictions(TaskKind task, int capacity)
{
    private readonly List<long> _classes = new(task == TaskKind.Classification ? capacity : 0);
    private readonly List<float> _values = new(task == TaskKind.Regression ? capacity : 0);

    public void Add(Tensor output)
    {
        using var _ = NewDisposeScope();
        if (task == TaskKind.Classification) _classes.AddRange(output.argmax(1).data<long>().ToArray());
        else _values.AddRange(output.detach().reshape(-1).to_type(ScalarType.Float32).data<float>().ToArray());
    }

    /// <summary>Scores against the examples in <paramref name="rows"/> order (the order outputs were added in).</summary>
    public Dictionary<string, double> Score(IReadOnlyList<string> metrics, DataSet data, IReadOnlyList<long>? order = null)
    {
        var result = new Dictionary<string, double>();
        if (task == TaskKind.Classification)
        {
            var actual = order is null ? data.Labels! : order.Select(i => data.Labels![i]).ToArray();
            foreach (var m in metrics) result[m] = MetricCalculator.Classification(m, _classes.ToArray(), actual, data.Classes);
        }
        else
        {
            var actual = order is null ? data.Values! : order.SelectMany(i => data.Values!.AsSpan((int)i * data.Outputs, data.Outputs).ToArray()).ToArray();
            foreach (var m in metrics) result[m] = MetricCalculator.Regression(m, _values.ToArray(), actual);
        }
        return result;
    }
}
