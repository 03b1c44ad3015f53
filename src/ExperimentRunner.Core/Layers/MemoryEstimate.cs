namespace ExperimentRunner.Core.Layers;

/// <summary>
/// Bytes a trial needs while it trains, in float32: parameter state, activations and the examples themselves.
/// Parameter state is the weights, their gradients, a copy while a checkpoint is written, and the optimizer's slots
/// (adam keeps two moments per weight). Activations are the larger of a training batch's forward outputs with their
/// gradients, an evaluation chunk's widest layer (no gradients), and the diagnostics probe's outputs.
/// </summary>
public sealed record MemoryEstimate(double StateBytes, double ActivationBytes, double DataBytes)
{
    private const double Float = 4;

    public double Bytes => StateBytes + ActivationBytes + DataBytes;

    /// <param name="optimizerSlots">values an optimizer keeps per weight (sgd 0, momentum 1, adam 2, ...)</param>
    /// <param name="exampleValues">values of all examples (samples x input size) when the settings decide them, else 0</param>
    public static MemoryEstimate Of(ModelFootprint model, int optimizerSlots, long batchSize, long evalBatchSize, long probeSize, double exampleValues)
    {
        var state = model.Parameters * Float * (3 + optimizerSlots);
        var training = batchSize * model.ActivationsPerExample * Float * 2;
        var evaluation = evalBatchSize * model.LargestOutput * Float * 2;
        var probe = probeSize * model.ActivationsPerExample * Float;
        // Generated examples exist twice while they become tensors.
        return new MemoryEstimate(state, Math.Max(training, Math.Max(evaluation, probe)), exampleValues * Float * 2);
    }
}
