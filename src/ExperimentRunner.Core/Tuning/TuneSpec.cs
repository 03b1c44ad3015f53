using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Tuning;

public enum StoppingRule
{
    /// <summary>Every setting trains in full: the exhaustive per-cell search.</summary>
    None,
    /// <summary>Successive halving (ASHA's rule, rungs decided once their members are in): keep the best 1/eta at each rung.</summary>
    Asha,
    /// <summary>Google Vizier's median rule: stop a trial whose best is worse than the median of the running averages.</summary>
    Median,
}

/// <summary>How hopeless tuning trials are stopped early.</summary>
/// <param name="ReductionFactor">asha: keep the best 1/eta of each rung.</param>
/// <param name="MinEpochs">The first rung (asha) or the first check (median); null: the rule's default for the trial's epochs.</param>
/// <param name="Interval">median: epochs between checks; null: the same as the first.</param>
/// <param name="MaxEpochs">The most epochs a tuning trial trains (the last rung); null: training.epochs, as the reported trials.</param>
public sealed record StoppingSpec(StoppingRule Rule, int ReductionFactor = 3, int? MinEpochs = null, int? Interval = null, int? MaxEpochs = null)
{
    public static StoppingSpec Default { get; } = new(StoppingRule.Asha);

    /// <summary>The epochs at which the rule decides which trials go on, for trials of <paramref name="maxEpochs"/> epochs (all below it).</summary>
    public IReadOnlyList<int> Checkpoints(int maxEpochs)
    {
        var first = MinEpochs ?? DefaultMinEpochs(maxEpochs);
        var epochs = new List<int>();
        switch (Rule)
        {
            case StoppingRule.Asha:
                for (long e = first; e < maxEpochs; e *= ReductionFactor) epochs.Add((int)e);
                break;
            case StoppingRule.Median:
                for (long e = first; e < maxEpochs; e += Interval ?? first) epochs.Add((int)e);
                break;
        }
        return epochs;
    }

    /// <summary>
    /// The first rung when none is given: trials of R epochs get rungs R/eta^2, R/eta and R (three rounds of
    /// halving, the usual ASHA setup); the median rule first looks at the same epoch.
    /// </summary>
    public int DefaultMinEpochs(int maxEpochs) => Math.Max(1, maxEpochs / (ReductionFactor * ReductionFactor));
}

/// <summary>
/// <c>sweep.tune</c>: settings tried in every cell of the sweep before its seeds run. Every cell tries the same
/// <see cref="Budget"/> settings at the tuning seed; the one with the best validation <see cref="Metric"/> is what the
/// cell's seeds then run with.
/// </summary>
/// <param name="Axes">Tuned keys and their values (lists or distributions).</param>
/// <param name="Budget">Settings tried per cell.</param>
/// <param name="Metric">val_loss, or val_&lt;metric&gt;: what picks the setting (never a test metric).</param>
/// <param name="Seed">The seed tuning trials run at (kept apart from the reported seeds).</param>
/// <param name="SamplerSeed">Seed of the draws of settings; null: the experiment's seed.</param>
public sealed record TuneSpec(IReadOnlyList<SweepAxis> Axes, int Budget, string Metric, long Seed, long? SamplerSeed, StoppingSpec Stopping)
{
    public IReadOnlyList<string> Keys => Axes.Select(a => a.Path).ToList();

    public const string DefaultMetric = "val_loss";
}
