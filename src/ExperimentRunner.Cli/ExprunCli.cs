using System.CommandLine;
using ExperimentRunner.Cli.Commands;

namespace ExperimentRunner.Cli;

/// <summary>Builds the command tree; each command lives in its own file under Commands/.</summary>
public static class ExprunCli
{
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("exprun: train TorchSharp models from experiment files and compare loss x activation combinations");
        // The root is named after the running executable; completion parses lines that start with the command as
        // the user typed it, which is exprun even where the host is not (dotnet exprun.dll, a test host).
        if (root.Name != "exprun") root.Aliases.Add("exprun");
        root.Subcommands.Add(RunCommand.Create(context));
        root.Subcommands.Add(ValidateCommand.Create(context));
        root.Subcommands.Add(ListCommand.Create(context));
        root.Subcommands.Add(SchemaCommand.Create(context));
        root.Subcommands.Add(CompareCommand.Create(context));
        root.Subcommands.Add(ReportCommand.Create(context));
        root.Subcommands.Add(PredictCommand.Create(context));
        root.Subcommands.Add(CollectCommand.Create(context));
        root.Subcommands.Add(CheckCommand.Create(context));
        root.Subcommands.Add(ExportCommand.Create(context));
        root.Subcommands.Add(CompletionCommand.Create(context));
        root.Subcommands.Add(WorkerCommand.Create(context));
        return root;
    }

    public static int Run(string[] args, CliContext context)
    {
        var root = Build(context);
        var parse = root.Parse(args);
        // Our guard, not the library's handler (which prints the stack trace): one line, exit code 1.
        var config = new InvocationConfiguration { Output = context.Out, Error = context.Error, EnableDefaultExceptionHandler = false };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) context.Error.WriteLine($"error: {error.Message}");
            context.Error.WriteLine("Run 'exprun --help' (or 'exprun COMMAND --help') for usage.");
            return ExitCodes.UsageError;
        }
        return TopLevelGuard.Run(context, () => parse.Invoke(config));
    }
}
