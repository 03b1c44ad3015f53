using ExperimentRunner.Core.Config.Raw;

namespace ExperimentRunner.Core.Sweeps;

public enum SweepMethod
{
    Grid,
    Zip,
    Random,
}

/// <summary>How one swept key gets its values: a list, or (random only) a distribution.</summary>
public abstract record SweepAxis(string Path)
{
    public sealed record Values(string Path, IReadOnlyList<RawNode> Items) : SweepAxis(Path);

    public sealed record Distribution(string Path, string Kind, double Min, double Max, Problems.SourceMark Mark) : SweepAxis(Path);
}

public sealed record SweepSpec(
    SweepMethod Method,
    IReadOnlyList<SweepAxis> Axes,
    IReadOnlyList<long> Seeds,
    int Samples,
    IReadOnlyList<IReadOnlyList<(string Path, RawNode Value)>> Exclude,
    bool SeedsGiven)
{
    /// <summary>Seed of the random draws (<c>sweep.sampler_seed</c>); null: the experiment's seed.</summary>
    public long? SamplerSeed { get; init; }

    /// <summary>Settings tuned in every cell before its seeds run (<c>sweep.tune</c>); null: none.</summary>
    public Tuning.TuneSpec? Tune { get; init; }

    /// <summary>Keys that vary across trials, in the order they are written (the summary's columns): the swept keys, then the tuned ones.</summary>
    public IReadOnlyList<string> Keys => [.. Axes.Select(a => a.Path), .. Tune?.Keys ?? []];

    /// <summary>The keys that make the cells (without the tuned ones).</summary>
    public IReadOnlyList<string> CellKeys => Axes.Select(a => a.Path).ToList();
}
