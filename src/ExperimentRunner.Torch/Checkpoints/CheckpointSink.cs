using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// Keeps the best weights in memory when validation loss improves and writes them, then the resume state, at each
/// checkpoint: so best.safetensors always belongs to the committed epochs (a resumed run replays the later ones and
/// finds the same best), and a run whose every epoch improves writes the file once per checkpoint, not per epoch.
/// </summary>
public sealed class CheckpointSink(CheckpointStore store) : ITrainingCallback
{
    private readonly WeightsSnapshot _best = new();

    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest)
    {
        if (isBest) _best.Capture(session.Network);
    }

    public void OnCheckpoint(TrainingSession session)
    {
        if (_best.Pending)
        {
            store.SaveBest(_best);
            _best.MarkWritten();
        }
        store.SaveState(session);
    }

    public void OnTrainEnd(TrainingSession session, TrainingOutcome outcome) => _best.Dispose();
}
