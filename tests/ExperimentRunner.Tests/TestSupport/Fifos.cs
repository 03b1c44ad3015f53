using System.Diagnostics;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>Named pipes for tests of inputs whose reads would wait forever for a writer.</summary>
public static class Fifos
{
    /// <summary>Makes a FIFO at <paramref name="path"/> with mkfifo(1); false where there is none (Windows).</summary>
    public static bool TryMake(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        try
        {
            using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
            mkfifo.WaitForExit();
            return mkfifo.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
