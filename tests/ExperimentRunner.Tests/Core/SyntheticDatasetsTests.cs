using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;

namespace ExperimentRunner.Tests.Core;

public class SyntheticDatasetsTests
{
    private static IEnumerable<string> Generated =>
        Catalogs.Default.Datasets.Entries.Where(e => e.Provider is SyntheticDatasets).Select(e => e.Name);

    public static TheoryData<string> Names => [.. Generated];

    private static DataSet Load(string name, long seed = 1, params (string, object?)[] overrides) =>
        Catalogs.Default.Datasets.Get(name).Provider.Load(CatalogComponents.Dataset(name, overrides), seed, ".");

    [Fact]
    public void Names_are_the_generated_catalog_datasets()
    {
        Assert.Equal(["blobs", "circles", "friedman1", "moons", "sine", "spirals", "xor"], Generated.Order());
    }

    [Theory, MemberData(nameof(Names))]
    public void Same_seed_gives_identical_data_and_another_seed_differs(string name)
    {
        var a = Load(name, seed: 42);
        var b = Load(name, seed: 42);
        var c = Load(name, seed: 43);
        Assert.Equal(a.Features.ToArray(), b.Features.ToArray());
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(a.Values, b.Values);
        Assert.NotEqual(a.Features.ToArray(), c.Features.ToArray());
    }

    [Theory, MemberData(nameof(Names))]
    public void Shape_and_task_follow_the_catalog(string name)
    {
        var entry = Catalogs.Default.Datasets.Get(name);
        var data = Load(name, 3, ("samples", 101L));
        Assert.Equal(101, data.Rows);
        Assert.Equal(entry.Task, data.Task);
        Assert.Equal(data.Rows * data.FeatureCount, data.Features.Length);
        Assert.All(data.Features.ToArray(), f => Assert.True(float.IsFinite(f)));
        if (data.Task == TaskKind.Classification)
        {
            Assert.Equal(entry.FixedClasses ?? 3, data.Classes);
            Assert.Equal(101, data.Labels!.Length);
            Assert.Null(data.Values);
            Assert.Equal(Enumerable.Range(0, data.Classes).Select(c => c.ToString()), data.ClassNames);
        }
        else
        {
            Assert.Equal(1, data.Outputs);
            Assert.Equal(101, data.Values!.Length);
            Assert.Null(data.Labels);
        }
    }

    [Theory]
    [InlineData("spirals", 100, 3, new[] { 34, 33, 33 })]
    [InlineData("blobs", 10, 4, new[] { 3, 3, 2, 2 })]
    [InlineData("moons", 101, 2, new[] { 51, 50 })]
    [InlineData("circles", 100, 2, new[] { 50, 50 })]
    [InlineData("xor", 9, 2, new[] { 5, 4 })]
    public void Classes_are_balanced_and_rows_shuffled(string name, long samples, long classes, int[] expected)
    {
        var data = name is "spirals" or "blobs"
            ? Load(name, 5, ("samples", samples), ("classes", classes))
            : Load(name, 5, ("samples", samples));
        var counts = Enumerable.Range(0, (int)classes).Select(c => data.Labels!.Count(l => l == c));
        Assert.Equal(expected, counts);
        // Generated class by class; a shuffled set is not sorted by label.
        Assert.False(data.Labels!.SequenceEqual(data.Labels!.Order()));
    }

    [Fact]
    public void Shapes_of_feature_configurable_sets()
    {
        Assert.Equal([2], Load("spirals").Shape);
        Assert.Equal([7], Load("blobs", 1, ("features", 7L)).Shape);
        Assert.Equal([1], Load("sine").Shape);
        Assert.Equal([10], Load("friedman1").Shape);
        Assert.Equal([12], Load("friedman1", 1, ("features", 12L)).Shape);
    }

    [Fact]
    public void Noiseless_spiral_points_lie_on_their_arm()
    {
        var data = Load("spirals", 2, ("noise", 0.0), ("classes", 4L), ("turns", 1.5));
        for (var i = 0; i < data.Rows; i++)
        {
            double x = data.Features.Span[2 * i], y = data.Features.Span[2 * i + 1];
            var r = Math.Sqrt(x * x + y * y);
            Assert.InRange(r, 0, 1 + 1e-6);
            if (r < 0.05) continue; // the angle of a point near the centre is not resolved in float
            // x = r sin(theta), y = r cos(theta) with theta = 2 pi (label / classes + turns * r)
            var expected = 2 * Math.PI * (data.Labels![i] / 4.0 + 1.5 * r);
            var gap = Math.IEEERemainder(Math.Atan2(x, y) - expected, 2 * Math.PI);
            Assert.True(Math.Abs(gap) < 1e-4, $"row {i}: angle off by {gap}");
        }
    }

    [Fact]
    public void Spiral_noise_scales_the_angle_spread()
    {
        // CS231n: noise is a standard deviation in radians on the angle, so noisy points stay within the unit disc.
        var data = Load("spirals", 2, ("noise", 0.5));
        for (var i = 0; i < data.Rows; i++)
            Assert.InRange(Math.Sqrt(data.Features.Span[2 * i] * data.Features.Span[2 * i] + data.Features.Span[2 * i + 1] * data.Features.Span[2 * i + 1]), 0, 1 + 1e-6);
        Assert.NotEqual(Load("spirals", 2, ("noise", 0.0)).Features.ToArray(), data.Features.ToArray());
    }

    [Fact]
    public void Noiseless_moons_are_two_half_circles()
    {
        var data = Load("moons", 4, ("noise", 0.0));
        for (var i = 0; i < data.Rows; i++)
        {
            double x = data.Features.Span[2 * i], y = data.Features.Span[2 * i + 1];
            if (data.Labels![i] == 0)
            {
                // upper half of the unit circle around (0, 0)
                Assert.Equal(1.0, x * x + y * y, 1e-5);
                Assert.True(y >= -1e-6);
            }
            else
            {
                // lower half of the unit circle around (1, 0.5)
                Assert.Equal(1.0, (x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 1e-5);
                Assert.True(y <= 0.5 + 1e-6);
            }
        }
    }

    [Fact]
    public void Noiseless_circles_have_radius_one_and_factor()
    {
        var data = Load("circles", 4, ("noise", 0.0), ("factor", 0.3));
        for (var i = 0; i < data.Rows; i++)
        {
            var r = Math.Sqrt(data.Features.Span[2 * i] * data.Features.Span[2 * i] + data.Features.Span[2 * i + 1] * data.Features.Span[2 * i + 1]);
            Assert.Equal(data.Labels![i] == 0 ? 1.0 : 0.3, r, 1e-6);
        }
    }

    [Fact]
    public void Noiseless_xor_labels_are_the_sign_of_the_product()
    {
        var data = Load("xor", 4, ("noise", 0.0));
        for (var i = 0; i < data.Rows; i++)
        {
            double x = data.Features.Span[2 * i], y = data.Features.Span[2 * i + 1];
            Assert.InRange(x, -1, 1);
            Assert.InRange(y, -1, 1);
            Assert.Equal(x * y > 0 ? 1L : 0L, data.Labels![i]);
        }
        // points fill all four quadrants
        Assert.Equal(4, Enumerable.Range(0, data.Rows).Select(i => (data.Features.Span[2 * i] > 0, data.Features.Span[2 * i + 1] > 0)).Distinct().Count());
    }

    [Fact]
    public void Noiseless_blobs_sit_on_centres_inside_the_box()
    {
        var data = Load("blobs", 4, ("noise", 0.0), ("features", 3L), ("spread", 2.0));
        for (var c = 0; c < data.Classes; c++)
        {
            var rows = Enumerable.Range(0, data.Rows).Where(i => data.Labels![i] == c).ToList();
            var centre = data.Features.Span.Slice(rows[0] * 3, 3).ToArray();
            Assert.All(centre, v => Assert.InRange(v, -2f, 2f));
            Assert.All(rows, i => Assert.Equal(centre, data.Features.Span.Slice(i * 3, 3).ToArray()));
        }
    }

    [Fact]
    public void Blob_noise_is_the_standard_deviation_around_the_centre()
    {
        var noisy = Load("blobs", 9, ("samples", 30000L), ("classes", 2L), ("noise", 0.7), ("features", 1L));
        var centres = Load("blobs", 9, ("samples", 30000L), ("classes", 2L), ("noise", 0.0), ("features", 1L));
        var deviations = Enumerable.Range(0, noisy.Rows).Select(i => (double)noisy.Features.Span[i] - centres.Features.Span[i]).ToList();
        Assert.Equal(0.0, deviations.Average(), 0.02);
        Assert.Equal(0.7, Math.Sqrt(deviations.Average(d => d * d)), 0.02);
    }

    [Fact]
    public void Sine_is_sin_of_x_over_the_requested_periods_plus_gaussian_noise()
    {
        var clean = Load("sine", 6, ("noise", 0.0), ("periods", 2.0));
        for (var i = 0; i < clean.Rows; i++)
        {
            Assert.InRange(clean.Features.Span[i], -2 * Math.PI, 2 * Math.PI);
            Assert.Equal(Math.Sin(clean.Features.Span[i]), clean.Values![i], 1e-6);
        }
        Assert.True(clean.Features.ToArray().Min() < -5.5 && clean.Features.ToArray().Max() > 5.5, "x should span about [-2 pi, 2 pi]");

        var noisy = Load("sine", 6, ("samples", 20000L), ("noise", 0.5));
        var residuals = Enumerable.Range(0, noisy.Rows).Select(i => noisy.Values![i] - Math.Sin(noisy.Features.Span[i])).ToList();
        Assert.Equal(0.0, residuals.Average(), 0.02);
        Assert.Equal(0.5, Math.Sqrt(residuals.Average(r => r * r)), 0.02);
    }

    [Fact]
    public void Friedman1_follows_its_formula()
    {
        var data = Load("friedman1", 6, ("noise", 0.0), ("features", 6L));
        Assert.All(data.Features.ToArray(), v => Assert.InRange(v, 0f, 1f));
        for (var i = 0; i < data.Rows; i++)
        {
            var x = data.Features.Span.Slice(i * 6, 6).ToArray().Select(v => (double)v).ToArray();
            var y = 10 * Math.Sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) * (x[2] - 0.5) + 10 * x[3] + 5 * x[4];
            Assert.Equal(y, data.Values![i], 1e-4);
        }
    }
}
