namespace ExperimentRunner.Core.Schedules;

/// <summary>
/// PyTorch ReduceLROnPlateau in mode min with a relative threshold (no cooldown): a value counts as
/// better when it is below best * (1 - threshold); after more than patience bad epochs in a row the
/// rate is multiplied by factor, never below min_lr. Its state is what a resumed run needs.
/// </summary>
internal sealed class PlateauSchedule(double baseLr, bool monitorValidation, double factor, int patience, double threshold, double minLr) : ILrSchedule
{
    // PyTorch skips reductions smaller than this so the rate stops moving once it reaches min_lr.
    private const double Epsilon = 1e-8;
    private const string BestKey = "best", BadEpochsKey = "bad_epochs", RateKey = "lr";

    private double _best = double.PositiveInfinity;
    private int _badEpochs;
    private double _rate = baseLr;

    public bool PerStep => false;

    public double LearningRate(int epoch, int step) => _rate;

    public void EndEpoch(int epoch, double trainLoss, double valLoss)
    {
        var current = monitorValidation ? valLoss : trainLoss;
        if (current < _best * (1 - threshold))
        {
            _best = current;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }
        if (_badEpochs <= patience) return;
        var reduced = Math.Max(_rate * factor, minLr);
        if (_rate - reduced > Epsilon) _rate = reduced;
        _badEpochs = 0;
    }

    public IReadOnlyDictionary<string, double> SaveState() =>
        new Dictionary<string, double> { [BestKey] = _best, [BadEpochsKey] = _badEpochs, [RateKey] = _rate };

    public void LoadState(IReadOnlyDictionary<string, double> state)
    {
        _best = Read(state, BestKey);
        _badEpochs = checked((int)Read(state, BadEpochsKey));
        _rate = Read(state, RateKey);
    }

    private static double Read(IReadOnlyDictionary<string, double> state, string key) =>
        state.TryGetValue(key, out var value)
            ? value
            : throw new ArgumentException($"reduce_on_plateau state lacks '{key}' (has: {string.Join(", ", state.Keys)})", nameof(state));
}
