using System.Diagnostics;
using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli;

/// <summary>
/// The one result line per finished trial, on stdout: done/total among the trials this run trains, and for a sweep
/// failures so far and an ETA from the pace so far. A failed trial's error also goes to stderr, as its own line.
/// </summary>
public sealed class SweepProgress(TextWriter output, TextWriter error, int total)
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
        var counts = total == 1 ? $"[{_done}/{total} done]" : $"[{_done}/{total} done, {_failed} failed, ETA {eta}]";
        output.WriteLine($"{counts} {trial.Id}: {Result(manifest)}");
        output.Flush();
        if (manifest.StatusValue == TrialStatus.Failed) ErrorLine(error, trial.Id, manifest);
    }

    /// <summary>A failed trial's error on stderr, a line per problem (the stack trace, if any, stays in run.json).</summary>
    public static void ErrorLine(TextWriter error, string trialId, RunManifest manifest)
    {
        foreach (var line in TrialFailure.ErrorLines(trialId, manifest.Error)) error.WriteLine(line);
        error.Flush();
    }

    private static string Result(RunManifest m)
    {
        var ran = $"{m.Status} after {Counted.Of(m.Epochs, "epoch")}, {m.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}s";
        return m.StatusValue switch
        {
            TrialStatus.Failed => $"{ran} (error on stderr)",
            TrialStatus.Diverged => $"{ran}; loss became non-finite in epoch {m.DivergedEpoch}",
            // A tuning trial sent to a checkpoint: it waits there for the rule's decision.
            TrialStatus.Running => $"at tuning checkpoint epoch {m.Epochs}, {m.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}s",
            // A tuning trial is never scored on the test split: its validation is what counts.
            _ when m.TestLoss is null && m.TestMetrics.Count == 0 => $"{ran}; best epoch {m.BestEpoch}, best_val_loss {Num(m.BestValLoss)}",
            _ => $"{ran}; best epoch {m.BestEpoch}, {string.Join(", ", m.TestMetrics.Select(kv => $"test_{kv.Key} {Num(kv.Value)}").Prepend($"test_loss {Num(m.TestLoss)}"))}",
        };
    }

    private static string Num(double? v) => v is { } d && double.IsFinite(d) ? d.ToString("0.0000", CultureInfo.InvariantCulture) : "n/a";

    private static string Duration(double seconds) =>
        seconds < 90 ? $"{seconds:0}s" : seconds < 5400 ? $"{seconds / 60:0}m{seconds % 60:00}s" : $"{seconds / 3600:0}h{seconds % 3600 / 60:00}m";
}
