using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// Train / validation / test split. Classification is stratified: each class is divided by the fractions
/// on its own, so a rare class still reaches every split. Deterministic in (data, fractions, seed).
/// </summary>
public static class Splitter
{
    // Its own stream: a dataset generated and split with the same seed must not reuse the generator's draws.
    private const ulong SplitStream = 0x5B17_7E25_0000_0002UL;

    /// <param name="fractions">Train, validation and test fractions; non-negative, summing to 1.</param>
    public static DataSplits Split(DataSet data, IReadOnlyList<double> fractions, long seed)
    {
        if (fractions.Count != 3)
            throw new ArgumentException($"split fractions must be three non-negative numbers summing to 1 (train, validation, test), got [{string.Join(", ", fractions)}]", nameof(fractions));
        var parts = Parts(data, fractions, seed);
        return new DataSplits(parts[0], parts[1], parts[2]);
    }

    /// <summary>
    /// One to three parts of <paramref name="data"/> by the given fractions (the splits of one file when others come
    /// from files of their own); three fractions give exactly what <see cref="Split"/> gives.
    /// </summary>
    public static IReadOnlyList<DataSet> Parts(DataSet data, IReadOnlyList<double> fractions, long seed) =>
        PartRows(data, fractions, seed).Select(p => data.Take(p)).ToList();

    /// <summary>
    /// The parts <see cref="Parts"/> gives, made by reordering the rows of <paramref name="data"/> in place so each part
    /// is a slice of its array: no second copy of the examples (an MNIST-sized file is hundreds of megabytes). The
    /// caller hands over <paramref name="data"/> and must not use it afterwards.
    /// </summary>
    public static IReadOnlyList<DataSet> PartsInPlace(DataSet data, IReadOnlyList<double> fractions, long seed)
    {
        var parts = PartRows(data, fractions, seed);
        var order = parts.SelectMany(p => p).ToArray();
        var width = data.FeatureCount;
        PermuteRows(data.Features.Span, width, order);
        var labels = data.Labels is { } l ? order.Select(i => l[i]).ToArray() : null;
        var values = data.Values is { } v ? order.SelectMany(i => v.AsSpan(i * data.Outputs, data.Outputs).ToArray()).ToArray() : null;
        var result = new List<DataSet>();
        var start = 0;
        foreach (var part in parts)
        {
            result.Add(data with
            {
                Features = data.Features.Slice(start * width, part.Count * width),
                Rows = part.Count,
                Labels = labels?[start..(start + part.Count)],
                Values = values?[(start * data.Outputs)..((start + part.Count) * data.Outputs)],
            });
            start += part.Count;
        }
        return result;
    }

    /// <summary>Row i becomes the old row order[i], one cycle of the permutation at a time, with one row of scratch.</summary>
    private static void PermuteRows(Span<float> features, int width, int[] order)
    {
        var placed = new bool[order.Length];
        var scratch = new float[width];
        for (var first = 0; first < order.Length; first++)
        {
            if (placed[first] || order[first] == first)
            {
                placed[first] = true;
                continue;
            }
            features.Slice(first * width, width).CopyTo(scratch);
            var row = first;
            while (true)
            {
                placed[row] = true;
                var from = order[row];
                if (from == first)
                {
                    scratch.CopyTo(features.Slice(row * width, width));
                    break;
                }
                features.Slice(from * width, width).CopyTo(features.Slice(row * width, width));
                row = from;
            }
        }
    }

    private static List<int>[] PartRows(DataSet data, IReadOnlyList<double> fractions, long seed)
    {
        CheckFractions(fractions);
        var rng = new DataRandom(seed, SplitStream);
        var parts = fractions.Select(_ => new List<int>()).ToArray();
        if (data.Task == TaskKind.Classification && data.Labels is { } labels)
        {
            foreach (var group in Enumerable.Range(0, data.Rows).GroupBy(i => labels[i]).OrderBy(g => g.Key))
                Deal(group.ToList(), fractions, rng, parts);
            // Rows were dealt class by class; shuffle so no split is ordered by label.
            foreach (var part in parts) rng.Shuffle(part);
        }
        else
        {
            Deal([.. Enumerable.Range(0, data.Rows)], fractions, rng, parts);
        }
        return parts;
    }

    /// <summary>
    /// Split sizes for <paramref name="n"/> rows: largest remainder, so they add up to n exactly; with
    /// n &gt;= 3 every split whose fraction is positive gets at least one row, taken from the largest.
    /// </summary>
    internal static int[] Counts(int n, IReadOnlyList<double> fractions)
    {
        var total = fractions.Sum();
        var exact = fractions.Select(f => n * f / total).ToArray();
        // The epsilon keeps 0.7 * 10 = 6.9999999999999996 from flooring to 6.
        var counts = exact.Select(e => (int)Math.Floor(e + 1e-9)).ToArray();
        var byRemainder = Enumerable.Range(0, counts.Length).OrderByDescending(i => exact[i] - counts[i]).ThenBy(i => i).ToList();
        for (var k = 0; counts.Sum() < n; k++) counts[byRemainder[k % counts.Length]]++;
        if (n >= 3)
        {
            for (var s = 0; s < counts.Length; s++)
            {
                if (fractions[s] <= 0 || counts[s] > 0) continue;
                var donor = Array.IndexOf(counts, counts.Max());
                counts[donor]--;
                counts[s]++;
            }
        }
        return counts;
    }

    private static void Deal(List<int> rows, IReadOnlyList<double> fractions, DataRandom rng, List<int>[] parts)
    {
        rng.Shuffle(rows);
        var counts = Counts(rows.Count, fractions);
        var start = 0;
        for (var s = 0; s < parts.Length; s++)
        {
            parts[s].AddRange(rows.GetRange(start, counts[s]));
            start += counts[s];
        }
    }

    private static void CheckFractions(IReadOnlyList<double> fractions)
    {
        if (fractions.Count is < 1 or > 3 || fractions.Any(f => !(f >= 0)) || Math.Abs(fractions.Sum() - 1) > 1e-6)
            throw new ArgumentException($"split fractions must be one to three non-negative numbers summing to 1 (train, validation, test), got [{string.Join(", ", fractions)}]", nameof(fractions));
    }
}
