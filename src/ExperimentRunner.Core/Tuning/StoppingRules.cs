namespace ExperimentRunner.Core.Tuning;

/// <summary>Which trials go on past a checkpoint epoch, given every live trial's curve up to it.</summary>
public interface IStoppingRule
{
    IReadOnlySet<int> Survivors(int epoch, IReadOnlyList<CandidateCurve> alive);
}

/// <summary>
/// Successive halving (the promotion rule of ASHA, Li et al., MLSys 2020), decided once a rung's members are all in:
/// the best 1/eta by score up to the rung go on. Ties go to the earlier setting, so a decision never depends on the
/// order results arrived in.
/// </summary>
public sealed class AshaRule(int reductionFactor) : IStoppingRule
{
    public static long Kept(long count, int reductionFactor) => Math.Max(1, count / reductionFactor);

    public IReadOnlySet<int> Survivors(int epoch, IReadOnlyList<CandidateCurve> alive) =>
        alive.OrderBy(c => c.Score(epoch)).ThenBy(c => c.Setting)
            .Take((int)Kept(alive.Count, reductionFactor)).Select(c => c.Setting).ToHashSet();
}

/// <summary>
/// The median stopping rule of Google Vizier (Golovin et al., KDD 2017): a trial stops when its best score so far is
/// strictly worse than the median of the other trials' running averages at the same epoch.
/// </summary>
public sealed class MedianRule : IStoppingRule
{
    public IReadOnlySet<int> Survivors(int epoch, IReadOnlyList<CandidateCurve> alive)
    {
        var kept = new HashSet<int>();
        foreach (var trial in alive)
        {
            var others = alive.Where(o => o.Setting != trial.Setting).Select(o => o.RunningAverage(epoch)).Order().ToList();
            if (others.Count == 0 || !(trial.Score(epoch) > Median(others))) kept.Add(trial.Setting);
        }
        return kept;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>Every setting trains in full: the exhaustive search.</summary>
public sealed class NoStopping : IStoppingRule
{
    public IReadOnlySet<int> Survivors(int epoch, IReadOnlyList<CandidateCurve> alive) => alive.Select(c => c.Setting).ToHashSet();
}

public static class StoppingRules
{
    public static IStoppingRule For(StoppingSpec spec) => spec.Rule switch
    {
        StoppingRule.Asha => new AshaRule(spec.ReductionFactor),
        StoppingRule.Median => new MedianRule(),
        _ => new NoStopping(),
    };
}
