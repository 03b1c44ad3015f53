using System.Collections;
using System.Runtime.InteropServices;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Native;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// glibc's malloc is tuned in every process that trains, so libtorch's per-step buffers stay mapped instead of
/// being faulted in again each step; and the tuning does nothing where it does not belong.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GlibcMallocTests : TorchTest
{
    private const long MiB = 1 << 20;

    [SkippableFact]
    public void A_process_that_trains_keeps_large_freed_blocks_on_its_heap()
    {
        var tuning = GlibcMalloc.Current;
        Assert.NotNull(tuning); // set by the module initializer, before any test asked for it
        Skip.If(tuning.GlibcVersion is null, "the C library is not glibc");
        Assert.True(tuning.Applied, $"not applied: {tuning.SkippedBecause}");
        Assert.Equal(["M_MMAP_THRESHOLD", "M_TRIM_THRESHOLD", "M_TOP_PAD"], tuning.Settings.Select(s => s.Name));
        Assert.All(tuning.Settings, s => Assert.Equal(1, s.Result));

        // This test host trains (the trial below) and then asks glibc itself how it serves a 48 MiB block. With
        // glibc's defaults such a block is always a mapping of its own (the dynamic mmap threshold stops at 32 MiB)
        // and goes back to the kernel on free; tuned, it comes from the heap and the heap keeps it.
        var trial = Experiments.Single("""
            name: malloc
            seed: 1
            dataset: {name: shapes, samples: 96, size: 16}
            model: {architecture: cnn, channels: [8], hidden: [16]}
            loss: cross_entropy
            training: {epochs: 1, batch_size: 32}
            """, Temp.Path);
        Assert.Equal("completed", TrialHarness.Run(trial, ExperimentDir("malloc")).Status);

        var before = MallInfo2.Read();
        // Marshal.AllocHGlobal is malloc on Unix.
        var block = Marshal.AllocHGlobal((nint)(48 * MiB));
        var held = MallInfo2.Read();
        Marshal.FreeHGlobal(block);
        var after = MallInfo2.Read();
        Assert.True(held.MappedBytes - before.MappedBytes < 48 * MiB, $"the 48 MiB block was mapped on its own ({before.MappedBytes / MiB} -> {held.MappedBytes / MiB} MiB in mappings)");
        Assert.True(held.HeapBytes - after.HeapBytes < 48 * MiB, $"freeing the block gave the heap back to the kernel ({held.HeapBytes / MiB} -> {after.HeapBytes / MiB} MiB)");
    }

    [Fact]
    public void Where_the_C_library_is_not_glibc_nothing_is_called()
    {
        var libc = new FakeLibC(version: null);
        var tuning = GlibcMalloc.Tune(libc, new Hashtable());
        Assert.Empty(libc.Calls);
        Assert.Empty(tuning.Settings);
        Assert.False(tuning.Applied);
        Assert.Equal("the C library is not glibc", tuning.SkippedBecause);
    }

    [Theory]
    [InlineData("MALLOC_TOP_PAD_", "1048576", "MALLOC_TOP_PAD_")]
    [InlineData("MALLOC_MMAP_THRESHOLD_", "4294967296", "MALLOC_MMAP_THRESHOLD_")]
    [InlineData("GLIBC_TUNABLES", "glibc.malloc.check=0:glibc.malloc.trim_threshold=0", "GLIBC_TUNABLES glibc.malloc.trim_threshold")]
    public void A_user_who_configured_glibc_malloc_keeps_that(string variable, string value, string named)
    {
        var libc = new FakeLibC("2.36");
        var tuning = GlibcMalloc.Tune(libc, new Hashtable { [variable] = value, ["PATH"] = "/usr/bin" });
        Assert.Empty(libc.Calls);
        Assert.StartsWith(named + " is set", tuning.SkippedBecause);
    }

    [Fact]
    public void EXPRUN_GLIBC_MALLOC_default_keeps_glibc_defaults_for_measuring()
    {
        var libc = new FakeLibC("2.36");
        var tuning = GlibcMalloc.Tune(libc, new Hashtable { [GlibcMalloc.OptOutVariable] = "default" });
        Assert.Empty(libc.Calls);
        Assert.Equal("EXPRUN_GLIBC_MALLOC=default: glibc's defaults are kept", tuning.SkippedBecause);
        // Any other value is not an opt-out.
        Assert.True(GlibcMalloc.Tune(new FakeLibC("2.36"), new Hashtable { [GlibcMalloc.OptOutVariable] = "1" }).Applied);
    }

    [Fact]
    public void Unrelated_variables_do_not_stop_it_and_every_answer_is_recorded()
    {
        // glibc refusing one setting (mallopt returns 0) shows as not applied, with the refused setting named.
        var libc = new FakeLibC("2.36", refuse: GlibcMalloc.MTopPad);
        var tuning = GlibcMalloc.Tune(libc, new Hashtable { ["MALLOC_ARENA_MAX"] = "2", ["GLIBC_TUNABLES"] = "glibc.pthread.rseq=0" });
        Assert.Equal([(-3, 1 << 30), (-1, int.MaxValue), (-2, 64 << 20)], libc.Calls);
        Assert.Equal([1, 1, 0], tuning.Settings.Select(s => s.Result));
        Assert.False(tuning.Applied);
        Assert.Null(tuning.SkippedBecause);
    }

    private sealed class FakeLibC(string? version, int? refuse = null) : GlibcMalloc.ILibC
    {
        public List<(int, int)> Calls { get; } = [];

        public string? GlibcVersion() => version;

        public int Mallopt(int parameter, int value)
        {
            Calls.Add((parameter, value));
            return parameter == refuse ? 0 : 1;
        }
    }

    /// <summary>glibc's mallinfo2: bytes the heaps hold (arena) and bytes in blocks mapped on their own (hblkhd).</summary>
    private readonly record struct MallInfo2(long HeapBytes, long MappedBytes)
    {
        public static MallInfo2 Read()
        {
            var m = mallinfo2();
            return new MallInfo2((long)m.Arena, (long)m.Hblkhd);
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct Native
        {
            public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
        }

        [DllImport("libc.so.6")]
        private static extern Native mallinfo2();
    }
}
