using System.Globalization;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Core.Text;

namespace ExperimentRunner.Cli;

/// <summary>
/// <c>validate --smoke</c>: every trial trains one epoch on at most <see cref="Rows"/> rows per split, in a
/// scratch folder that is removed afterwards, so CI learns that each config builds, trains and evaluates.
/// </summary>
public static class SmokeRun
{
    public const int Rows = 64;

    public static int Run(ExprunRuntime runtime, LoadedExperiment experiment, TextWriter output)
    {
        var scratch = Directory.CreateTempSubdirectory("exprun-smoke-").FullName;
        try
        {
            var options = new RunOptions { MaxEpochs = 1, MaxRows = Rows, Threads = 1 };
            // A tuned sweep's every setting of every cell is a tuning trial; its reported trials differ from those only by seed.
            var trials = experiment.Tuning?.Candidates.ToList() ?? experiment.Trials;
            var failed = new List<(TrialSpec Trial, RunManifest Manifest)>();
            foreach (var trial in trials)
            {
                var manifest = runtime.Runner.Run(trial, scratch, options);
                if (manifest.StatusValue == TrialStatus.Failed) failed.Add((trial, manifest));
            }
            foreach (var (trial, manifest) in failed)
                output.WriteLine($"smoke FAILED {experiment.Source} trial {trial.Index} {trial.Id}{(trial.CellKey.Length > 0 ? $" [{trial.CellKey}]" : "")}: {manifest.Error}");
            var ok = trials.Count - failed.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"smoke {(failed.Count == 0 ? "ok" : "FAILED")} {experiment.Source}: {ok}/{Counted.Of(trials.Count, experiment.Tuning is null ? "trial" : "tuning trial")} trained one epoch"));
            return failed.Count == 0 ? ExitCodes.Ok : ExitCodes.TrialFailed;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
