using System.CommandLine;
using ExperimentRunner.Cli;
using ExperimentRunner.Cli.Commands;
using ExperimentRunner.Cli.Parallel;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Export;

namespace ExperimentRunner.Tests.Cli;

/// <summary>One record for run's arguments, one way to write it as a command line, one declaration of the options.</summary>
public sealed class RunArgumentsTests
{
    private static readonly RunArguments Everything = new()
    {
        File = "/exp/sweep file.yaml",
        Set = ["training.epochs=2", "loss={name: huber, delta: 0.5}"],
        Output = "/shared/results",
        Resume = true,
        Threads = 3,
        Shard = "1/4",
        Parallel = 2,
        DryRun = true,
        Fresh = true,
    };

    private static RunArguments Parse(IReadOnlyList<string> words)
    {
        var options = new RunOptionSet();
        var command = new Command(words[0]);
        options.AddTo(command, Catalogs.Default);
        var root = new RootCommand { command };
        var parse = root.Parse(words.ToArray());
        Assert.Empty(parse.Errors);
        return options.Bind(parse);
    }

    [Fact]
    public void The_written_command_line_parses_back_to_the_same_arguments()
    {
        var words = Everything.ToArguments();

        Assert.Equal(
            ["run", "/exp/sweep file.yaml", "--output", "/shared/results", "--shard", "1/4", "--resume", "--threads", "3", "--parallel", "2", "--fresh", "--dry-run",
             "--set", "training.epochs=2", "--set", "loss={name: huber, delta: 0.5}"],
            words);
        var back = Parse(words);
        Assert.Equal(words, back.ToArguments());
        Assert.Equal(Everything with { Set = back.Set }, back);
        Assert.Equal(Everything.Set, back.Set);
    }

    [Fact]
    public void Defaults_are_left_out_but_output_and_threads()
    {
        Assert.Equal(["run", "f.yaml", "--output", "results", "--threads", "1"], new RunArguments { File = "f.yaml" }.ToArguments());
    }

    [Fact]
    public void The_worker_command_takes_exactly_runs_options()
    {
        var root = ExprunCli.Build(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System, TestRuntime.Instance));
        string[] Names(string command) => root.Subcommands.Single(c => c.Name == command).Options.Select(o => string.Join("|", [o.Name, .. o.Aliases.Order()])).Order().ToArray();

        Assert.Equal(Names("run"), Names(WorkerProtocol.CommandName));
        Assert.True(root.Subcommands.Single(c => c.Name == WorkerProtocol.CommandName).Hidden);
    }

    [Fact]
    public void Cluster_tasks_run_their_shard_with_resume_and_one_thread()
    {
        var settings = new ExportSettings { Run = Everything with { Threads = 4 }, ExperimentName = "e", Trials = 8, Tasks = 4 };

        var task = settings.TaskRun("$(INDEX)");

        Assert.Equal(("$(INDEX)/4", true, 1, false, false), (task.Shard, task.Resume, task.Threads, task.DryRun, task.Fresh));
        Assert.Equal(Everything.File, task.File);
        Assert.Equal(Everything.Set, task.Set);
    }
}
