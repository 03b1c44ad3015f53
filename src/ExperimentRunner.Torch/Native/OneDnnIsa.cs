using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>
/// Holds oneDNN, the library libtorch runs CPU convolutions with, to its AVX2 kernels. On an AMD EPYC with AVX-512
/// (family 26) its AVX-512 convolution kernels made a fixed-seed CNN (channels 4 and 8, batch norm, 2 epochs) end
/// with a non-finite loss in 3 of 30 runs one after another and 11 of 80 two at a time, every other run bit-identical;
/// capped at AVX2, 30 of 30 were identical and none diverged (tanh and gelu CNNs both hit it, with channels 16 and 32
/// no run did). A result that depends on the run is worse than a slower one, so every process caps it: a
/// Fashion-MNIST CNN epoch took 1.24x as long on that machine (3.3 -> 4.1 s); machines without AVX-512 run the same
/// kernels as before, and MLPs (matrix products go to MKL, not oneDNN) are not affected.
/// <para>
/// Set once per process (<see cref="NativeCompatInitializer"/>), before libtorch loads, with the C library's setenv:
/// oneDNN reads the variable with getenv, which .NET's Environment.SetEnvironmentVariable does not reach on Unix.
/// Child processes do not inherit it (.NET starts them with its own copy of the environment): a sweep's workers set it
/// themselves, and other programs (Python's PyTorch in the tests) keep their defaults. Not when the user set
/// ONEDNN_MAX_CPU_ISA or DNNL_MAX_CPU_ISA: then they decided (e.g. ONEDNN_MAX_CPU_ISA=ALL to measure the AVX-512
/// kernels). x64 Linux only.
/// </para>
/// </summary>
public static class OneDnnIsa
{
    public const string Variable = "ONEDNN_MAX_CPU_ISA";
    private const string OlderVariable = "DNNL_MAX_CPU_ISA";
    public const string Cap = "AVX2";

    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>Whether this process set the cap (false where the user set a value, or off x64 Linux).</summary>
    public static bool CappedHere { get; private set; }

    /// <summary>What oneDNN runs with, for run.json: the cap, the user's own value, or null (off x64 Linux, or none set).</summary>
    public static string? InEffect { get; private set; }

    public static void EnsureCapped()
    {
        lock (Gate)
        {
            if (_done) return;
            _done = true;
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64) return;
            var user = NonEmpty(Environment.GetEnvironmentVariable(Variable)) ?? NonEmpty(Environment.GetEnvironmentVariable(OlderVariable));
            if (user is not null)
            {
                InEffect = user;
                return;
            }
            try
            {
                CappedHere = LibC.setenv(Variable, Cap, 0) == 0;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // Not glibc-compatible: oneDNN keeps its own choice.
            }
            InEffect = CappedHere ? Cap : null;
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    /// <summary>The variable as the C library (and so oneDNN) sees it.</summary>
    public static string? NativeValue()
    {
        var value = LibC.getenv(Variable);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

    private static class LibC
    {
        [DllImport("libc.so.6", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

        [DllImport("libc.so.6", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
    }
}
