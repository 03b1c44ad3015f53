using ExperimentRunner.Torch.Data;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>Loss and metrics of a split in eval mode under no_grad, in chunks so memory stays bounded.</summary>
public static class Evaluator
{
    public static (double Loss, Dictionary<string, double> Metrics) Evaluate(TrainingSession session, TensorSplit split)
    {
        var network = session.Network;
        network.eval();
        try
        {
            using var _ = no_grad();
            var chunk = session.Spec.Training.EvalBatchSize;
            using var predictions = new Predictions(session.Task, split.Rows, split.Data.Outputs);
            double total = 0;
            for (var start = 0; start < split.Rows; start += chunk)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(chunk, split.Rows - start);
                var output = network.forward(split.Inputs.narrow(0, start, length));
                total += session.Loss(output, split.Targets.narrow(0, start, length)).item<float>() * length;
                predictions.Add(output, start, length);
            }
            var loss = split.Rows == 0 ? double.NaN : total / split.Rows;
            return (loss, split.Rows == 0 ? [] : predictions.Score(session.Metrics, split.Data));
        }
        finally
        {
            network.train();
        }
    }
}
