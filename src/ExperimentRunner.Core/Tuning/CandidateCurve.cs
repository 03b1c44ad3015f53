namespace ExperimentRunner.Core.Tuning;

/// <summary>Where a tuning trial stands, as its files say.</summary>
public enum CandidateState
{
    /// <summary>Not started, or stopped at a rung: it can train on.</summary>
    Open,
    /// <summary>Trained to its own end (completed or early-stopped).</summary>
    Finished,
    /// <summary>Diverged or failed: never picked over a trial that trained.</summary>
    Broken,
    /// <summary>Stopped by the rule.</summary>
    Pruned,
}

/// <summary>
/// One tuning trial's validation curve (the tuned metric after each epoch, from its metrics.csv) and state. Scores are
/// "lower is better" whatever the metric, so the rules need not know its direction.
/// </summary>
public sealed record CandidateCurve(int Setting, IReadOnlyList<double> Values, CandidateState State, bool HigherIsBetter)
{
    public int Epochs => Values.Count;

    /// <summary>The best value up to <paramref name="epoch"/> (or NaN when there is none yet).</summary>
    public double BestValue(int epoch)
    {
        var best = double.NaN;
        foreach (var v in Values.Take(epoch))
        {
            if (double.IsNaN(v)) continue;
            if (double.IsNaN(best) || (HigherIsBetter ? v > best : v < best)) best = v;
        }
        return best;
    }

    /// <summary>Lower is better; a broken trial or one without a value scores worst.</summary>
    public double Score(int epoch)
    {
        var best = BestValue(epoch);
        if (State == CandidateState.Broken || double.IsNaN(best)) return double.PositiveInfinity;
        return HigherIsBetter ? -best : best;
    }

    /// <summary>The mean score of the epochs up to <paramref name="epoch"/> (the median rule's running average).</summary>
    public double RunningAverage(int epoch)
    {
        var values = Values.Take(epoch).ToList();
        if (State == CandidateState.Broken || values.Count == 0 || values.Any(double.IsNaN)) return double.PositiveInfinity;
        return values.Average(v => HigherIsBetter ? -v : v);
    }
}
