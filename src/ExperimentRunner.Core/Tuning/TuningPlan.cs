using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Core.Tuning;

/// <summary>
/// One cell of a tuned sweep (e.g. loss=nll, activation=tanh): every setting tried once at the tuning seed
/// (<see cref="Candidates"/>, by setting), and the cell's reported trials for each setting it could pick
/// (<see cref="Finals"/>[setting][seed]); only the picked setting's finals ever run.
/// </summary>
public sealed record TuningCell(int Index, IReadOnlyList<SweptValue> Values, IReadOnlyList<TrialSpec> Candidates, IReadOnlyList<IReadOnlyList<TrialSpec>> Finals)
{
    /// <summary>How the cell reads in messages and in choices.csv: its swept values, or "all" for a sweep of seeds only.</summary>
    public string Label => Values.Count == 0 ? "all" : string.Join(", ", Values.Select(v => $"{v.Key}={v.Display}"));

    /// <summary>Epochs a candidate trains at most (training.epochs, or stopping.max_epochs).</summary>
    public int MaxEpochs => Candidates[0].Spec.Training.Epochs;
}

/// <summary>
/// <c>sweep.tune</c> made concrete: the settings every cell tries (the same ones, drawn once), and per cell the trials
/// that try them and the trials that report the winner. Built and bound by the loader, so validate checks every one.
/// </summary>
public sealed record TuningPlan(TuneSpec Spec, IReadOnlyList<IReadOnlyList<SweptValue>> Settings, IReadOnlyList<TuningCell> Cells)
{
    /// <summary>The folder level of the tuning trials: results/&lt;name&gt;/tuning/trials/&lt;id&gt;.</summary>
    public const string FolderName = "tuning";

    /// <summary>Whether the tuned metric (val_accuracy, ...) is better higher; val_loss is better lower.</summary>
    public bool HigherIsBetter { get; init; }

    /// <summary>The cell a tuning trial belongs to and the setting it tries.</summary>
    public (TuningCell Cell, int Setting)? Locate(string candidateId)
    {
        foreach (var cell in Cells)
        {
            for (var s = 0; s < cell.Candidates.Count; s++)
                if (cell.Candidates[s].Id == candidateId) return (cell, s);
        }
        return null;
    }

    public IEnumerable<TrialSpec> Candidates => Cells.SelectMany(c => c.Candidates);

    /// <summary>Reported trials per cell: one per seed, at the chosen setting.</summary>
    public int SeedsPerCell => Cells[0].Finals[0].Count;

    /// <summary>Epochs every setting of a cell would take in full: the exhaustive search.</summary>
    public static long ExhaustiveEpochs(TuningCell cell) => (long)cell.Candidates.Count * cell.MaxEpochs;

    /// <summary>
    /// The most epochs the rule can spend on a cell: asha's rungs keep a known number of trials (fewer only when some
    /// stop or diverge on their own); the median rule may stop none, so its bound is the exhaustive one.
    /// </summary>
    public long MaxEpochs(TuningCell cell)
    {
        if (Spec.Stopping.Rule != StoppingRule.Asha) return ExhaustiveEpochs(cell);
        long total = 0, alive = cell.Candidates.Count, done = 0;
        foreach (var rung in Spec.Stopping.Checkpoints(cell.MaxEpochs))
        {
            total += alive * (rung - done);
            done = rung;
            alive = AshaRule.Kept(alive, Spec.Stopping.ReductionFactor);
        }
        return total + alive * (cell.MaxEpochs - done);
    }
}
