using System.Reflection;
using System.Runtime.InteropServices;
using ExperimentRunner.Core.Results;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Running;

/// <summary>Versions recorded in run.json, so a number can be traced to the code and libraries that made it.</summary>
public static class RuntimeInfo
{
    public static RuntimeVersions Versions { get; } = new(
        typeof(RuntimeInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0",
        typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "",
        LibTorchVersion(),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription);

    private static string LibTorchVersion()
    {
        try
        {
            return __version__;
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException)
        {
            return "";
        }
    }

    /// <summary>Sets torch's intra-op threads once per process; small models are fastest with one.</summary>
    public static void UseThreads(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }
}
