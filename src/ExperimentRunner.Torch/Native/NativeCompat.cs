using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>
/// Makes TorchSharp's native library loadable on Linux hosts whose libstdc++ lacks GLIBCXX_3.4.32
/// (e.g. Debian 12). The build (build/TorchSharpNativeFix.targets) weakens that one version
/// reference in the output copy of libLibTorchSharp.so and builds <see cref="ShimFileName"/> next to
/// it; this class loads the shim with RTLD_NOW | RTLD_GLOBAL so that the single symbol it provides,
/// std::ios_base_library_init(), is visible when TorchSharp loads libLibTorchSharp.so.
/// Where the build made no shim (Windows, macOS, newer Linux), this does nothing.
/// </summary>
public static class NativeCompat
{
    /// <summary>File name of the shim the build produces.</summary>
    public const string ShimFileName = "libexprun_glibcxx_shim.so";

    private const int RtldNow = 0x002;
    private const int RtldGlobal = 0x100;

    private static readonly Lock Gate = new();
    private static volatile bool _done;
    private static string? _loadedPath;

    /// <summary>Path of the shim that was loaded, or null when none was needed or found.</summary>
    public static string? LoadedShimPath => _loadedPath;

    /// <summary>
    /// Loads the shim if the build put one next to the application. Call before the first
    /// <c>torch.*</c> call; idempotent and thread-safe. Throws <see cref="InvalidOperationException"/>
    /// if a shim exists but cannot be loaded.
    /// </summary>
    public static void EnsureLoaded()
    {
        if (_done)
        {
            return;
        }

        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            if (OperatingSystem.IsLinux())
            {
                var path = FindShim();
                if (path is not null)
                {
                    Load(path);
                    _loadedPath = path;
                }
            }

            _done = true;
        }
    }

    private static string? FindShim() => NativeFiles.InBuildOutput(ShimFileName);

    private static void Load(string path)
    {
        IntPtr handle;
        bool useLibDl = false;
        try
        {
            handle = LibC.dlopen(path, RtldNow | RtldGlobal);
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.34 keeps dlopen in libdl.so.2.
            useLibDl = true;
            handle = LibDl.dlopen(path, RtldNow | RtldGlobal);
        }

        if (handle == IntPtr.Zero)
        {
            var error = useLibDl ? LibDl.dlerror() : LibC.dlerror();
            var text = error == IntPtr.Zero ? "unknown error" : Marshal.PtrToStringUTF8(error);
            throw new InvalidOperationException(
                $"Could not load the libstdc++ compatibility shim '{path}' that TorchSharp needs on this host: {text}");
        }
    }

    // "libc.so.6", not "libc": libc.so is a linker script from the dev package, not a loadable library.
    private static class LibC
    {
        [DllImport("libc.so.6", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string fileName, int flags);

        [DllImport("libc.so.6")]
        internal static extern IntPtr dlerror();
    }

    private static class LibDl
    {
        [DllImport("libdl.so.2", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
        internal static extern IntPtr dlopen([MarshalAs(UnmanagedType.LPUTF8Str)] string fileName, int flags);

        [DllImport("libdl.so.2")]
        internal static extern IntPtr dlerror();
    }
}
