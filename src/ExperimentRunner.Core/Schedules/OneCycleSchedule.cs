namespace ExperimentRunner.Core.Schedules;

/// <summary>
/// PyTorch OneCycleLR (three_phase=False): from max_lr/div_factor up to max_lr over the first
/// pct_start of the steps, then down to initial/final_div_factor. The phase ends are PyTorch's
/// (pct_start * total - 1 and total - 1) so rates match it step for step.
/// </summary>
internal sealed class OneCycleSchedule : ILrSchedule
{
    private readonly double _initial, _peak, _final, _warmupEnd;
    private readonly int _totalSteps, _stepsPerEpoch;
    private readonly bool _cosine;

    public OneCycleSchedule(double maxLr, double pctStart, bool cosine, double divFactor, double finalDivFactor, int epochs, int stepsPerEpoch)
    {
        _peak = maxLr;
        _initial = maxLr / divFactor;
        _final = _initial / finalDivFactor;
        _stepsPerEpoch = Math.Max(1, stepsPerEpoch);
        _totalSteps = Math.Max(1, epochs * _stepsPerEpoch);
        _warmupEnd = pctStart * _totalSteps - 1;
        _cosine = cosine;
    }

    public bool PerStep => true;

    public double LearningRate(int epoch, int step)
    {
        // Past the planned total (a longer resumed run) the rate stays at its final value instead of
        // climbing back up the cosine.
        var t = Math.Min(epoch * _stepsPerEpoch + step, _totalSteps - 1);
        if (t <= _warmupEnd)
            return Anneal(_initial, _peak, Progress(t, 0, _warmupEnd));
        return Anneal(_peak, _final, Progress(t, _warmupEnd, _totalSteps - 1));
    }

    // A zero-length phase (PyTorch divides by zero there) is treated as already finished.
    private static double Progress(double t, double start, double end) => end > start ? (t - start) / (end - start) : 1.0;

    private double Anneal(double from, double to, double pct) =>
        _cosine ? to + (from - to) / 2 * (1 + Math.Cos(Math.PI * pct)) : from + (to - from) * pct;

    public void EndEpoch(int epoch, double trainLoss, double valLoss) { }

    public IReadOnlyDictionary<string, double> SaveState() => new Dictionary<string, double>();

    public void LoadState(IReadOnlyDictionary<string, double> state) { }
}
