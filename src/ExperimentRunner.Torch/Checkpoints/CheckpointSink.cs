using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// Saves best weights as soon as validation loss improves (a resumed run replays later epochs
/// deterministically, so an early best file is rewritten with the same bytes) and resume state at each
/// checkpoint.
/// </summary>
public sealed class CheckpointSink(CheckpointStore store) : ITrainingCallback
{
    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest)
    {
        if (isBest) store.SaveBest(session.Network);
    }

    public void OnCheckpoint(TrainingSession session) => store.SaveState(session);
}
