using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>
/// Has libtorch zero every block its CPU allocator hands out (c10's <c>caffe2_cpu_allocator_do_zero_fill</c> flag),
/// because some of libtorch 2.10's convolution paths read memory nothing wrote. Their result does not depend on what
/// that memory holds as long as it is a finite number (it ends up multiplied by zero), so a fixed-seed CNN is
/// bit-identical run after run until a freed buffer that held a NaN is handed out again: then the loss turns NaN and
/// the trial diverges. Measured on an AVX-512 AMD EPYC with small channel counts (4 and 8, 12 and 24, 3 and 5; not 8
/// and 16, 16 and 32, 32 and 64): with c10's junk fill (every new block filled with a NaN pattern) those CNNs
/// diverge every time, with oneDNN's AVX-512 kernels and with its AVX2 ones (12 and 24, 3 and 5), so capping oneDNN's
/// instruction set is not a fix; without any fill the 4-and-8 CNN diverged in about one run in ten and the 12-and-24
/// one at AVX2 in one of two. Zero-filled, every one of them completes, with the numbers of the runs that were lucky.
/// The cost is one memset per allocation: a Fashion-MNIST CNN trial 1.04x, the wide MLP 1.02x (README: Kernels that
/// read memory they never wrote).
/// <para>
/// Set once per process (<see cref="NativeCompatInitializer"/>), by writing the flag in libc10, which is loaded from
/// the build output for it (libtorch finds it already loaded). <c>EXPRUN_ALLOC_FILL</c> chooses: <c>zero</c> (the
/// default), <c>junk</c> (c10's NaN pattern: a trial that diverges with it and not with zero reads memory it never
/// wrote), <c>none</c> (libtorch's default, to measure the cost). Where libc10 or its flags cannot be found, nothing
/// is set and <see cref="InEffect"/> is null.
/// </para>
/// </summary>
public static class AllocationFill
{
    public const string Variable = "EXPRUN_ALLOC_FILL";
    public const string Zero = "zero";
    public const string Junk = "junk";
    public const string None = "none";

    internal const string ZeroFlag = "FLAGS_caffe2_cpu_allocator_do_zero_fill";
    internal const string JunkFlag = "FLAGS_caffe2_cpu_allocator_do_junk_fill";

    private static readonly Lock Gate = new();
    private static bool _done;
    private static IntPtr _zeroFlag;
    private static IntPtr _junkFlag;

    /// <summary>What libtorch's CPU allocator does to new blocks (zero, junk, none), for run.json; null when it could not be set.</summary>
    public static string? InEffect { get; private set; }

    public static void EnsureSet()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            var mode = Chosen(Environment.GetEnvironmentVariable(Variable), out var refused);
            if (refused is not null) Console.Error.WriteLine(refused);
            if (Set(mode)) InEffect = mode;
        }
    }

    /// <summary>Writes the flags for a mode; false where libc10 or its flags were not found. For this process's start, and tests.</summary>
    internal static bool Set(string mode)
    {
        lock (Gate)
        {
            if (!FindFlags()) return false;
            // c10 aborts the process if it finds both flags set, so the one not wanted is cleared first.
            var (off, on) = mode == Junk ? (_zeroFlag, _junkFlag) : (_junkFlag, _zeroFlag);
            Marshal.WriteByte(off, 0);
            Marshal.WriteByte(on, mode == None ? (byte)0 : (byte)1);
            return true;
        }
    }

    /// <summary>The user's choice, or zero; an unknown value is refused with a sentence saying what is allowed.</summary>
    internal static string Chosen(string? value, out string? refused)
    {
        refused = null;
        var mode = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(mode)) return Zero;
        if (mode is Zero or Junk or None) return mode;
        refused = $"exprun: {Variable}={value} is not one of {Zero}, {Junk}, {None}; libtorch's CPU allocations are zero-filled ({Zero}).";
        return Zero;
    }

    /// <summary>The flags as libc10 holds them now (zero, junk), or null where they were not found.</summary>
    public static (bool Zero, bool Junk)? NativeFlags()
    {
        lock (Gate)
        {
            if (_zeroFlag == IntPtr.Zero && !FindFlags()) return null;
            return (Marshal.ReadByte(_zeroFlag) != 0, Marshal.ReadByte(_junkFlag) != 0);
        }
    }

    private static bool FindFlags()
    {
        if (_zeroFlag != IntPtr.Zero) return true;
        var library = LibC10();
        if (library == IntPtr.Zero) return false;
        if (!NativeLibrary.TryGetExport(library, ZeroFlag, out var zero) || !NativeLibrary.TryGetExport(library, JunkFlag, out var junk)) return false;
        (_zeroFlag, _junkFlag) = (zero, junk);
        return true;
    }

    private static IntPtr LibC10()
    {
        var name = OperatingSystem.IsWindows() ? "c10.dll" : OperatingSystem.IsMacOS() ? "libc10.dylib" : "libc10.so";
        var rid = (OperatingSystem.IsWindows() ? "win-" : OperatingSystem.IsMacOS() ? "osx-" : "linux-") +
                  RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        foreach (var path in new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", name), Path.Combine(AppContext.BaseDirectory, name) })
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        }
        return NativeLibrary.TryLoad(name, out var found) ? found : IntPtr.Zero;
    }
}
