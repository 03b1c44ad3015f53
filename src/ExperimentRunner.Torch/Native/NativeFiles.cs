using System.Runtime.InteropServices;

namespace ExperimentRunner.Torch.Native;

/// <summary>Where the build output keeps a native library: NuGet's runtimes/&lt;rid&gt;/native folder, or next to the assemblies (a flat publish).</summary>
internal static class NativeFiles
{
    /// <summary>The library's path in this process's build output, or null where it is in neither place.</summary>
    public static string? InBuildOutput(string fileName)
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var rid = $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";
        foreach (var path in new[] { Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", fileName), Path.Combine(AppContext.BaseDirectory, fileName) })
        {
            if (File.Exists(path)) return path;
        }
        return null;
    }
}
