namespace ExperimentRunner.Torch.Running;

/// <summary>
/// Frees what earlier trials of this process left on the managed heap before the next trial reads its data.
/// </summary>
/// <remarks>
/// A trial's data arrays are large objects, which only a full collection frees, and a sweep's trials rarely
/// allocate enough to trigger one: without it, each trial of a Fashion-MNIST sweep read its 10,000 images (31 MB)
/// into memory the kernel had to fault in anew, 100 ms a trial instead of 21 ms, for the first five trials of a
/// process (all of a worker's, with two workers on 12 trials). Collected, the new arrays take the old ones' place.
/// A collection costs 1-6 ms; a heap holding less than <see cref="LeftoverBytes"/> (small data, a process's first
/// trial) is not worth one.
/// </remarks>
internal static class TrialMemory
{
    internal const long LeftoverBytes = 16L << 20;

    public static void FreeLeftovers()
    {
        if (GC.GetTotalMemory(forceFullCollection: false) >= LeftoverBytes) GC.Collect();
    }
}
