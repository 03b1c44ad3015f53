using ExperimentRunner.Core.IO;
using System.CommandLine;
using ExperimentRunner.Cli.Completion;
using System.Text;
using ExperimentRunner.Core.Schema;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>exprun schema [-o FILE]</c>: the JSON Schema of experiment files, for editor completion.</summary>
public static class SchemaCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "write the schema to this file (atomically) instead of printing it",
        };
        output.CompletionSources.Add(PathCompletion.Files());
        var command = new Command("schema", "print the JSON Schema (draft 2020-12) of experiment files, for editor completion and checking");
        command.Options.Add(output);
        command.SetAction(parse => Execute(context, parse.GetValue(output)));
        return command;
    }

    private static int Execute(CliContext context, FileInfo? output)
    {
        var schema = JsonSchemaWriter.Write(context.Catalogs);
        if (output is null)
        {
            context.Out.Write(schema);
            return ExitCodes.Ok;
        }
        try
        {
            AtomicFile.WriteAllText(output.FullName, schema);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{output}: error: cannot write the schema: {ex.Message}");
            return ExitCodes.UsageError;
        }
        context.Out.WriteLine($"wrote {output}");
        return ExitCodes.Ok;
    }
}
