namespace ExperimentRunner.Torch.Training;

/// <summary>A training sink that also contributes per-trial numbers to run.json's diagnostics (and so to summary.csv).</summary>
public interface ITrialSummarySource
{
    IReadOnlyDictionary<string, double?> Diagnostics();
}
