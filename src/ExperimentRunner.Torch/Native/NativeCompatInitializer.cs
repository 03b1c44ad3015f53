using System.Runtime.CompilerServices;

namespace ExperimentRunner.Torch.Native;

internal static class NativeCompatInitializer
{
    // CA2255 warns that module initializers are meant for source generators and special cases.
    // This is such a case: the libstdc++ shim must be loaded before any TorchSharp call made through
    // this assembly, and its callers cannot be relied on to call NativeCompat.EnsureLoaded() first.
    // glibc's malloc is tuned here too, and the fill of libtorch's CPU allocations set when EXPRUN_ALLOC_FILL asks
    // (after the shim: libc10 is loaded for it), so every process that trains through this assembly (a single trial,
    // a sweep's workers, validate --smoke, a test host) gets them without anyone asking.
#pragma warning disable CA2255
    [ModuleInitializer]
    internal static void Initialize()
    {
        GlibcMalloc.EnsureTuned();
        NativeCompat.EnsureLoaded();
        AllocationFill.EnsureSet();
    }
#pragma warning restore CA2255
}
