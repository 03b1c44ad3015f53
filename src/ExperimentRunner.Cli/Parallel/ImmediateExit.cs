using System.Runtime.InteropServices;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>
/// Ends a worker process without the C runtime's exit-time teardown. <c>exit()</c> runs libtorch's static destructors
/// while other threads (a trial still training, .NET's finalizer freeing tensors) may be inside libtorch: an orphaned
/// worker stopped that way crashed with SIGSEGV every time (exit 139, a kernel log line, and a core dump where they
/// are enabled). A worker has nothing left to tear down: its results are written atomically and complete, and the
/// streams it answers on are flushed here first.
/// </summary>
internal static class ImmediateExit
{
    public static void Now(int code)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) Exit(code);
        Environment.Exit(code);
    }

    [DllImport("libc", EntryPoint = "_exit")]
    private static extern void Exit(int code);
}
