using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ExperimentRunner.Benchmarks;

/// <summary>
/// Wall time and the calling thread's CPU time (user + system) together. With one torch thread LibTorch
/// computes on the calling thread, so thread CPU time is the work a path does, and stays meaningful when
/// other processes compete for the cores (wall time then includes time spent waiting for a core).
/// </summary>
public readonly record struct Mark(double WallMs, double CpuMs)
{
    public static Mark operator -(Mark a, Mark b) => new(a.WallMs - b.WallMs, a.CpuMs - b.CpuMs);
}

public static class CpuClock
{
    private static readonly Stopwatch Wall = Stopwatch.StartNew();
    private static readonly bool Available = OperatingSystem.IsLinux() && Probe();

    public static Mark Now() => new(Wall.Elapsed.TotalMilliseconds, ThreadCpuMs());

    /// <summary>CPU time of the calling thread in ms; NaN where it cannot be read.</summary>
    public static double ThreadCpuMs()
    {
        if (!Available) return double.NaN;
        return clock_gettime(ClockThreadCpuTimeId, out var ts) == 0 ? ts.Seconds * 1e3 + ts.Nanoseconds / 1e6 : double.NaN;
    }

    private static bool Probe()
    {
        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out _) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int ClockThreadCpuTimeId = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc.so.6")]
    private static extern int clock_gettime(int clockId, out TimeSpec time);
}
