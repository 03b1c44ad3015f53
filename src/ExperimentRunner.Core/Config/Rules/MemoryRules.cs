using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Layers;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// A model must fit in memory before anything is allocated: <c>hidden: [100000000]</c> used to pass validate and fail
/// half a minute into the run with libtorch's C++ frames. The need is estimated from the shapes
/// (<see cref="ModelFootprint"/>, <see cref="MemoryEstimate"/>) and compared with <c>limits.max_memory_mb</c>, by default
/// half of this machine's memory (<see cref="MachineMemory"/>).
/// </summary>
public sealed class ModelFitsMemory : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } =
        ["model", "dataset", "optimizer", "training.batch_size", "training.eval_batch_size", "diagnostics.probe_size", "limits"];

    public void Check(RuleContext c)
    {
        var spec = c.Spec;
        var task = DataFacts.Task(c);
        if (ModelFootprint.For(spec, c.Catalogs, task == TaskKind.Regression ? 1 : c.Classes) is not { } footprint) return;
        var input = c.Catalogs.Datasets.Get(spec.Dataset.Name).InputShape?.Invoke(spec.Dataset);
        long? samples = spec.Dataset.Generator?.Samples;
        var examples = input is null || samples is null ? 0 : samples.Value * input.Aggregate(1.0, (a, b) => a * b);
        // A batch (or evaluation chunk) is never larger than the data, when the settings say how much there is.
        long Rows(long batch) => Math.Min(batch, samples ?? batch);
        var need = MemoryEstimate.Of(footprint, OptimizerSlots(spec.Optimizer), Rows(spec.Training.BatchSize), Rows(spec.Training.EvalBatchSize), Rows(spec.Diagnostics.ProbeSize), examples);
        var (limit, source) = Limit(spec.Limits);
        if (need.Bytes <= limit) return;

        var key = spec.Model.Architecture switch { "mlp" => "model.hidden", "cnn" => "model.channels", "sequential" => "model.layers", _ => "model" };
        var atLeast = footprint.LowerBound ? "at least " : "";
        var parts = new List<string>
        {
            $"{Size(need.StateBytes)} for weights, gradients and {spec.Optimizer.Name} state",
            Invariant($"{Size(need.ActivationBytes)} for activations (batch_size {spec.Training.BatchSize})"),
        };
        if (need.DataBytes > 0) parts.Add($"{Size(need.DataBytes)} for the generated examples");
        var raise = Math.Ceiling(need.Bytes / (1024 * 1024) * 1.1);
        c.Error(key, Invariant(
            $"{atLeast}{footprint.Parameters:#,0} parameters need {(footprint.LowerBound ? "at least" : "about")} {Size(need.Bytes)} of memory ({string.Join(", ", parts)}); the limit is {Size(limit)} ({source}). Use a smaller model, or raise the limit with limits.max_memory_mb (--set limits.max_memory_mb={raise:0})"));
    }

    /// <summary>Values the optimizer keeps per weight.</summary>
    private static int OptimizerSlots(OptimizerSettings optimizer)
    {
        var momentum = optimizer.Momentum > 0;
        return optimizer.Name switch
        {
            "adam" or "adamw" => 2 + (optimizer.Amsgrad == true ? 1 : 0),
            "rmsprop" => 1 + (momentum ? 1 : 0) + (optimizer.Centered == true ? 1 : 0),
            "sgd" => momentum ? 1 : 0,
            _ => 1,
        };
    }

    private static (double Bytes, string Source) Limit(LimitsSettings limits)
    {
        if (limits.MaxMemoryMb is { } mb)
            return (mb * 1024.0 * 1024, Invariant($"limits.max_memory_mb: {mb}"));
        return (MachineMemory.DefaultLimitBytes, $"limits.max_memory_mb unset: half of this machine's {Size(MachineMemory.Bytes)}");
    }

    private static string Size(double bytes)
    {
        var (gb, tb) = (1024.0 * 1024 * 1024, 1024.0 * 1024 * 1024 * 1024);
        if (bytes >= tb) return Invariant($"{bytes / tb:0.#} TB");
        return bytes >= gb ? Invariant($"{bytes / gb:0.#} GB") : Invariant($"{Math.Max(1, bytes / (1024.0 * 1024)):0} MB");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
