using System.CommandLine;
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
            WriteAtomically(output.FullName, schema);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine($"{output}: error: cannot write the schema: {ex.Message}");
            return ExitCodes.UsageError;
        }
        context.Out.WriteLine($"wrote {output}");
        return ExitCodes.Ok;
    }

    /// <summary>Temp file in the same folder, then a rename: a reader never sees half a schema.</summary>
    private static void WriteAtomically(string path, string text)
    {
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
