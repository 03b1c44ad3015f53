using System.Diagnostics;
using ExperimentRunner.Cli;
using ExperimentRunner.Cli.Commands;

namespace ExperimentRunner.Tests.Completion;

/// <summary>
/// The script <c>exprun completion bash</c> prints, run by bash the way bash runs a completion function: COMP_LINE,
/// COMP_POINT, COMP_WORDS (split at bash's word breaks, '=' among them) and COMP_CWORD set, the function called with
/// the command word, COMPREPLY read back. The function calls the exprun built next to the tests.
/// </summary>
public sealed class BashCompletionScriptTests : IDisposable
{
    private static readonly string Exprun = Path.Combine(AppContext.BaseDirectory, "exprun");
    private readonly TempDir _temp = new();

    [Fact]
    public void Completion_bash_prints_the_script_and_other_shells_are_refused()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ExprunCli.Run(["completion", "bash"], new CliContext(output, error, TimeProvider.System, TestRuntime.Instance));

        Assert.Equal(0, code);
        Assert.Equal(CompletionCommand.Script(), output.ToString());
        Assert.Contains("complete -F _exprun_complete exprun", output.ToString());

        var refused = new StringWriter();
        Assert.Equal(ExitCodes.UsageError, ExprunCli.Run(["completion", "zsh"], new CliContext(new StringWriter(), refused, TimeProvider.System, TestRuntime.Instance)));
        Assert.Equal("error: completion: 'zsh' is not supported; supported: bash\n", refused.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_partial_command_completes_to_that_command_alone()
    {
        Assert.Equal(["list"], Complete("exprun li", ["exprun", "li"]));
    }

    [Fact]
    public void Catalog_kinds_after_list_without_the_options()
    {
        Assert.Equal(["losses"], Complete("exprun list lo", ["exprun", "list", "lo"]).Where(c => c != "loggers").ToList());
        Assert.Equal(["loggers", "losses"], Complete("exprun list lo", ["exprun", "list", "lo"]));
        Assert.Equal(10, Complete("exprun list ", ["exprun", "list", ""]).Count);
    }

    [Fact]
    public void Options_once_a_dash_is_typed()
    {
        Assert.Equal(["--set", "--shard"], Complete("exprun run a.yaml --s", ["exprun", "run", "a.yaml", "--s"]));
    }

    [Fact]
    public void A_value_after_an_equals_sign_replaces_only_the_part_bash_split_off()
    {
        // bash splits "loss=hu" into "loss", "=", "hu" and replaces only "hu".
        Assert.Equal(["huber"], Complete("exprun run a.yaml --set loss=hu", ["exprun", "run", "a.yaml", "--set", "loss", "=", "hu"]));
        // Right after the '=', the current word is the '=' itself.
        Assert.Equal(["=cnn", "=mlp", "=sequential"], Complete("exprun run a.yaml --set model.architecture=", ["exprun", "run", "a.yaml", "--set", "model.architecture", "="]));
    }

    [Fact]
    public void A_key_or_a_folder_alone_leaves_the_cursor_after_it()
    {
        Assert.Equal(["training.epochs="], Complete("exprun run a.yaml --set training.ep", ["exprun", "run", "a.yaml", "--set", "training.ep"]));
        Directory.CreateDirectory(_temp.Combine("configs"));
        var partial = _temp.Combine("conf");
        Assert.Equal([_temp.Combine("configs") + "/"], Complete($"exprun run {partial}", ["exprun", "run", partial]));
    }

    [Fact]
    public void The_cursor_position_decides_what_is_completed()
    {
        const string line = "exprun li --help";
        Assert.Equal(["list"], Complete(line, ["exprun", "li", "--help"], point: "exprun li".Length, cword: 1));
    }

    /// <summary>COMPREPLY after the script's function ran for <paramref name="line"/> with the cursor at <paramref name="point"/>.</summary>
    private List<string> Complete(string line, string[] words, int? point = null, int? cword = null)
    {
        var script = _temp.Write("exprun.bash", CompletionCommand.Script());
        var driver = _temp.Write("drive.sh", """
            source "$1"
            COMP_LINE=$2 COMP_POINT=$3 COMP_CWORD=$4
            shift 4
            exe=$1
            shift
            COMP_WORDS=("$@")
            _exprun_complete "$exe"
            printf '%s\n' "${COMPREPLY[@]}"
            """);
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { driver, script, line, (point ?? line.Length).ToString(), (cword ?? words.Length - 1).ToString(), Exprun }.Concat(words))
            info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "bash did not finish within 60 s");
        Assert.Equal("", stderr);
        Assert.Equal(0, process.ExitCode);
        return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    public void Dispose() => _temp.Dispose();
}
