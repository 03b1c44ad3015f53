using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Cli;

/// <summary>A plain line per epoch and per finished trial: readable in a terminal, a CI log or a Slurm output file.</summary>
public sealed class ConsoleProgress(TextWriter output, int totalTrials) : IProgressSink
{
    private int _finished;

    public void TrialStarted(TrialSpec trial, int totalEpochs, int resumedFromEpoch)
    {
        var resumed = resumedFromEpoch > 0 ? $", resuming after epoch {resumedFromEpoch}" : "";
        output.WriteLine($"[{trial.Index + 1}/{totalTrials}] {trial.Id}: {totalEpochs} epochs{resumed}");
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
        _finished++;
        var test = string.Join("  ", manifest.TestMetrics.Select(kv => $"test_{kv.Key} {F(kv.Value ?? double.NaN)}"));
        var detail = manifest.StatusValue switch
        {
            TrialStatus.Failed => $"error: {manifest.Error}",
            TrialStatus.Diverged => $"loss became non-finite in epoch {manifest.DivergedEpoch}",
            _ => $"best epoch {manifest.BestEpoch}  test_loss {F(manifest.TestLoss ?? double.NaN)}  {test}",
        };
        output.WriteLine($"[{_finished}/{totalTrials} done] {trial.Id}: {manifest.Status} after {manifest.Epochs} epochs, {manifest.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}s; {detail}");
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "nan";
}
