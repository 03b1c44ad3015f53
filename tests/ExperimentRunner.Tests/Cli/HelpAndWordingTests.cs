using System.CommandLine;
using System.Text.RegularExpressions;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Text;
using ExperimentRunner.Tests.Sweeps;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Cli;

/// <summary>Honest help and consistent wording: one meaning per flag, each default once, no "1 trials".</summary>
public sealed partial class HelpAndWordingTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private const string OneTrial = """
        name: one
        dataset: {name: moons, samples: 100}
        model: {architecture: mlp, hidden: [4]}
        loss: cross_entropy
        training: {epochs: 1}
        """;

    /// <summary>Every visible command path: run, export slurm, ...</summary>
    public static TheoryData<string> Commands()
    {
        var root = ExprunCli.Build(new CliContext(TextWriter.Null, TextWriter.Null, TimeProvider.System, TestRuntime.Instance));
        var data = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            foreach (var sub in command.Subcommands.Where(c => !c.Hidden))
            {
                var subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                data.Add(subPath);
                Walk(sub, subPath);
            }
        }
        Walk(root, "");
        return data;
    }

    private static string Help(string command) => CliHarness.Run([.. command.Split(' '), "--help"]).Out;

    [Theory]
    [MemberData(nameof(Commands))]
    public void Help_shows_each_default_once(string command)
    {
        var help = Help(command);

        Assert.Contains("Usage:", help);
        Assert.DoesNotMatch(DefaultInDescription(), help);
    }

    [Fact]
    public void The_run_options_say_their_defaults_in_brackets()
    {
        var help = Help("run");

        Assert.Matches(@"-o, --output <dir>\s+results folder; trials go to DIR/<name>/trials/ \[default: results\]\n", help);
        Assert.Matches(@"--threads <n>\s+torch threads per trial \(small models train fastest with one\) \[default: 1\]\n", help);
    }

    [Fact]
    public void Each_export_target_lists_only_its_own_options()
    {
        var slurm = Help("export slurm");
        var k8s = Help("export k8s");

        foreach (var shared in new[] { "-o, --output <file>", "--set <key=value>", "--tasks <n>", "--parallel <n>", "--cpus-per-task <n>", "--mem <size>", "--max-concurrent <n>", "--exprun <command>" })
        {
            Assert.Contains(shared, slurm);
            Assert.Contains(shared, k8s);
        }
        foreach (var own in new[] { "--results <dir>", "--time <hh:mm:ss>", "--partition <name>" })
        {
            Assert.Contains(own, slurm);
            Assert.DoesNotContain(own.Split(' ')[0], k8s);
        }
        foreach (var own in new[] { "--image <image>", "--volume-claim <name>" })
        {
            Assert.Contains(own, k8s);
            Assert.DoesNotContain(own.Split(' ')[0], slurm);
        }
    }

    [Fact]
    public void Export_output_is_the_file_to_write_and_results_the_folder_the_tasks_write_to()
    {
        var file = _temp.Write("one.yaml", OneTrial);
        var script = _temp.Combine("job.sh");

        var result = CliHarness.Run("export", "slurm", file, "--output", script, "--results", _temp.Combine("shared"));
        var folder = CliHarness.Run("export", "slurm", file, "-o", _temp.Path);

        Assert.Equal((0, $"wrote {script}: 1 trial in 1 task\n"), (result.ExitCode, result.Out));
        Assert.Contains($"$EXPRUN run {file} --output {_temp.Combine("shared")} --shard \"${{SLURM_ARRAY_TASK_ID}}/1\" --resume --threads 1\n", File.ReadAllText(script));
        Assert.Equal((2, $"error: --output: '{_temp.Path}' is a folder; give the file to write (the results folder the tasks write to is --results)\n"), (folder.ExitCode, folder.Error));
    }

    [Fact]
    public void Counts_of_one_are_singular_everywhere()
    {
        var file = _temp.Write("one.yaml", OneTrial);
        var texts = new List<string>
        {
            CliHarness.Run("export", "slurm", file).Out,
            CliHarness.Run("export", "k8s", file).Out,
            CliHarness.Run("export", "k8s", file, "-o", _temp.Combine("job.yaml")).Out,
            CliHarness.Run("validate", file).Out,
            CliHarness.Run("run", file, "--dry-run").Out,
        };

        Assert.Contains("# 1 trial of 'one' in 1 array task (1 per task at most).\n", texts[0]);
        Assert.Contains("# 1 trial of 'one' as an Indexed Job of 1 completion.\n", texts[1]);
        Assert.Equal($"wrote {_temp.Combine("job.yaml")} and {_temp.Combine("job.yaml")}.collect.yaml: 1 trial in 1 task\n", texts[2]);
        Assert.Equal($"ok {file} (1 trial)\n", texts[3]);
        Assert.EndsWith("1 trial (1 cell x seeds) of experiment 'one'\n", texts[4]);
        Assert.All(texts, t => Assert.DoesNotMatch(OnePlural(), t));
    }

    [Theory]
    [InlineData(0, "0 trials")]
    [InlineData(1, "1 trial")]
    [InlineData(2, "2 trials")]
    public void Counted_picks_the_word_by_the_number(long n, string expected) => Assert.Equal(expected, Counted.Of(n, "trial"));

    // "(default: results) [default: results]": a default spelled in the description and again by the help writer.
    [GeneratedRegex(@"\(default[^)\n]*\)[^\n]*\[default:")]
    private static partial Regex DefaultInDescription();

    [GeneratedRegex(@"\b1 (trials|tasks|array tasks|epochs|cells|errors|files|plots|completions)\b")]
    private static partial Regex OnePlural();
}
