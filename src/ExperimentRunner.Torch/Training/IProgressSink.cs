using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Torch.Training;

/// <summary>Where a trial reports progress: a console line per epoch, a live bar, or nothing.</summary>
public interface IProgressSink
{
    void TrialStarted(TrialSpec trial, int totalEpochs, int resumedFromEpoch) { }

    void EpochEnded(TrialSpec trial, EpochRecord record, IReadOnlyList<string> metrics) { }

    void TrialEnded(TrialSpec trial, RunManifest manifest) { }
}

public sealed class NoProgress : IProgressSink
{
    public static readonly NoProgress Instance = new();
}

/// <summary>Adapts trainer epochs to a progress sink.</summary>
public sealed class ProgressCallback(TrialSpec trial, IProgressSink sink) : ITrainingCallback
{
    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest) => sink.EpochEnded(trial, record, session.Metrics);
}
