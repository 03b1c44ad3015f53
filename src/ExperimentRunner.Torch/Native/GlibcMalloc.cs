using System.Collections;
using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>
/// Keeps glibc's malloc from handing libtorch's per-step buffers back to the kernel. libtorch allocates and frees
/// the same large buffers every training step (activations, gradients, im2col for convolutions). With glibc's
/// defaults, a buffer above the mmap threshold (128 KiB, rising with use to at most 32 MiB) is a fresh mapping
/// that munmap returns on free, and a heap top above the trim threshold is given back with brk: either way the
/// next step faults the same pages in again, zero-filled. Measured on a CNN trial: 0.5 to 1.4 million minor
/// faults and a third of the wall time in the kernel (notes in README "Performance").
/// <para>
/// Set once per process (<see cref="NativeCompatInitializer"/>), before TorchSharp loads: serve every block
/// below 1 GiB from the heap, never trim it, and grow it (and keep per-thread heaps) in 64 MiB steps. Peak
/// resident memory does not grow (freed blocks are reused for the next step's); memory the process no longer
/// needs stays mapped until it exits, which for a training process is what it wants.
/// </para>
/// Nothing happens where the C library is not glibc (musl, macOS, Windows), and nothing when the user set
/// glibc's own variables for these settings (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_, MALLOC_MMAP_MAX_,
/// or the same glibc.malloc tunables in GLIBC_TUNABLES): then the user has decided. <c>EXPRUN_GLIBC_MALLOC=default</c>
/// keeps glibc's defaults untouched, to measure the difference (no MALLOC_* variable can: setting any one of them
/// switches glibc's dynamic threshold off).
/// </summary>
public static class GlibcMalloc
{
    // mallopt parameter numbers from glibc's malloc.h.
    internal const int MTrimThreshold = -1;
    internal const int MTopPad = -2;
    internal const int MMmapThreshold = -3;

    /// <summary>
    /// What is set, and why these (measured with MALLOC_* variables on a CNN trial, minor faults per run): the gain
    /// needs the first two together. Setting any one parameter switches glibc's dynamic threshold off, so
    /// M_TRIM_THRESHOLD alone leaves the mmap threshold at 128 KiB and every larger block mapped (1.6 M faults, worse
    /// than the defaults' 0.5-1.5 M); a 32 MiB threshold (glibc's own ceiling for the dynamic one) with no trimming
    /// still maps evaluation chunks every epoch (0.27-0.30 M); 1 GiB with no trimming reaches the floor of the
    /// first touch of the data (0.18-0.20 M). Debian 12's glibc 2.36 accepts thresholds above 32 MiB (mallopt
    /// returns 1 and a 60 MiB block then comes from the heap). mallopt takes an int, so the 4294967296 of an
    /// environment-variable recipe cannot be passed: it would truncate to 0, which for M_MMAP_THRESHOLD means
    /// "map everything".
    /// </summary>
    internal static readonly IReadOnlyList<(string Name, int Parameter, int Value)> Settings =
    [
        // Blocks up to 1 GiB come from the heap and are reused; only larger ones are mapped for themselves.
        ("M_MMAP_THRESHOLD", MMmapThreshold, 1 << 30),
        // Never give the top of the heap back (glibc's default: above 128 KiB, or twice the dynamic mmap threshold).
        ("M_TRIM_THRESHOLD", MTrimThreshold, int.MaxValue),
        // Grow by 64 MiB at a time; for non-main threads' heaps (64 MiB each) this also keeps an emptied heap
        // from being unmapped, which M_TRIM_THRESHOLD alone does not prevent.
        ("M_TOP_PAD", MTopPad, 64 << 20),
    ];

    /// <summary>One mallopt call and what glibc answered (1 accepted, 0 refused).</summary>
    public sealed record Setting(string Name, int Value, int Result)
    {
        public bool Accepted => Result == 1;
    }

    /// <summary>The outcome for this process: the glibc version and the settings made, or why nothing was done.</summary>
    public sealed record Tuning(string? GlibcVersion, IReadOnlyList<Setting> Settings, string? SkippedBecause)
    {
        public bool Applied => Settings.Count > 0 && Settings.All(s => s.Accepted);
    }

    /// <summary>The C library's entry points, so the decision logic can be tested without glibc.</summary>
    internal interface ILibC
    {
        /// <summary>glibc's version, or null when the C library is not glibc.</summary>
        string? GlibcVersion();

        int Mallopt(int parameter, int value);
    }

    private static readonly Lock Gate = new();
    private static Tuning? _current;

    /// <summary>What <see cref="EnsureTuned"/> did in this process (null before it ran).</summary>
    public static Tuning? Current => _current;

    /// <summary>Tunes malloc once per process; idempotent and thread-safe.</summary>
    public static Tuning EnsureTuned()
    {
        if (_current is { } done) return done;
        lock (Gate)
        {
            return _current ??= OperatingSystem.IsLinux()
                ? Tune(new NativeLibC(), Environment.GetEnvironmentVariables())
                : new Tuning(null, [], "not Linux");
        }
    }

    internal static Tuning Tune(ILibC libc, IDictionary environment)
    {
        var version = libc.GlibcVersion();
        if (version is null) return new Tuning(null, [], "the C library is not glibc");
        if (environment[OptOutVariable] as string == "default") return new Tuning(version, [], $"{OptOutVariable}=default: glibc's defaults are kept");
        if (UserSetting(environment) is { } name) return new Tuning(version, [], $"{name} is set: glibc's malloc is left as the user configured it");
        var made = Settings.Select(s => new Setting(s.Name, s.Value, libc.Mallopt(s.Parameter, s.Value))).ToList();
        return new Tuning(version, made, null);
    }

    /// <summary>Set to <c>default</c> to keep glibc's defaults (for measuring what the tuning does).</summary>
    public const string OptOutVariable = "EXPRUN_GLIBC_MALLOC";

    // glibc's own ways to set what this class sets; a user who set any of them has decided.
    private static readonly string[] UserVariables = ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_MMAP_MAX_"];
    private static readonly string[] UserTunables = ["glibc.malloc.mmap_threshold", "glibc.malloc.trim_threshold", "glibc.malloc.top_pad", "glibc.malloc.mmap_max"];

    private static string? UserSetting(IDictionary environment)
    {
        if (UserVariables.FirstOrDefault(environment.Contains) is { } variable) return variable;
        var tunables = environment["GLIBC_TUNABLES"] as string ?? "";
        return UserTunables.FirstOrDefault(t => tunables.Contains(t, StringComparison.Ordinal)) is { } tunable ? $"GLIBC_TUNABLES {tunable}" : null;
    }

    private sealed class NativeLibC : ILibC
    {
        public string? GlibcVersion()
        {
            try
            {
                return Marshal.PtrToStringUTF8(gnu_get_libc_version());
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // musl and other C libraries have no libc.so.6 or no gnu_get_libc_version.
                return null;
            }
        }

        public int Mallopt(int parameter, int value) => mallopt(parameter, value);

        [DllImport("libc.so.6")]
        private static extern IntPtr gnu_get_libc_version();

        [DllImport("libc.so.6")]
        private static extern int mallopt(int parameter, int value);
    }
}
