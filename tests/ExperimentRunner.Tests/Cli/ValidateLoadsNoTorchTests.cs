using System.Diagnostics;

namespace ExperimentRunner.Tests.Cli;

/// <summary>
/// <c>exprun validate</c> must stay fast enough for hundreds of files in CI, so it never loads libtorch. The
/// dynamic loader lists every library it opens when LD_DEBUG=libs is set; --smoke, which trains, is the
/// control that shows the check can see libtorch when it is loaded.
/// </summary>
public sealed class ValidateLoadsNoTorchTests
{
    private static (int Code, string Loader) Exprun(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "exprun")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["LD_DEBUG"] = "libs";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }

    private static string Quickstart => Path.Combine(AppContext.BaseDirectory, "configs", "quickstart.yaml");

    [SkippableFact]
    public void ValidateNeverLoadsLibtorch()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "LD_DEBUG is glibc's");
        var (code, loader) = Exprun("validate", Quickstart);
        Assert.Equal(0, code);
        Assert.Contains("libc.so", loader); // the loader did report what it loaded
        Assert.DoesNotContain("libtorch", loader);
    }

    [SkippableFact]
    public void SmokeRunsDoLoadIt()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "LD_DEBUG is glibc's");
        var (code, loader) = Exprun("validate", "--smoke", Quickstart);
        Assert.Equal(0, code);
        Assert.Contains("libtorch_cpu", loader);
    }
}
