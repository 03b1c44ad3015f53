using System.Runtime.CompilerServices;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Before a trial reads its data, what earlier trials of the process left on the heap (their data arrays, freed only by a
/// full collection) is collected, so the new arrays reuse that memory instead of pages the kernel must fault in.
/// </summary>
public sealed class TrialMemoryTests
{
    [Fact]
    public void A_previous_trials_large_arrays_are_collected_before_the_next_trial()
    {
        LeaveGarbage(TrialMemory.LeftoverBytes * 2);
        var before = GC.CollectionCount(2);

        TrialMemory.FreeLeftovers();

        Assert.True(GC.CollectionCount(2) > before, "a full collection should have run with 32 MB of garbage on the heap");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void LeaveGarbage(long bytes)
    {
        var array = new byte[bytes];
        array[^1] = 1;
        GC.KeepAlive(array);
    }
}
