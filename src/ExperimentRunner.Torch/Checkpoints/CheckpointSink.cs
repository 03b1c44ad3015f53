using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>Saves best weights when validation loss improves and resume state after every epoch.</summary>
public sealed class CheckpointSink(CheckpointStore store) : ITrainingCallback
{
    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest)
    {
        if (isBest) store.SaveBest(session.Network);
        store.SaveState(session);
    }
}
