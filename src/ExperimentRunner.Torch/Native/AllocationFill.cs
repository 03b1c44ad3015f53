using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>
/// Chooses what libtorch's CPU allocator puts in every new block (c10's <c>caffe2_cpu_allocator_do_zero_fill</c> and
/// <c>..._junk_fill</c> flags): nothing (libtorch's default, and exprun's), zeros, or junk, a NaN pattern. Junk is the
/// check for a kernel that reads memory nothing wrote: such a read then turns into a NaN loss every time, instead of
/// a result that depends on what an earlier tensor left there. That is how libtorch 2.10's NCHW convolutions were
/// caught reading memory they never wrote for small channel counts (with junk, CNNs with channels 4 and 8, 12 and 24,
/// 3 and 5 diverged every time, at AVX-512 and at AVX2; without, about one run in ten), which is one reason exprun
/// runs convolutions channels-last (<see cref="Modules.ChannelsLast"/>): with junk those CNNs now complete, and a
/// test keeps it so. Zeros make such reads repeatable but not right (the gradients stay wrong), so they are not the
/// default; they cost one memset per allocation (a Fashion-MNIST CNN trial 1.04x, the wide MLP 1.02x).
/// <para>
/// <c>EXPRUN_ALLOC_FILL</c> chooses: <c>none</c> (default), <c>junk</c>, <c>zero</c>. Set once per process
/// (<see cref="NativeCompatInitializer"/>) by writing the flags in libc10, loaded from the build output for it
/// (libtorch finds it already loaded); run.json records the choice. Where libc10 or its flags cannot be found, nothing
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

    /// <summary>What libtorch's CPU allocator does to new blocks (none, junk, zero), for run.json; null when it could not be set.</summary>
    public static string? InEffect { get; private set; }

    public static void EnsureSet()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            var mode = Chosen(Environment.GetEnvironmentVariable(Variable), out var refused);
            if (refused is not null) Console.Error.WriteLine(refused);
            // libtorch's default needs no write: libc10 is then not loaded before TorchSharp loads it.
            if (mode == None) InEffect = None;
            else if (Set(mode)) InEffect = mode;
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

    /// <summary>The user's choice, or none; an unknown value is refused with a sentence saying what is allowed.</summary>
    internal static string Chosen(string? value, out string? refused)
    {
        refused = null;
        var mode = value?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(mode)) return None;
        if (mode is Zero or Junk or None) return mode;
        refused = $"exprun: {Variable}={value} is not one of {None}, {Junk}, {Zero}; libtorch's CPU allocations are left as they are ({None}).";
        return None;
    }

    /// <summary>The flags as libc10 holds them now (zero, junk), or null where they were not found.</summary>
    internal static (bool Zero, bool Junk)? NativeFlags()
    {
        lock (Gate)
        {
            if (!FindFlags()) return null;
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
        if (NativeFiles.InBuildOutput(name) is { } path && NativeLibrary.TryLoad(path, out var handle)) return handle;
        return NativeLibrary.TryLoad(name, out var found) ? found : IntPtr.Zero;
    }
}
