using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Torch.Training;

/// <summary>
/// Rewrites metrics.csv atomically at each checkpoint from the session's history, so the file is always
/// whole and never ahead of the resume state by more than the epochs since the last checkpoint; on resume
/// the rows of epochs that will be repeated are dropped first. Written once more when training ends: an
/// epoch's <c>seconds</c> includes its own checkpoint, which is known only after the checkpoint wrote the file.
/// </summary>
public sealed class MetricsCsvSink(string trialDir) : ITrainingCallback
{
    public const string FileName = MetricsCsv.FileName;
    private string Path => System.IO.Path.Combine(trialDir, FileName);

    public void OnTrainStart(TrainingSession session)
    {
        if (session.History.Count > 0 || session.State.EpochsDone == 0) return;
        session.History.AddRange(MetricsCsv.Read(Path, session.Metrics).Where(r => r.Epoch <= session.State.EpochsDone));
    }

    public void OnCheckpoint(TrainingSession session) => Write(session);

    public void OnTrainEnd(TrainingSession session, TrainingOutcome outcome)
    {
        if (session.History.Count > 0) Write(session);
    }

    private void Write(TrainingSession session) => AtomicFile.WriteAllText(Path, MetricsCsv.Write(session.Metrics, session.History));
}
