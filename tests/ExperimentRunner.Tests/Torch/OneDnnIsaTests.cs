using System.Diagnostics;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Native;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// oneDNN is held to AVX2 kernels in every exprun process unless the user chose (see <see cref="OneDnnIsa"/>): its
/// AVX-512 convolutions made a fixed-seed small-channel CNN diverge in about one run in ten on an AVX-512 EPYC. Read
/// back from oneDNN itself (ONEDNN_VERBOSE prints the ISA it dispatches to) in a real exprun process.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class OneDnnIsaTests
{
    /// <summary>The CNN that diverged (channels 4 and 8, gelu), as the README names it.</summary>
    private static string Cnn => Path.Combine(Repository.Root, "bench", "configs", "small-channel-cnn.yaml");

    [Fact]
    public void This_process_caps_onednn_at_avx2_as_the_c_library_sees_it()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return;
        OneDnnIsa.EnsureCapped();
        var preset = Environment.GetEnvironmentVariable(OneDnnIsa.Variable);

        Assert.Equal(preset ?? OneDnnIsa.Cap, OneDnnIsa.NativeValue());
        Assert.Equal(preset is null, OneDnnIsa.CappedHere);
    }

    [Fact]
    public void An_exprun_process_runs_convolutions_with_avx2_kernels_unless_the_user_sets_the_isa()
    {
        if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture != System.Runtime.InteropServices.Architecture.X64) return;
        using var dir = new TempDir();

        var capped = IsaLine(Cnn, dir.Combine("capped"), userIsa: null);
        Assert.DoesNotContain("AVX-512", capped);
        Assert.Contains("AVX", capped);
        Assert.Equal(OneDnnIsa.Cap, RecordedIsa(dir.Combine("capped")));

        // The user's own setting wins; on a machine with AVX-512 it shows, and run.json says what it was.
        var chosen = IsaLine(Cnn, dir.Combine("chosen"), userIsa: "ALL");
        if (GoldenMachine.Has("avx512f")) Assert.Contains("AVX-512", chosen);
        Assert.Equal("ALL", RecordedIsa(dir.Combine("chosen")));
    }

    private static string? RecordedIsa(string output) =>
        ExperimentRunner.Core.Results.RunManifest.TryLoad(Directory.GetDirectories(Path.Combine(output, "small-channel-cnn", "trials")).Single())!.OneDnnMaxCpuIsa;

    private static string IsaLine(string file, string output, string? userIsa)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "exprun")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", file, "-o", output }) info.ArgumentList.Add(a);
        info.Environment["ONEDNN_VERBOSE"] = "1";
        info.Environment.Remove(OneDnnIsa.Variable);
        info.Environment.Remove("DNNL_MAX_CPU_ISA");
        if (userIsa is not null) info.Environment[OneDnnIsa.Variable] = userIsa;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "exprun did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr.Result}");
        return stdout.Split('\n').Concat(stderr.Result.Split('\n')).Single(l => l.Contains(",info,cpu,isa:", StringComparison.Ordinal));
    }
}
