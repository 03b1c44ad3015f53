using System.Diagnostics;
using System.Text.RegularExpressions;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>
/// A real Slurm job array: export the sweep, submit it to the local one-node cluster (.ci/run starts it with
/// tests/slurm/start-local-slurm.sh), wait, and check the collected results equal a local run.
/// Skipped, with the reason shown, where no cluster answers; under CI=true a missing cluster fails it.
/// </summary>
[Collection("torch")]
public sealed class SlurmEndToEndTests
{
    private const string Sweep = """
        name: slurm-e2e
        seed: 1
        dataset: {name: moons, samples: 240, noise: 0.1}
        model: {architecture: mlp, hidden: [8]}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.02}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {layer_stats: false}
        sweep:
          parameters:
            loss: [cross_entropy, mse]
            model.activation: [relu, tanh]
          seeds: 2
        """;

    [SkippableFact]
    public void JobArrayResultsEqualALocalRun()
    {
        RequiredService.SkipUnless(ClusterAnswers(out var why), why);
        var root = Directory.CreateTempSubdirectory("exprun-slurm-").FullName;
        var file = Path.Combine(root, "sweep.yaml");
        File.WriteAllText(file, Sweep);
        var local = Path.Combine(root, "local");
        var cluster = Path.Combine(root, "cluster");
        var script = Path.Combine(root, "job.sh");

        Assert.Equal(0, SweepHarness.Cli("run", file, "-o", local).Code);
        var exprun = Path.Combine(AppContext.BaseDirectory, "exprun");
        Assert.Equal(0, SweepHarness.Cli("export", "slurm", file, "--tasks", "4", "--results", cluster, "--exprun", exprun, "-o", script).Code);

        var submitted = Shell("bash", script);
        var ids = Regex.Match(submitted, @"submitted array job (\d+) \(4 tasks\) and collect job (\d+)");
        Assert.True(ids.Success, $"unexpected sbatch output: {submitted}");
        WaitForJobs(ids.Groups[1].Value, ids.Groups[2].Value, TimeSpan.FromMinutes(10));

        var experiment = Path.Combine(cluster, "slurm-e2e");
        Assert.True(File.Exists(Path.Combine(experiment, SummaryCsv.FileName)), "collect did not run: " + string.Join("\n", Directory.GetFiles(Path.Combine(experiment, "slurm")).Select(File.ReadAllText)));
        Assert.Equal(SweepHarness.WithoutTimes(Path.Combine(local, "slurm-e2e", SummaryCsv.FileName)), SweepHarness.WithoutTimes(Path.Combine(experiment, SummaryCsv.FileName)));
        Assert.Equal(SweepHarness.WithoutTimes(Path.Combine(local, "slurm-e2e", AggregateCsv.FileName)), SweepHarness.WithoutTimes(Path.Combine(experiment, AggregateCsv.FileName)));
        Assert.Equal(8, CsvText.Read(Path.Combine(experiment, SummaryCsv.FileName)).Rows.Count);
    }

    private static bool ClusterAnswers(out string why)
    {
        why = "no Slurm cluster: sbatch/sinfo not found or not answering (start one with tests/slurm/start-local-slurm.sh, as .ci/run does)";
        try
        {
            var output = Shell("sinfo", "-h", "-o", "%t");
            return output.Contains("idle") || output.Contains("mix") || output.Contains("alloc");
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private static void WaitForJobs(string array, string collect, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (Shell("squeue", "-h", "-j", $"{array},{collect}").Trim().Length == 0) return;
            Thread.Sleep(1000);
        }
        throw new TimeoutException($"Slurm jobs {array} and {collect} still queued after {timeout}");
    }

    private static string Shell(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited {p.ExitCode}: {stderr}");
        return stdout;
    }
}
