using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Data;

public sealed class SyntheticImagesTests
{
    private static DataSet Shapes(string settings = "", long seed = 1)
    {
        var trial = Experiments.Single($$"""
            name: shapes-test
            seed: {{seed}}
            dataset: {name: shapes{{settings}}}
            model: {architecture: cnn}
            loss: cross_entropy
            """, ".");
        return SyntheticImages.Instance.Load(trial.Spec.Dataset, trial.Spec.Seed, ".");
    }

    [Fact]
    public void Default_is_1200_images_1x16x16_in_4_balanced_classes_with_names()
    {
        var d = Shapes();

        Assert.Equal(1200, d.Rows);
        Assert.Equal([1, 16, 16], d.Shape);
        Assert.Equal(TaskKind.Classification, d.Task);
        Assert.Equal(["horizontal_bar", "vertical_bar", "diagonal", "anti_diagonal"], d.ClassNames);
        Assert.All(Enumerable.Range(0, 4), c => Assert.Equal(300, d.Labels!.Count(l => l == c)));
        Assert.All(d.Features.ToArray(), v => Assert.InRange(v, 0f, 1f));
    }

    [Fact]
    public void Size_classes_and_samples_are_settings_and_classes_come_out_balanced()
    {
        var d = Shapes(", samples: 100, classes: 6, size: 10");

        Assert.Equal([1, 10, 10], d.Shape);
        Assert.Equal(100 * 100, d.Features.Length);
        Assert.Equal(6, d.Classes);
        var counts = Enumerable.Range(0, 6).Select(c => d.Labels!.Count(l => l == c)).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1, string.Join(",", counts));
    }

    [Fact]
    public void Same_seed_same_images_other_seed_other_images()
    {
        Assert.Equal(Shapes(seed: 3).Features.ToArray(), Shapes(seed: 3).Features.ToArray());
        Assert.NotEqual(Shapes(seed: 3).Features.ToArray(), Shapes(seed: 4).Features.ToArray());
    }

    [Fact]
    public void Without_noise_each_class_draws_its_shape()
    {
        var d = Shapes(", samples: 60, classes: 6, noise: 0.0");
        for (var row = 0; row < d.Rows; row++)
        {
            var image = SyntheticImages.Render(d, row).Split('\n');
            var bright = Enumerable.Range(0, 16).SelectMany(r => Enumerable.Range(0, 16).Where(c => image[r][c] == '#').Select(c => (r, c))).ToList();
            Assert.NotEmpty(bright);
            var rows = bright.Select(p => p.r).Distinct().Count();
            var cols = bright.Select(p => p.c).Distinct().Count();
            switch (d.Labels![row])
            {
                case 0: Assert.True(rows <= 2 && cols >= 8, string.Join('\n', image)); break; // horizontal bar
                case 1: Assert.True(cols <= 2 && rows >= 8, string.Join('\n', image)); break; // vertical bar
                case 2: Assert.All(bright, p => Assert.Equal(bright[0].r - bright[0].c, p.r - p.c)); break; // diagonal
                case 3: Assert.All(bright, p => Assert.Equal(bright[0].r + bright[0].c, p.r + p.c)); break; // anti-diagonal
                case 4: Assert.Equal(rows + cols - 1, bright.Count); break; // cross: one row and one column
                default: Assert.Equal(rows, cols); break; // square outline
            }
        }
    }
}
