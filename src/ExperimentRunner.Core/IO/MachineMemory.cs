namespace ExperimentRunner.Core.IO;

/// <summary>
/// The memory this process may use: physical memory, or a container's limit (as the .NET runtime reads it from the
/// cgroup). Read from the runtime, so <c>validate</c> learns it without loading libtorch.
/// </summary>
public static class MachineMemory
{
    public static long Bytes => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>What a trial may use when <c>limits.max_memory_mb</c> is unset: half, leaving room for the system and a second worker.</summary>
    public static long DefaultLimitBytes => Bytes / 2;
}
