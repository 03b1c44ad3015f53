using System.Diagnostics;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

[Collection(TorchCollection.Name)]
public sealed class WorkerCrashTests
{
    /// <summary>A worker killed mid-trial (as a native crash would) costs that trial only; the sweep goes on.</summary>
    [SkippableFact]
    public void AKilledWorkerFailsOneTrialAndTheSweepFinishes()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "finds worker processes through /proc");
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("epochs: 6", "epochs: 60"));
        using var sweep = SweepHarness.Start("run", file, "-o", dir.Path, "--parallel", "2");
        var output = sweep.StandardOutput.ReadToEndAsync();
        var victim = WaitForWorker(sweep.Id, TimeSpan.FromSeconds(60));
        // Kill only once both workers are inside a trial, so exactly one trial is lost.
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (SweepHarness.Manifests(dir.Combine("sweep-test")).Count(m => m.StatusValue == TrialStatus.Running) < 2 && DateTime.UtcNow < deadline)
            Thread.Sleep(20);
        Process.GetProcessById(victim).Kill();
        Assert.True(sweep.WaitForExit(TimeSpan.FromMinutes(4)), "sweep did not finish after a worker was killed");

        Assert.True(1 == sweep.ExitCode, $"exit {sweep.ExitCode}, victim {victim}: {output.Result}"); // a failed trial makes the exit code 1
        var manifests = SweepHarness.Manifests(dir.Combine("sweep-test")).ToList();
        Assert.Equal(8, manifests.Count);
        var failed = Assert.Single(manifests, m => m.StatusValue == TrialStatus.Failed);
        Assert.Contains("worker process exited with code 137 while running this trial", failed.Error);
        Assert.All(manifests.Where(m => m != failed), m => Assert.True(m.StatusValue.IsTerminal()));
        var summary = CsvText.Read(dir.Combine("sweep-test", SummaryCsv.FileName));
        Assert.Equal(8, summary.Rows.Count);
        Assert.Contains(summary.Rows, r => r[1] == "failed" && r[^1].Contains("worker process exited"));
        Assert.Contains("1 failed", output.Result);
    }

    private static int WaitForWorker(int parent, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            foreach (var stat in Directory.EnumerateDirectories("/proc").Select(d => Path.Combine(d, "stat")))
            {
                try
                {
                    var text = File.ReadAllText(stat);
                    var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
                    if (int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) == parent)
                        return int.Parse(Path.GetFileName(Path.GetDirectoryName(stat)!), System.Globalization.CultureInfo.InvariantCulture);
                }
                catch (Exception ex) when (ex is IOException or FormatException or UnauthorizedAccessException)
                {
                }
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException("no worker process appeared");
    }
}
