using ExperimentRunner.Core.Sweeps;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// Uniform, Gaussian and shuffle draws on top of <see cref="SplitMix64"/>, so generated data and splits
/// are bit-identical on every machine and .NET version (System.Random promises neither).
/// </summary>
internal sealed class DataRandom
{
    private readonly SplitMix64 _bits;
    private double? _spareGaussian;

    /// <param name="stream">Separates uses of one seed (generation, splitting) so they do not share draws.</param>
    public DataRandom(long seed, ulong stream) => _bits = new SplitMix64((ulong)seed ^ stream);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _bits.NextDouble();

    public double Uniform(double low, double high) => low + (high - low) * _bits.NextDouble();

    /// <summary>Standard normal by Box-Muller; the second value of each pair is kept for the next call.</summary>
    public double Gaussian()
    {
        if (_spareGaussian is { } spare)
        {
            _spareGaussian = null;
            return spare;
        }
        var u1 = 1.0 - _bits.NextDouble(); // (0, 1]: keeps Log finite
        var u2 = _bits.NextDouble();
        var radius = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareGaussian = radius * Math.Sin(2.0 * Math.PI * u2);
        return radius * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Fisher-Yates in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = (int)_bits.NextLong(0, i);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    public int[] Permutation(int count)
    {
        var order = Enumerable.Range(0, count).ToArray();
        Shuffle(order);
        return order;
    }
}
