using System.Diagnostics;
using System.Globalization;
using ExperimentRunner.Tests.Data;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// The README's PyTorch recipe (examples/pytorch_recipe.py), run with Debian's python3-torch (.ci/run installs it):
/// it rebuilds a trial's MLP, loads best.pt strictly and reproduces the trial's test accuracy from raw csv rows;
/// the .pt files hold plain tensors (no requires_grad).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class PyTorchRecipeTests : TorchTest
{
    private const string Python = "/usr/bin/python3";

    private static string Recipe => Path.Combine(UciDatasets.RepositoryRoot(), "examples", "pytorch_recipe.py");

    private static (int Code, string Out, string Error) Run(params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result, error);
    }

    private static bool TorchImports(out string why)
    {
        why = $"{Python} cannot import torch: install Debian's python3-torch (apt-get install -y python3-torch)";
        return File.Exists(Python) && Run("-c", "import torch").Code == 0;
    }

    [SkippableFact]
    public void The_recipe_reproduces_the_trials_test_accuracy_from_raw_rows_with_best_pt()
    {
        RequiredService.SkipUnless(TorchImports(out var why), why);
        var file = Path.Combine(UciDatasets.RepositoryRoot(), "examples", "iris", "iris.yaml");
        Assert.Equal(0, CliHarness.Run("run", file, "-o", Temp.Combine("out")).ExitCode);
        var trial = Assert.Single(Directory.GetDirectories(Temp.Combine("out", "iris-example", "trials")));
        var accuracy = ExperimentRunner.Core.Results.RunManifest.TryLoad(trial)!.TestMetrics["accuracy"]!.Value;

        var (code, output, error) = Run(Recipe, trial, Path.Combine(Path.GetDirectoryName(file)!, "test.csv"));

        Assert.True(code == 0, error);
        Assert.Equal(accuracy.ToString("R", CultureInfo.InvariantCulture), output.Trim());
        var plain = Run("-c", $"import torch; print(all(not t.requires_grad and t.numpy() is not None for f in ['best.pt', 'last.pt'] for t in torch.load('{trial}/checkpoints/' + f).values()))");
        Assert.Equal("True", plain.Out.Trim());
    }

    [Fact]
    public void The_readme_shows_the_recipe_as_it_is_in_examples()
    {
        var readme = File.ReadAllText(Path.Combine(UciDatasets.RepositoryRoot(), "README.md"));
        Assert.Contains(File.ReadAllText(Recipe).TrimEnd(), readme);
    }
}
