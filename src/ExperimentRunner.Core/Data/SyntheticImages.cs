using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// The <c>shapes</c> dataset: size x size grayscale images, one shape each, drawn at a random place with a random
/// extent and brightness on a dark background, plus Gaussian pixel noise, clipped to [0, 1]. Classes, in order:
/// horizontal bar, vertical bar, diagonal, anti-diagonal, cross, square outline. Position varies, so a model has
/// to recognise the shape wherever it is (what convolutions are for). Balanced classes, shuffled rows,
/// deterministic in (settings, seed).
/// </summary>
public sealed class SyntheticImages : IDatasetProvider
{
    public static SyntheticImages Instance { get; } = new();

    private SyntheticImages()
    {
    }

    private const ulong GenerationStream = 0x5A4E_E5D1_0000_0003UL;

    public static readonly string[] ShapeNames = ["horizontal_bar", "vertical_bar", "diagonal", "anti_diagonal", "cross", "square"];

    public DataSet Load(DatasetSettings spec, long seed, string baseDirectory) =>
        Generate(spec.Generator!.Samples, spec.Generator.Classes!.Value, spec.Generator.Size!.Value, spec.Generator.Noise, seed);

    public static DataSet Generate(int samples, int classes, int size, double noise, long seed)
    {
        if (classes is < 2 or > 6) throw new ArgumentOutOfRangeException(nameof(classes), classes, "shapes has 2 to 6 classes");
        var rng = new DataRandom(seed, GenerationStream);
        var pixels = size * size;
        var features = new float[samples * pixels];
        var labels = new long[samples];
        var image = new double[pixels];
        var row = 0;
        for (var label = 0; label < classes; label++)
        {
            var count = samples / classes + (label < samples % classes ? 1 : 0);
            for (var i = 0; i < count; i++, row++)
            {
                Array.Clear(image);
                Draw(label, size, rng, image);
                for (var p = 0; p < pixels; p++)
                    features[row * pixels + p] = (float)Math.Clamp(image[p] + noise * rng.Gaussian(), 0, 1);
                labels[row] = label;
            }
        }
        var ordered = new DataSet
        {
            Features = features,
            Rows = samples,
            Shape = [1, size, size],
            Task = TaskKind.Classification,
            Classes = classes,
            Labels = labels,
            ClassNames = ShapeNames[..classes],
        };
        return ordered.Take(rng.Permutation(samples));
    }

    private static int Between(DataRandom rng, int low, int high) => low + (int)Math.Floor(rng.NextDouble() * (high - low + 1));

    private static void Draw(int shape, int size, DataRandom rng, double[] image)
    {
        var ink = rng.Uniform(0.6, 1.0);
        void Set(int r, int c)
        {
            if (r >= 0 && r < size && c >= 0 && c < size) image[r * size + c] = ink;
        }
        var margin = 1;
        var length = Between(rng, size / 2, size - 2 * margin);
        switch (shape)
        {
            case 0 or 1:
            {
                // A bar one or two pixels thick.
                var thick = Between(rng, 1, 2);
                var across = Between(rng, margin, size - margin - thick);
                var along = Between(rng, margin, size - margin - length);
                for (var t = 0; t < thick; t++)
                {
                    for (var k = 0; k < length; k++)
                    {
                        if (shape == 0) Set(across + t, along + k);
                        else Set(along + k, across + t);
                    }
                }
                break;
            }
            case 2 or 3:
            {
                var r0 = Between(rng, margin, size - margin - length);
                var c0 = Between(rng, margin, size - margin - length);
                for (var k = 0; k < length; k++)
                {
                    if (shape == 2) Set(r0 + k, c0 + k);
                    else Set(r0 + k, c0 + length - 1 - k);
                }
                break;
            }
            case 4:
            {
                var arm = Between(rng, Math.Max(2, size / 6), Math.Max(2, size / 3));
                var r = Between(rng, margin + arm, size - 1 - margin - arm);
                var c = Between(rng, margin + arm, size - 1 - margin - arm);
                for (var k = -arm; k <= arm; k++)
                {
                    Set(r + k, c);
                    Set(r, c + k);
                }
                break;
            }
            default:
            {
                var side = Between(rng, Math.Max(3, size / 4), Math.Max(3, size / 2));
                var r0 = Between(rng, margin, size - margin - side);
                var c0 = Between(rng, margin, size - margin - side);
                for (var k = 0; k < side; k++)
                {
                    Set(r0, c0 + k);
                    Set(r0 + side - 1, c0 + k);
                    Set(r0 + k, c0);
                    Set(r0 + k, c0 + side - 1);
                }
                break;
            }
        }
    }

    /// <summary>An image as text rows (# for bright pixels), for looking at samples in tests and docs.</summary>
    public static string Render(DataSet set, int row)
    {
        var size = set.Shape[^1];
        var pixels = size * size;
        var lines = Enumerable.Range(0, size).Select(r => string.Concat(Enumerable.Range(0, size).Select(c => set.Features.Span[row * pixels + r * size + c] > 0.5f ? '#' : '.')));
        return string.Join('\n', lines) + $"  {set.ClassNames?[(int)set.Labels![row]] ?? set.Labels![row].ToString(CultureInfo.InvariantCulture)}";
    }
}
