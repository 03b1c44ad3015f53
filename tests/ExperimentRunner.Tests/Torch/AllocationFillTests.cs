using System.Runtime.InteropServices;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Native;
using TorchSharp;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// EXPRUN_ALLOC_FILL sets what libtorch's CPU allocator puts in new blocks (see <see cref="AllocationFill"/>); junk,
/// a NaN pattern, is the check that no kernel exprun's CNNs run reads memory nothing wrote.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AllocationFillTests
{
    /// <summary>The README's small-channel CNN (channels 4 and 8, gelu, batch norm): in NCHW order it read unwritten memory.</summary>
    private static string Cnn => Path.Combine(Repository.Root, "bench", "configs", "small-channel-cnn.yaml");

    private static bool X64Linux => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void The_flags_written_are_the_ones_libtorch_s_allocator_reads()
    {
        if (!X64Linux) return;
        try
        {
            Assert.True(AllocationFill.Set(AllocationFill.Junk));
            Assert.Equal((false, true), AllocationFill.NativeFlags());
            using (var junk = torch.empty(1_000_000)) Assert.Equal(1_000_000L, junk.isnan().sum().item<long>());

            Assert.True(AllocationFill.Set(AllocationFill.Zero));
            Assert.Equal((true, false), AllocationFill.NativeFlags());
            using (torch.full(1_000_000, float.NaN)) { }
            using (var zeroed = torch.empty(1_000_000)) Assert.Equal(0L, zeroed.count_nonzero().item<long>());
        }
        finally
        {
            AllocationFill.Set(AllocationFill.None);
        }
        Assert.Equal((false, false), AllocationFill.NativeFlags());
    }

    [Theory]
    [InlineData("[4,8]", null)]
    [InlineData("[12,24]", null)]
    [InlineData("[3,5]", null)]
    [InlineData("[12,24]", "AVX2")]
    public void Small_channel_cnns_read_no_memory_nothing_wrote(string channels, string? isa)
    {
        if (!X64Linux) return;
        using var dir = new TempDir();
        var environment = isa is null ? [] : new[] { ("ONEDNN_MAX_CPU_ISA", isa) };

        // Every new block NaN: a kernel that read one would turn the loss NaN (these did, in NCHW order, every time).
        var junk = Run(dir.Combine("junk"), channels, AllocationFill.Junk, out _, environment);

        Assert.Equal(("completed", AllocationFill.Junk), (junk.Status, junk.AllocFill));
    }

    [Fact]
    public void By_default_the_allocator_is_left_alone_and_run_json_says_so()
    {
        if (!X64Linux) return;
        using var dir = new TempDir();

        var manifest = Run(dir.Combine("default"), "[4,8]", fill: null, out _);

        Assert.Equal(("completed", AllocationFill.None), (manifest.Status, manifest.AllocFill));
    }

    [Fact]
    public void An_unknown_fill_is_named_with_what_is_allowed_and_none_is_kept()
    {
        if (!X64Linux) return;
        using var dir = new TempDir();

        var manifest = Run(dir.Combine("maybe"), "[4,8]", fill: "maybe", out var stderr);

        Assert.Contains("EXPRUN_ALLOC_FILL=maybe is not one of none, junk, zero", stderr);
        Assert.Equal(AllocationFill.None, manifest.AllocFill);
    }

    [Theory]
    [InlineData(null, "none", null)]
    [InlineData(" Junk ", "junk", null)]
    [InlineData("zero", "zero", null)]
    [InlineData("0", "none", "EXPRUN_ALLOC_FILL=0 is not one of none, junk, zero")]
    public void The_variable_chooses_the_fill(string? value, string expected, string? refused)
    {
        Assert.Equal(expected, AllocationFill.Chosen(value, out var message));
        if (refused is null) Assert.Null(message);
        else Assert.Contains(refused, message);
    }

    private static RunManifest Run(string output, string channels, string? fill, out string stderr, params (string Name, string Value)[] environment)
    {
        var variables = new Dictionary<string, string?> { [AllocationFill.Variable] = fill, ["ONEDNN_MAX_CPU_ISA"] = null, ["DNNL_MAX_CPU_ISA"] = null };
        foreach (var (name, value) in environment) variables[name] = value;
        using var process = Sweeps.SweepHarness.Start(variables, "run", Cnn, "-o", output, "--set", $"model.channels={channels}");
        var error = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(120_000), "exprun did not finish in 2 minutes");
        stderr = error.Result;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}");
        return RunManifest.TryLoad(Directory.GetDirectories(Path.Combine(output, "small-channel-cnn", "trials")).Single())!;
    }
}
