namespace ExperimentRunner.Core.Sweeps;

/// <summary>
/// A tiny, fully specified generator for sweep sampling: the same file must give the same trials on every
/// machine and .NET version, which System.Random does not promise.
/// </summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    public long NextLong(long minInclusive, long maxInclusive) =>
        minInclusive + (long)(Next() % (ulong)(maxInclusive - minInclusive + 1));
}
