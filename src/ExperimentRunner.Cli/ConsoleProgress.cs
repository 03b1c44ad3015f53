using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Cli;

/// <summary>
/// A plain line when a trial starts and one per epoch: readable in a terminal, a CI log or a Slurm output file.
/// Trials are counted among those this run trains (a shard's, less those already finished), as
/// <see cref="SweepProgress"/> counts them; the result line of each trial is <see cref="SweepProgress"/>'s.
/// </summary>
public sealed class ConsoleProgress(TextWriter output, IReadOnlyList<TrialSpec> trials) : IProgressSink
{
    private readonly Dictionary<string, int> _position = trials.Select((t, i) => (t.Id, i + 1)).ToDictionary(p => p.Id, p => p.Item2);

    public void TrialStarted(TrialSpec trial, int totalEpochs, int resumedFromEpoch)
    {
        var resumed = resumedFromEpoch > 0 ? $", resuming after epoch {resumedFromEpoch}" : "";
        output.WriteLine($"[{_position.GetValueOrDefault(trial.Id)}/{trials.Count}] {trial.Id}: {Counted.Of(totalEpochs, "epoch")}{resumed}");
    }

    public void EpochEnded(TrialSpec trial, EpochRecord record, IReadOnlyList<string> metrics)
    {
        var parts = new List<string>
        {
            $"  epoch {record.Epoch,3}",
            $"train_loss {F(record.TrainLoss)}",
            $"val_loss {F(record.ValLoss)}",
        };
        parts.AddRange(metrics.Select(m => $"val_{m} {F(record.ValMetrics.GetValueOrDefault(m, double.NaN))}"));
        parts.Add($"lr {record.LearningRate.ToString("G3", CultureInfo.InvariantCulture)}");
        parts.Add($"{record.Seconds.ToString("0.00", CultureInfo.InvariantCulture)}s");
        output.WriteLine(string.Join("  ", parts));
    }

    public void TrialEnded(TrialSpec trial, RunManifest manifest)
    {
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "nan";
}
