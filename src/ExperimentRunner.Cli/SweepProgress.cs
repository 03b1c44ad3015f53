using System.Diagnostics;
using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli;

/// <summary>Overall progress of a sweep: done/total, failures and an ETA from the pace so far.</summary>
public sealed class SweepProgress(TextWriter output, int total)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _done;
    private int _failed;

    public int Failed => _failed;

    public void Finished(TrialSpec trial, RunManifest manifest)
    {
        _done++;
        if (manifest.StatusValue == TrialStatus.Failed) _failed++;
        var remaining = total - _done;
        var eta = remaining == 0 ? "0s" : Duration(_clock.Elapsed.TotalSeconds / _done * remaining);
        var result = manifest.StatusValue switch
        {
            TrialStatus.Failed => $"failed: {manifest.Error}",
            TrialStatus.Diverged => $"diverged in epoch {manifest.DivergedEpoch}",
            _ => $"{manifest.Status}, {string.Join(", ", manifest.TestMetrics.Select(kv => $"test_{kv.Key} {Num(kv.Value)}").Prepend($"test_loss {Num(manifest.TestLoss)}"))}",
        };
        output.WriteLine($"[{_done}/{total} done, {_failed} failed, ETA {eta}] {trial.Id}: {result}");
        output.Flush();
    }

    private static string Num(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static string Duration(double seconds) =>
        seconds < 90 ? $"{seconds:0}s" : seconds < 5400 ? $"{seconds / 60:0}m{seconds % 60:00}s" : $"{seconds / 3600:0}h{seconds % 3600 / 60:00}m";
}
