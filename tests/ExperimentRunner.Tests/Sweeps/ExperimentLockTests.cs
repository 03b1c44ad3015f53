using System.Text.Json;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>
/// Two runs into one folder (issue 14): the folder's lock refuses the second at once (exit 2, the holder named), lets
/// the shards of one job array share the folder, and is taken over when its holder is a dead process on this host.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ExperimentLockTests
{
    private static void WriteHolder(string path, int pid, string command = "exprun run other.yaml")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(new { pid, host = Environment.MachineName, since = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), command }));
    }

    /// <summary>A pid no process has now (so a lock naming it is stale).</summary>
    private static int DeadPid() => Enumerable.Range(3_000_000, 1000).First(p => !Directory.Exists($"/proc/{p}"));

    [SkippableFact]
    public void A_second_run_into_a_held_folder_is_refused_naming_the_holder_and_the_first_completes()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "a child process holds the folder");
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("epochs: 6", "epochs: 20"));
        var experimentDir = dir.Combine("sweep-test");
        using var first = SweepHarness.Start("run", file, "-o", dir.Path);
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!File.Exists(Path.Combine(experimentDir, ".lock")) && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(File.Exists(Path.Combine(experimentDir, ".lock")), "the first run took no lock");

        var (code, _, error) = SweepHarness.Cli("run", file, "-o", dir.Path);

        Assert.Equal(2, code);
        Assert.StartsWith($"{experimentDir}: error: another exprun run holds this folder (.lock): pid {first.Id} on host {Environment.MachineName} since ", error);
        Assert.Contains($"(exprun run {file} --output {dir.Path} --threads 1); nothing was run.", error);
        Assert.True(first.WaitForExit(TimeSpan.FromMinutes(5)), "the first run did not finish");
        Assert.True(first.ExitCode == 0, firstErr.Result);
        Assert.Contains("8 trials in", firstOut.Result);
        var aggregate = CsvText.Read(Path.Combine(experimentDir, AggregateCsv.FileName));
        var n = aggregate.Header.ToList().IndexOf("n");
        Assert.Equal(["2", "2", "2", "2"], aggregate.Rows.Select(r => r[n]));
        Assert.Equal(8, CsvText.Read(Path.Combine(experimentDir, SummaryCsv.FileName)).Rows.Count(r => r[1] == "completed"));
        Assert.False(File.Exists(Path.Combine(experimentDir, ".lock")), "the lock outlived its run");
    }

    [SkippableFact]
    public void A_lock_whose_holder_is_dead_on_this_host_is_taken_over_with_a_note()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "finds a free pid through /proc");
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("seeds: 2", "seeds: 1").Replace("epochs: 6", "epochs: 1"));
        var pid = DeadPid();
        WriteHolder(dir.Combine("sweep-test", ".lock"), pid);

        var (code, _, error) = SweepHarness.Cli("run", file, "-o", dir.Path);

        Assert.True(code == 0, error);
        Assert.Contains($"{dir.Combine("sweep-test")}: note: took over the stale lock .lock of pid {pid} on host {Environment.MachineName} since 2026-01-02 03:04:05 UTC (exprun run other.yaml): that process is gone", error);
        Assert.False(File.Exists(dir.Combine("sweep-test", ".lock")));
    }

    [Fact]
    public void Shards_share_the_folder_but_the_same_shard_and_a_whole_run_are_refused()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("seeds: 2", "seeds: 1").Replace("epochs: 6", "epochs: 1"));
        // This test process stands for shard 0 of 2 running on this host (alive).
        WriteHolder(dir.Combine("sweep-test", ".lock.shard-0-of-2"), Environment.ProcessId, "exprun run sweep.yaml --shard 0/2");

        var otherShard = SweepHarness.Cli("run", file, "-o", dir.Path, "--shard", "1/2");
        var sameShard = SweepHarness.Cli("run", file, "-o", dir.Path, "--shard", "0/2");
        var whole = SweepHarness.Cli("run", file, "-o", dir.Path);

        Assert.True(otherShard.Code == 0, otherShard.Err);
        Assert.Equal(2, sameShard.Code);
        Assert.Contains("another exprun run holds this folder (.lock.shard-0-of-2)", sameShard.Err);
        Assert.Equal(2, whole.Code);
        Assert.Contains($"another exprun run holds this folder (.lock.shard-0-of-2): pid {Environment.ProcessId}", whole.Err);
    }

    [SkippableFact]
    public void A_lock_whose_pid_a_later_process_reuses_is_stale()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "starts a sleep process");
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("seeds: 2", "seeds: 1").Replace("epochs: 6", "epochs: 1"));
        using var later = System.Diagnostics.Process.Start("sleep", "30");
        try
        {
            // The holder took the lock in January; the live process with its pid started just now.
            WriteHolder(dir.Combine("sweep-test", ".lock"), later.Id);

            var (code, _, error) = SweepHarness.Cli("run", file, "-o", dir.Path);

            Assert.True(code == 0, error);
            Assert.Contains($"took over the stale lock .lock of pid {later.Id}", error);
        }
        finally
        {
            later.Kill();
        }
    }
}
