using System.Diagnostics;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Fuzz;

/// <summary>What one <c>exprun</c> invocation did; <see cref="Code"/> is -1 when it ran past its time limit.</summary>
public sealed record ExprunResult(int Code, string Out, string Error, bool TimedOut, TimeSpan Elapsed);

/// <summary>
/// Runs <c>exprun</c> for the fuzz tests. In-process by default (fast: hundreds of files in a second or two). With
/// EXPRUN_FUZZ_EXE set to an exprun binary, every invocation is a child process under a memory cap instead, so a build
/// that still crashes (a stack overflow kills the whole process) or allocates without bound can be measured too: that
/// is how the before/after table of issue 14 was taken.
/// </summary>
public abstract class FuzzRunner
{
    public abstract ExprunResult Run(TimeSpan limit, params string[] args);

    /// <summary>How long a few hundred runs may take: seconds in-process, minutes when each starts a process.</summary>
    public abstract TimeSpan CorpusBudget { get; }

    /// <summary>Where temporary folders go: scratch space that must be empty again afterwards.</summary>
    public abstract void UseTempFolder(string folder);

    public abstract void RestoreTempFolder();

    public static FuzzRunner FromEnvironment() =>
        Environment.GetEnvironmentVariable("EXPRUN_FUZZ_EXE") is { Length: > 0 } exe ? new ChildProcess(exe) : new InProcess();

    private sealed class InProcess : FuzzRunner
    {
        private string? _previousTemp;

        // Not a benchmark, but a reader or rule gone quadratic would show here long before any single run's limit.
        public override TimeSpan CorpusBudget => TimeSpan.FromSeconds(40);

        public override ExprunResult Run(TimeSpan limit, params string[] args)
        {
            var clock = Stopwatch.StartNew();
            // A thread-pool thread has a smaller stack than the main thread: a reader that survives here survives there.
            var task = Task.Run(() => CliHarness.Run(args));
            if (!task.Wait(limit)) return new ExprunResult(-1, "", "", true, clock.Elapsed);
            if (task.IsFaulted) return new ExprunResult(-2, "", $"Unhandled exception: {task.Exception!.InnerException}", false, clock.Elapsed);
            var r = task.Result;
            return new ExprunResult(r.ExitCode, r.Out, r.Error, false, clock.Elapsed);
        }

        // Path.GetTempPath reads TMPDIR on every call, so smoke runs' scratch folders land where the test can see them.
        public override void UseTempFolder(string folder)
        {
            _previousTemp = Environment.GetEnvironmentVariable("TMPDIR");
            Environment.SetEnvironmentVariable("TMPDIR", folder);
        }

        public override void RestoreTempFolder() => Environment.SetEnvironmentVariable("TMPDIR", _previousTemp);
    }

    private sealed class ChildProcess(string exe) : FuzzRunner
    {
        private string? _temp;

        public override TimeSpan CorpusBudget => TimeSpan.FromMinutes(10);

        public override ExprunResult Run(TimeSpan limit, params string[] args)
        {
            // 8 GB of address space: a model that wants 40 GB fails fast instead of taking the machine down.
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in (string[])["-c", "ulimit -v 8000000; exec \"$0\" \"$@\"", exe, .. args]) info.ArgumentList.Add(a);
            info.Environment["DOTNET_GCHeapHardLimit"] = "0x80000000";
            if (_temp is not null) info.Environment["TMPDIR"] = _temp;
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new ExprunResult(-1, stdout.Result, stderr.Result, true, clock.Elapsed);
            }
            return new ExprunResult(process.ExitCode, stdout.Result, stderr.Result, false, clock.Elapsed);
        }

        public override void UseTempFolder(string folder) => _temp = folder;

        public override void RestoreTempFolder() => _temp = null;
    }
}
