using System.CommandLine;

namespace ExperimentRunner.Cli.Commands;

/// <summary>
/// <c>exprun completion bash</c>: prints a bash completion script. The script asks exprun itself for the
/// candidates (System.CommandLine's <c>[suggest:N]</c> directive), so it works offline and needs no other tool.
/// </summary>
public static class CompletionCommand
{
    public static readonly string[] Shells = ["bash"];

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "the shell to print a completion script for: bash" };
        shell.CompletionSources.Add(Shells);
        var command = new Command("completion", "print a shell completion script: eval \"$(exprun completion bash)\"") { shell };
        command.SetAction(parse => Execute(context, parse.GetValue(shell)!));
        return command;
    }

    private static int Execute(CliContext context, string shell)
    {
        if (!Shells.Contains(shell))
        {
            // No "did you mean": another shell's name is a choice, not a typo of bash.
            context.Error.WriteLine($"error: completion: '{shell}' is not supported; supported: {string.Join(", ", Shells)}");
            return ExitCodes.UsageError;
        }
        context.Out.Write(Script());
        return ExitCodes.Ok;
    }

    /// <summary>The script, embedded from Completion/exprun.bash.</summary>
    public static string Script()
    {
        using var stream = typeof(CompletionCommand).Assembly.GetManifestResourceStream("exprun.bash")
            ?? throw new InvalidOperationException("the bash completion script is not embedded in exprun.dll");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
