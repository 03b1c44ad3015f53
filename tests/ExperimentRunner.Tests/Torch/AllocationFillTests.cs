using System.Diagnostics;
using System.Runtime.InteropServices;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Native;
using TorchSharp;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// libtorch's CPU allocations are zero-filled in every exprun process (see <see cref="AllocationFill"/>): small-channel
/// CNNs read memory nothing wrote, and diverged whenever that memory held a NaN.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AllocationFillTests
{
    /// <summary>The CNN of the README (channels 4 and 8, gelu), here with 12 and 24 channels: that one also reads unwritten memory with oneDNN's AVX2 kernels.</summary>
    private static string Cnn => Path.Combine(Repository.Root, "bench", "configs", "small-channel-cnn.yaml");

    private static bool X64Linux => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void This_process_zero_fills_what_libtorch_allocates_through_the_flags_it_reads()
    {
        Assert.Equal(AllocationFill.Zero, AllocationFill.InEffect);
        Assert.Equal((true, false), AllocationFill.NativeFlags());
        using (var zeroed = torch.empty(1_000_000)) Assert.Equal(0L, zeroed.count_nonzero().item<long>());

        // The flags written are the ones libtorch's allocator reads: switched to junk, new tensors are all NaN.
        try
        {
            AllocationFill.Set(AllocationFill.Junk);
            using var junk = torch.empty(1_000_000);
            Assert.Equal(1_000_000L, junk.isnan().sum().item<long>());
        }
        finally
        {
            AllocationFill.Set(AllocationFill.Zero);
        }
        Assert.Equal((true, false), AllocationFill.NativeFlags());
    }

    [Fact]
    public void A_small_channel_cnn_that_reads_unwritten_memory_completes_zero_filled_and_diverges_on_junk()
    {
        if (!X64Linux) return;
        using var dir = new TempDir();

        var zero = Run(dir.Combine("zero"), fill: null);
        Assert.Equal(("completed", AllocationFill.Zero), (zero.Status, zero.AllocFill));

        // c10's junk (a NaN pattern in every new block) shows the read: the same trial cannot finish.
        var junk = Run(dir.Combine("junk"), fill: AllocationFill.Junk);
        Assert.Equal(("diverged", AllocationFill.Junk), (junk.Status, junk.AllocFill));

        // Holding oneDNN to AVX2, the first fix tried, does not stop it.
        var avx2 = Run(dir.Combine("avx2"), fill: AllocationFill.Junk, ("ONEDNN_MAX_CPU_ISA", "AVX2"));
        Assert.Equal("diverged", avx2.Status);
    }

    [Fact]
    public void An_unknown_fill_is_named_with_what_is_allowed_and_zero_is_kept()
    {
        if (!X64Linux) return;
        using var dir = new TempDir();

        var manifest = Run(dir.Combine("maybe"), fill: "maybe", out var stderr);

        Assert.Contains("EXPRUN_ALLOC_FILL=maybe is not one of zero, junk, none", stderr);
        Assert.Equal(AllocationFill.Zero, manifest.AllocFill);
    }

    [Theory]
    [InlineData(null, "zero", null)]
    [InlineData(" Junk ", "junk", null)]
    [InlineData("none", "none", null)]
    [InlineData("0", "zero", "EXPRUN_ALLOC_FILL=0 is not one of zero, junk, none")]
    public void The_variable_chooses_the_fill(string? value, string expected, string? refused)
    {
        Assert.Equal(expected, AllocationFill.Chosen(value, out var message));
        if (refused is null) Assert.Null(message);
        else Assert.Contains(refused, message);
    }

    private static RunManifest Run(string output, string? fill, params (string Name, string Value)[] environment) =>
        Run(output, fill, out _, environment);

    private static RunManifest Run(string output, string? fill, out string stderr, params (string Name, string Value)[] environment)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "exprun")) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "run", Cnn, "-o", output, "--set", "model.channels=[12,24]" }) info.ArgumentList.Add(a);
        info.Environment.Remove(AllocationFill.Variable);
        info.Environment.Remove("ONEDNN_MAX_CPU_ISA");
        info.Environment.Remove("DNNL_MAX_CPU_ISA");
        if (fill is not null) info.Environment[AllocationFill.Variable] = fill;
        foreach (var (name, value) in environment) info.Environment[name] = value;
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "exprun did not finish in 2 minutes");
        stderr = error.Result;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}");
        return RunManifest.TryLoad(Directory.GetDirectories(Path.Combine(output, "small-channel-cnn", "trials")).Single())!;
    }
}
