using ExperimentRunner.Cli;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>The contract for a config error: validate and run both exit 2 with the same one error, and run writes nothing.</summary>
public static class ConfigRefusal
{
    public static void ByValidateAndRun(string file, string outputFolder, string error)
    {
        var validate = CliHarness.Run("validate", file);
        var run = CliHarness.Run("run", file, "--output", outputFolder);

        Assert.Equal((ExitCodes.UsageError, $"{error}\n"), (validate.ExitCode, validate.Error));
        Assert.Equal((ExitCodes.UsageError, $"{error}\n{file}: 1 error; nothing was run\n"), (run.ExitCode, run.Error));
        Assert.False(Directory.Exists(outputFolder), $"run wrote {outputFolder}");
    }
}
