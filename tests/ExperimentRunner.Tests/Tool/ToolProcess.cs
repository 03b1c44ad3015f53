using System.Diagnostics;

namespace ExperimentRunner.Tests.Tool;

internal sealed record ToolProcessResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs dotnet and the installed tool as a user would, with TMPDIR inside the test's own temporary folder: the .NET
/// SDK leaves scratch folders in the temp folder (tool install two empty ones per call), and they must go with the test.
/// </summary>
internal static class ToolProcess
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static ToolProcessResult Run(string program, IEnumerable<string> args, string workingDirectory, string tempDirectory, TimeSpan timeout)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // The test host runs inside `dotnet test`, which points these at its own MSBuild; a nested dotnet picks its own.
        foreach (var name in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            info.Environment.Remove(name);
        Directory.CreateDirectory(tempDirectory);
        info.Environment["TMPDIR"] = tempDirectory;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', info.ArgumentList)} did not finish within {timeout.TotalSeconds:0} s");
        }
        process.WaitForExit();
        return new ToolProcessResult(process.ExitCode, stdout.Result, stderr.Result);
    }
}
