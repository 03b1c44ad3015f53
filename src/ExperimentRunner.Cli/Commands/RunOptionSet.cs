using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Export;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// The argument and options of <c>exprun run</c>, declared once: <c>run</c> and the hidden worker command each add a
/// fresh set (a symbol belongs to one command) and bind it to the same <see cref="RunArguments"/> record, whose
/// <see cref="RunArguments.ToArguments"/> writes the command line back with the same names.
/// </summary>
public sealed class RunOptionSet
{
    private readonly Argument<string> _file = new("file") { Description = "experiment file (.yaml, .yml or .json)" };
    private readonly Option<string[]> _set = new(RunArguments.SetOption)
    {
        Description = "override a key: --set optimizer.lr=0.01 (repeatable; values are YAML)",
        HelpName = "key=value",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<string> _output = new(RunArguments.OutputOption, RunArguments.OutputAlias)
    {
        Description = "results folder; trials go to DIR/<name>/trials/",
        HelpName = "dir",
        DefaultValueFactory = _ => RunArguments.DefaultOutput,
    };
    private readonly Option<bool> _resume = new(RunArguments.ResumeOption)
    {
        Description = "continue unfinished trials from their last checkpoint (completed trials are always skipped)",
    };
    private readonly Option<int> _threads = new(RunArguments.ThreadsOption)
    {
        Description = "torch threads per trial (small models train fastest with one)",
        HelpName = "n",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<string?> _shard = new(RunArguments.ShardOption)
    {
        Description = "run only trials whose index mod N is I, e.g. 0/4",
        HelpName = "I/N",
    };
    private readonly Option<bool> _dryRun = new(RunArguments.DryRunOption) { Description = "print the trials that would run; train and write nothing" };
    private readonly Option<int> _parallel = new(RunArguments.ParallelOption, RunArguments.ParallelAlias)
    {
        Description = "worker processes running trials side by side (1: in this process)",
        HelpName = "n",
        DefaultValueFactory = _ => 1,
    };
    private readonly Option<bool> _fresh = new(RunArguments.FreshOption)
    {
        Description = "start the experiment's folder afresh: move what it holds to DIR/<name>.old-<UTC time> (nothing is deleted)",
    };

    private readonly Option<bool> _restartDamaged = new(RunArguments.RestartDamagedOption)
    {
        Description = "train again from scratch a trial whose files are damaged (run.json, metrics.csv, checkpoints, resume state); without it such a trial fails naming the file",
    };

    public void AddTo(Command command, Catalogs catalogs)
    {
        _file.CompletionSources.Add(PathCompletion.Files(PathCompletion.ExperimentFiles));
        _set.CompletionSources.Add(context => new SetKeyCompletion(catalogs).Complete(context.WordToComplete));
        _output.CompletionSources.Add(PathCompletion.Folders());
        command.Arguments.Add(_file);
        foreach (var option in new Option[] { _set, _output, _resume, _threads, _shard, _dryRun, _parallel, _fresh, _restartDamaged }) command.Options.Add(option);
    }

    public RunArguments Bind(ParseResult parse) => new()
    {
        File = parse.GetValue(_file)!,
        Set = parse.GetValue(_set) ?? [],
        Output = parse.GetValue(_output)!,
        Resume = parse.GetValue(_resume),
        Threads = parse.GetValue(_threads),
        Shard = parse.GetValue(_shard),
        DryRun = parse.GetValue(_dryRun),
        Parallel = parse.GetValue(_parallel),
        Fresh = parse.GetValue(_fresh),
        RestartDamaged = parse.GetValue(_restartDamaged),
    };
}
