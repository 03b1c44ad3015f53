using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary>Runs <c>exprun</c> in-process with in-memory writers and a fake clock (command-line-api's InvocationTests pattern).</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error);

internal static class CliHarness
{
    public static CliResult Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = ExprunCli.Run(args, new CliContext(output, error, TrialHarness.Clock(), TestRuntime.Instance));
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
