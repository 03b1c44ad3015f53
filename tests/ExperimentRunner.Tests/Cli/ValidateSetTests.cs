using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Cli;

/// <summary><c>validate --set</c>: the overrides a run would use are checked too, in every file given.</summary>
public sealed class ValidateSetTests
{
    [Fact]
    public void Overrides_apply_to_every_file_and_a_bad_one_is_named_once()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", Experiments.Tiny);
        var b = dir.Write("b.yaml", Experiments.Tiny.Replace("name: tiny", "name: other"));
        var ok = CliHarness.Run("validate", a, b, "--set", "sweep={seeds: 3}");
        Assert.Equal(0, ok.ExitCode);
        Assert.Contains($"ok {a} (3 trials)", ok.Out);
        Assert.Contains($"ok {b} (3 trials)", ok.Out);

        var bad = CliHarness.Run("validate", a, "--set", "training.epochs=zero");
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal("--set training.epochs=zero: error: training.epochs: expected an integer (>= 1 and <= 1000000), got 'zero'", bad.Error.Trim());
    }
}
