using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Data;

/// <summary>
/// The Fashion-MNIST configs on Debian's dataset-fashion-mnist files (.ci/run installs the package): the MLP learns
/// from a subset in one epoch and scores far above chance (0.1) on the official test images, and the CNN config
/// passes a smoke run.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class FashionMnistTests : TorchTest
{
    private const string Folder = "/usr/share/datasets/fashion-mnist";

    private static string Config(string name) => UciDatasets.Config(name);

    private static void RequireDataset() =>
        RequiredService.SkipUnless(File.Exists(Path.Combine(Folder, "t10k-images-idx3-ubyte.gz")),
            $"{Folder} not found: install Debian's dataset-fashion-mnist package (apt-get install -y dataset-fashion-mnist)");

    [SkippableFact]
    public void The_mlp_config_learns_from_a_subset_in_one_epoch_and_scores_far_above_chance_on_the_official_test_images()
    {
        RequireDataset();
        var trial = Assert.Single(TestRuntime.Instance.Loader.Load(Config("fashion-mnist-mlp.yaml"), ["training.epochs=1", "dataset.limit=6000"]).Trials);

        var manifest = TrialHarness.Run(trial, ExperimentDir("fashion-mnist-mlp"));

        Assert.True(manifest.Status == "completed", manifest.Error);
        Assert.True(manifest.TestMetrics["accuracy"] > 0.6, $"test accuracy {manifest.TestMetrics["accuracy"]}");
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), manifest.ClassNames!);
        Assert.Equal([1, 28, 28], manifest.Preprocessing!.InputShape);
    }

    [SkippableFact]
    public void The_cnn_config_passes_a_smoke_run()
    {
        RequireDataset();

        var result = CliHarness.Run("validate", Config("fashion-mnist-cnn.yaml"), "--smoke");

        Assert.True(result.ExitCode == 0, result.Error + result.Out);
        Assert.Contains("fashion-mnist-cnn.yaml: 1/1 trial trained one epoch", result.Out);
    }
}
