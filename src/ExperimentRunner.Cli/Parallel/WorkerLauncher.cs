using System.Diagnostics;

namespace ExperimentRunner.Cli.Parallel;

/// <summary>Starts another exprun process: the apphost when there is one, else <c>dotnet exprun.dll</c>.</summary>
public static class WorkerLauncher
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var dir = AppContext.BaseDirectory;
        var apphost = Path.Combine(dir, OperatingSystem.IsWindows() ? "exprun.exe" : "exprun");
        var dll = Path.Combine(dir, "exprun.dll");
        ProcessStartInfo info;
        if (File.Exists(apphost))
        {
            info = new ProcessStartInfo(apphost);
        }
        else if (File.Exists(dll))
        {
            info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet");
            info.ArgumentList.Add(dll);
        }
        else
        {
            throw new FileNotFoundException($"cannot start worker processes: neither {apphost} nor {dll} exists");
        }
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        return info;
    }
}
