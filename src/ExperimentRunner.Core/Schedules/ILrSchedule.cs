namespace ExperimentRunner.Core.Schedules;

/// <summary>
/// The learning rate as a function of progress. Pure and deterministic, with its little state
/// (reduce_on_plateau) exposed so a resumed run continues exactly where it stopped.
/// </summary>
public interface ILrSchedule
{
    /// <summary>True when the rate changes every batch (onecycle), false when once per epoch.</summary>
    bool PerStep { get; }

    /// <summary>Rate for batch <paramref name="step"/> (0-based) of epoch <paramref name="epoch"/> (0-based).</summary>
    double LearningRate(int epoch, int step);

    /// <summary>Called after each epoch with its losses (drives reduce_on_plateau).</summary>
    void EndEpoch(int epoch, double trainLoss, double valLoss);

    /// <summary>State to save in a checkpoint; empty for stateless schedules.</summary>
    IReadOnlyDictionary<string, double> SaveState();

    void LoadState(IReadOnlyDictionary<string, double> state);
}
