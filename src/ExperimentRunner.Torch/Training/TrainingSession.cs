using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>Progress that must survive a restart: saved with every checkpoint, restored on resume.</summary>
public sealed record TrainerState
{
    public int EpochsDone { get; init; }
    public double BestValLoss { get; init; } = double.PositiveInfinity;
    public int BestEpoch { get; init; }
    /// <summary>Best value of the early-stopping monitor and epochs since it improved by min_delta.</summary>
    public double MonitorBest { get; init; } = double.PositiveInfinity;
    public int EpochsWithoutImprovement { get; init; }
    public IReadOnlyDictionary<string, double> Schedule { get; init; } = new Dictionary<string, double>();
}

/// <summary>Everything one trial trains with; callbacks read it, the trainer mutates <see cref="State"/> and <see cref="History"/>.</summary>
public sealed class TrainingSession : IDisposable
{
    public required ExperimentSpec Spec { get; init; }
    public required BuiltModel Model { get; init; }
    public required TorchSharp.Modules.OptimizerHelper Optimizer { get; init; }
    public required ILrSchedule Schedule { get; init; }
    public required LossFunction Loss { get; init; }
    public required TaskKind Task { get; init; }
    public required TensorSplit Train { get; init; }
    public required TensorSplit Validation { get; init; }
    public required TensorSplit Test { get; init; }
    public required IReadOnlyList<string> Metrics { get; init; }
    public TrainerState State { get; set; } = new();
    public List<EpochRecord> History { get; } = [];

    public nn.Module<Tensor, Tensor> Network => Model.Network;

    private TorchSharp.Modules.Parameter[]? _optimized;

    /// <summary>Drops the gradients of every parameter the optimizer updates (see <see cref="Optim.Gradients.Drop"/>).</summary>
    public void ClearGradients() => Optim.Gradients.Drop(_optimized ??= Optimizer.parameters().ToArray());

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
        Optimizer.Dispose();
        Model.Network.Dispose();
    }
}

public enum StopReason
{
    Completed,
    EarlyStopped,
    Diverged,
    /// <summary>Stopped on request (tests simulating an interruption, or a cancelled run).</summary>
    Interrupted,
}

public sealed record TrainingOutcome(StopReason Reason, int? DivergedEpoch);

/// <summary>
/// Hooks the trainer calls; every method has a no-op default so a sink implements only what it needs
/// (Lightning's Callback). The trainer itself never writes files or the console.
/// </summary>
public interface ITrainingCallback
{
    void OnTrainStart(TrainingSession session) { }

    void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest) { }

    /// <summary>
    /// Time to make progress durable: write files and resume state for every epoch so far. Raised at most
    /// every <c>checkpoint.state_interval</c> seconds and always when training stops, so tiny epochs do not
    /// pay for a file write each.
    /// </summary>
    void OnCheckpoint(TrainingSession session) { }

    void OnTrainEnd(TrainingSession session, TrainingOutcome outcome) { }
}
