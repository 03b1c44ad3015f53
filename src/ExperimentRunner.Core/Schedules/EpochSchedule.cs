namespace ExperimentRunner.Core.Schedules;

/// <summary>A stateless schedule whose rate is a closed form of the 0-based epoch.</summary>
internal sealed class EpochSchedule(Func<int, double> rate) : ILrSchedule
{
    public bool PerStep => false;

    public double LearningRate(int epoch, int step) => rate(epoch);

    public void EndEpoch(int epoch, double trainLoss, double valLoss) { }

    public IReadOnlyDictionary<string, double> SaveState() => new Dictionary<string, double>();

    public void LoadState(IReadOnlyDictionary<string, double> state) { }
}
