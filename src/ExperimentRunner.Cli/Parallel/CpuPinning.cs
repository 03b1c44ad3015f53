using System.Diagnostics;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>Pins worker processes to single CPUs out of the ones this process may use (a Slurm task's cgroup, taskset).</summary>
public static class CpuPinning
{
    public static IReadOnlyList<int> AllowedCpus()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) return [];
        var mask = (long)Process.GetCurrentProcess().ProcessorAffinity;
        return Enumerable.Range(0, 63).Where(cpu => (mask & (1L << cpu)) != 0).ToList();
    }

    public static void Pin(Process process, int cpu)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsWindows()) return;
        try
        {
            process.ProcessorAffinity = (IntPtr)(1L << cpu);
        }
        catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // A worker that exited at once, or a platform that refuses: it simply runs unpinned.
        }
    }
}
