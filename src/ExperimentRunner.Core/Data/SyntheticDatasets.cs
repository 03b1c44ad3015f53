using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Core.Data;

/// <summary>
/// The generated datasets of the catalog (spirals, moons, circles, xor, blobs, sine, friedman1).
/// Classification sets have balanced classes (sizes differ by at most one) and shuffled rows.
/// </summary>
public sealed class SyntheticDatasets : IDatasetProvider
{
    // Generation draws from its own stream so the splitter's draws for the same seed are unrelated.
    private const ulong GenerationStream = 0x6E6E_D47A_5E75_0001UL;

    private delegate void PointMaker(int label, int index, int count, double[] point);

    private readonly Func<DatasetSettings, DataRandom, DataSet> _generate;

    private SyntheticDatasets(Func<DatasetSettings, DataRandom, DataSet> generate) => _generate = generate;

    // One provider per generator; the dataset catalog names each once (DatasetCatalog).
    public static IDatasetProvider SpiralArms { get; } = new SyntheticDatasets(Spirals);
    public static IDatasetProvider HalfMoons { get; } = new SyntheticDatasets(Moons);
    public static IDatasetProvider NestedCircles { get; } = new SyntheticDatasets(Circles);
    public static IDatasetProvider XorQuadrants { get; } = new SyntheticDatasets(Xor);
    public static IDatasetProvider GaussianBlobs { get; } = new SyntheticDatasets(Blobs);
    public static IDatasetProvider SineWave { get; } = new SyntheticDatasets(Sine);
    public static IDatasetProvider FriedmanOne { get; } = new SyntheticDatasets(Friedman1);

    public DataSet Load(DatasetSettings spec, long seed, string baseDirectory) => _generate(spec, new DataRandom(seed, GenerationStream));

    /// <summary>
    /// One arm per class, as in the CS231n generator: radius 0..1 along the arm, angle growing with the
    /// radius, Gaussian noise on the angle. Arms start evenly spaced around the circle.
    /// </summary>
    private static DataSet Spirals(DatasetSettings spec, DataRandom rng)
    {
        var classes = spec.Generator!.Classes!.Value;
        var turns = spec.Generator!.Turns!.Value;
        var noise = spec.Generator!.Noise;
        return Classification(spec.Generator!.Samples, classes, 2, rng, (label, i, count, p) =>
        {
            var radius = Linspace(i, count, 0, 1);
            var theta = 2 * Math.PI * ((double)label / classes + turns * radius) + noise * rng.Gaussian();
            p[0] = radius * Math.Sin(theta);
            p[1] = radius * Math.Cos(theta);
        });
    }

    /// <summary>scikit-learn make_moons: upper half circle (class 0) and a shifted lower one (class 1).</summary>
    private static DataSet Moons(DatasetSettings spec, DataRandom rng)
    {
        var noise = spec.Generator!.Noise;
        return Classification(spec.Generator!.Samples, 2, 2, rng, (label, i, count, p) =>
        {
            var t = Linspace(i, count, 0, Math.PI);
            p[0] = label == 0 ? Math.Cos(t) : 1 - Math.Cos(t);
            p[1] = label == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            p[0] += noise * rng.Gaussian();
            p[1] += noise * rng.Gaussian();
        });
    }

    /// <summary>scikit-learn make_circles: unit circle (class 0) around a circle of radius factor (class 1).</summary>
    private static DataSet Circles(DatasetSettings spec, DataRandom rng)
    {
        var noise = spec.Generator!.Noise;
        var factor = spec.Generator!.Factor!.Value;
        return Classification(spec.Generator!.Samples, 2, 2, rng, (label, i, count, p) =>
        {
            var t = 2 * Math.PI * i / count; // endpoint excluded: 0 and 2 pi are the same point
            var radius = label == 0 ? 1.0 : factor;
            p[0] = radius * Math.Cos(t) + noise * rng.Gaussian();
            p[1] = radius * Math.Sin(t) + noise * rng.Gaussian();
        });
    }

    /// <summary>
    /// Uniform in [-1,1]^2 with label 1 where x*y &gt; 0. Each point is drawn inside its class's quadrants
    /// so the classes stay balanced; magnitudes are in (0, 1] so no point sits on an axis.
    /// </summary>
    private static DataSet Xor(DatasetSettings spec, DataRandom rng)
    {
        var noise = spec.Generator!.Noise;
        return Classification(spec.Generator!.Samples, 2, 2, rng, (label, _, _, p) =>
        {
            var x = rng.Uniform(-1, 1);
            var sign = x < 0 ? -1.0 : 1.0;
            x = sign * (1 - Math.Abs(x)); // |x| in (0, 1], same distribution
            var y = (label == 1 ? sign : -sign) * (1 - rng.NextDouble());
            p[0] = x + noise * rng.Gaussian();
            p[1] = y + noise * rng.Gaussian();
        });
    }

    /// <summary>Isotropic Gaussian clusters (std = noise) around centres uniform in [-spread, spread]^features.</summary>
    private static DataSet Blobs(DatasetSettings spec, DataRandom rng)
    {
        var classes = spec.Generator!.Classes!.Value;
        var features = spec.Generator!.Features!.Value;
        var spread = spec.Generator!.Spread!.Value;
        var noise = spec.Generator!.Noise;
        var centres = new double[classes][];
        for (var c = 0; c < classes; c++)
        {
            centres[c] = new double[features];
            for (var k = 0; k < features; k++) centres[c][k] = rng.Uniform(-spread, spread);
        }
        return Classification(spec.Generator!.Samples, classes, features, rng, (label, _, _, p) =>
        {
            for (var k = 0; k < features; k++) p[k] = centres[label][k] + noise * rng.Gaussian();
        });
    }

    /// <summary>y = sin(x) + noise, x uniform on [-pi*periods, pi*periods].</summary>
    private static DataSet Sine(DatasetSettings spec, DataRandom rng)
    {
        var periods = spec.Generator!.Periods!.Value;
        var noise = spec.Generator!.Noise;
        return Regression(spec.Generator!.Samples, 1, x =>
        {
            x[0] = rng.Uniform(-Math.PI * periods, Math.PI * periods);
            return Math.Sin(x[0]) + noise * rng.Gaussian();
        });
    }

    /// <summary>scikit-learn make_friedman1: x uniform in [0,1]^features, only the first five matter.</summary>
    private static DataSet Friedman1(DatasetSettings spec, DataRandom rng)
    {
        var features = spec.Generator!.Features!.Value;
        var noise = spec.Generator!.Noise;
        return Regression(spec.Generator!.Samples, features, x =>
        {
            for (var k = 0; k < features; k++) x[k] = rng.NextDouble();
            return 10 * Math.Sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4]
                + noise * rng.Gaussian();
        });
    }

    /// <summary>np.linspace(low, high, count)[index].</summary>
    private static double Linspace(int index, int count, double low, double high) =>
        count > 1 ? low + (high - low) * index / (count - 1) : low;

    /// <summary>Makes each class's points in turn (sizes as even as possible), then shuffles the rows.</summary>
    private static DataSet Classification(int samples, int classes, int width, DataRandom rng, PointMaker make)
    {
        var features = new float[samples * width];
        var labels = new long[samples];
        var point = new double[width];
        var row = 0;
        for (var label = 0; label < classes; label++)
        {
            var count = samples / classes + (label < samples % classes ? 1 : 0);
            for (var i = 0; i < count; i++, row++)
            {
                make(label, i, count, point);
                for (var k = 0; k < width; k++) features[row * width + k] = (float)point[k];
                labels[row] = label;
            }
        }
        var ordered = new DataSet
        {
            Features = features,
            Rows = samples,
            Shape = [width],
            Task = TaskKind.Classification,
            Classes = classes,
            Labels = labels,
            ClassNames = [.. Enumerable.Range(0, classes).Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        };
        return ordered.Take(rng.Permutation(samples));
    }

    /// <summary>Rows drawn independently, so they need no shuffle; <paramref name="make"/> fills x and returns y.</summary>
    private static DataSet Regression(int samples, int width, Func<double[], double> make)
    {
        var features = new float[samples * width];
        var values = new float[samples];
        var x = new double[width];
        for (var row = 0; row < samples; row++)
        {
            values[row] = (float)make(x);
            for (var k = 0; k < width; k++) features[row * width + k] = (float)x[k];
        }
        return new DataSet
        {
            Features = features,
            Rows = samples,
            Shape = [width],
            Task = TaskKind.Regression,
            Values = values,
            Outputs = 1,
        };
    }
}
