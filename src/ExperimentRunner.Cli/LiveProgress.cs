using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;
using Spectre.Console;

namespace ExperimentRunner.Cli;

/// <summary>
/// The terminal view of a run: a bar for the sweep (done/total, failures, ETA) and one for the epochs of
/// the trial in this process, with finished trials printed above them. Used only on an interactive
/// terminal; logs and CI get <see cref="ConsoleProgress"/> and <see cref="SweepProgress"/> lines instead.
/// </summary>
public sealed class LiveProgress(ProgressContext context, int totalTrials) : IProgressSink
{
    private readonly ProgressTask _sweep = context.AddTask("trials", maxValue: Math.Max(1, totalTrials));
    private ProgressTask? _epochs;
    private int _failed;

    public static void Run(int totalTrials, Action<LiveProgress> body) =>
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx => body(new LiveProgress(ctx, totalTrials)));

    public void TrialStarted(TrialSpec trial, int totalEpochs, int resumedFromEpoch)
    {
        _epochs?.StopTask();
        _epochs = context.AddTask(Markup.Escape(trial.Id), maxValue: totalEpochs);
        _epochs.Value = resumedFromEpoch;
    }

    public void EpochEnded(TrialSpec trial, EpochRecord record, IReadOnlyList<string> metrics)
    {
        if (_epochs is null) return;
        _epochs.Value = record.Epoch;
        var metric = metrics.Count > 0 ? $" val_{metrics[0]} {Format(record.ValMetrics.GetValueOrDefault(metrics[0], double.NaN))}" : "";
        _epochs.Description = Markup.Escape($"{trial.Id} val_loss {Format(record.ValLoss)}{metric}");
    }

    // The result is shown by Finished, which the run calls for every trial, also those of worker processes.
    public void TrialEnded(TrialSpec trial, RunManifest manifest)
    {
    }

    /// <summary>Called once for every finished trial.</summary>
    public void Finished(TrialSpec trial, RunManifest manifest)
    {
        if (manifest.StatusValue == TrialStatus.Failed) _failed++;
        _epochs?.StopTask();
        _epochs = null;
        _sweep.Increment(1);
        _sweep.Description = _failed > 0 ? $"trials [red]({_failed} failed)[/]" : "trials";
        var colour = manifest.StatusValue switch
        {
            TrialStatus.Failed => "red",
            TrialStatus.Diverged => "yellow",
            _ => "green",
        };
        var detail = manifest.StatusValue == TrialStatus.Failed ? manifest.Error ?? "" :
            string.Join("  ", manifest.TestMetrics.Select(kv => $"test_{kv.Key} {Format(kv.Value ?? double.NaN)}"));
        AnsiConsole.MarkupLine($"[{colour}]{Markup.Escape(manifest.Status)}[/] {Markup.Escape(trial.Id)}  {Markup.Escape(detail)}");
    }

    private static string Format(double v) => double.IsFinite(v) ? v.ToString("0.0000", CultureInfo.InvariantCulture) : "nan";
}
