using System.Globalization;

namespace ExperimentRunner.Core.Export;

/// <summary>
/// The arguments of <c>exprun run</c>, and the one place that writes them back as a command line: the parallel
/// sweep's worker processes, the Slurm job array and the Kubernetes Indexed Job all start exprun from
/// <see cref="ToArguments"/>, and the CLI declares its options with the names below.
/// </summary>
public sealed record RunArguments
{
    public const string SetOption = "--set";
    public const string OutputOption = "--output";
    public const string OutputAlias = "-o";
    public const string ResumeOption = "--resume";
    public const string ThreadsOption = "--threads";
    public const string ShardOption = "--shard";
    public const string DryRunOption = "--dry-run";
    public const string ParallelOption = "--parallel";
    public const string ParallelAlias = "-j";
    public const string FreshOption = "--fresh";
    public const string RestartDamagedOption = "--restart-damaged";

    public const string DefaultOutput = "results";

    public required string File { get; init; }
    /// <summary><c>--set key.path=value</c> overrides, in order.</summary>
    public IReadOnlyList<string> Set { get; init; } = [];
    public string Output { get; init; } = DefaultOutput;
    public bool Resume { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary><c>I/N</c> as given (a cluster writes a placeholder for I that its shell or kubelet expands).</summary>
    public string? Shard { get; init; }
    public int Parallel { get; init; } = 1;
    public bool DryRun { get; init; }
    public bool Fresh { get; init; }
    /// <summary>A trial whose files are damaged starts again from scratch (without it, it fails naming the file).</summary>
    public bool RestartDamaged { get; init; }

    /// <summary>
    /// The words after the program name: <paramref name="command"/>, the file, then every option that is not at its
    /// default (output and threads always, so a cluster job does not depend on the defaults of the exprun it finds).
    /// </summary>
    public IReadOnlyList<string> ToArguments(string command = "run")
    {
        var words = new List<string> { command, File, OutputOption, Output };
        if (Shard is not null) words.AddRange([ShardOption, Shard]);
        if (Resume) words.Add(ResumeOption);
        words.AddRange([ThreadsOption, Threads.ToString(CultureInfo.InvariantCulture)]);
        if (Parallel != 1) words.AddRange([ParallelOption, Parallel.ToString(CultureInfo.InvariantCulture)]);
        if (Fresh) words.Add(FreshOption);
        if (RestartDamaged) words.Add(RestartDamagedOption);
        if (DryRun) words.Add(DryRunOption);
        foreach (var assignment in Set) words.AddRange([SetOption, assignment]);
        return words;
    }
}
