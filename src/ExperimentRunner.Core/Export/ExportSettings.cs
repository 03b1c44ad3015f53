namespace ExperimentRunner.Core.Export;

/// <summary>What a cluster job needs to know to run a sweep's trials shard by shard.</summary>
public sealed record ExportSettings
{
    /// <summary>
    /// The <c>exprun run</c> every task starts: the file as the cluster sees it (absolute path for Slurm; k8s mounts
    /// it), the results folder, the overrides and the worker processes per task. Each task adds its shard,
    /// <c>--resume</c> and one thread.
    /// </summary>
    public required RunArguments Run { get; init; }
    public required string ExperimentName { get; init; }
    public required int Trials { get; init; }
    /// <summary>
    /// What a shard splits: trials, or for a tuned sweep cells (a cell's tuning decides its reported trials, so one task
    /// tunes a cell and runs its seeds; tasks never share a cell).
    /// </summary>
    public string Unit { get; init; } = "trial";
    /// <summary>Array tasks; each runs shard I/Tasks. Equal to <see cref="Trials"/> means one trial per task.</summary>
    public required int Tasks { get; init; }
    public int CpusPerTask { get; init; } = 1;
    public string Memory { get; init; } = "2G";
    public string Time { get; init; } = "01:00:00";
    public string? Partition { get; init; }
    /// <summary>How to invoke exprun on the cluster (a path, or e.g. "dotnet /opt/exprun/exprun.dll").</summary>
    public string Exprun { get; init; } = "exprun";
    /// <summary>Concurrent array tasks (Slurm %N; k8s parallelism); 0 means no limit / Tasks.</summary>
    public int MaxConcurrent { get; init; }
    public string Image { get; init; } = "exprun:latest";
    public string VolumeClaim { get; init; } = "exprun-results";
    public string ExperimentText { get; init; } = "";

    public int TrialsPerTask => (Trials + Tasks - 1) / Tasks;

    /// <summary>The command line of array task <paramref name="taskIndex"/> (a placeholder the cluster expands).</summary>
    public RunArguments TaskRun(string taskIndex) =>
        Run with { Shard = $"{taskIndex}/{Tasks.ToString(System.Globalization.CultureInfo.InvariantCulture)}", Resume = true, Threads = 1, DryRun = false, Fresh = false };
}
