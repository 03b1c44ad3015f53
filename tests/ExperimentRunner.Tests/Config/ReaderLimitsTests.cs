using System.Diagnostics;
using System.Text;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Config.Raw;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Config;

/// <summary>
/// Issue 14 findings 2 and 3 and the text the reader gets: 20,000 nested '[' used to overflow the stack (exit 134),
/// an alias bomb under model.hidden ran validate until killed, a NUL silently ended the file, bad UTF-8 became U+FFFD,
/// and a FIFO or /dev/zero named as the experiment file blocked or grew forever. Every one is now a single error line.
/// These run in-process on a thread-pool thread (a smaller stack than the main thread's): an overflow would kill
/// the test host, not fail one test.
/// </summary>
public sealed class ReaderLimitsTests : IDisposable
{
    private readonly TempDir _temp = new();

    private (int Code, string Error, TimeSpan Took) Validate(string file, string text) => Validate(_temp.Write(file, text));

    private static (int Code, string Error, TimeSpan Took) Validate(string path)
    {
        var clock = Stopwatch.StartNew();
        var result = Task.Run(() => CliHarness.Run("validate", path)).Result;
        Assert.Equal("", result.Out);
        return (result.ExitCode, result.Error, clock.Elapsed);
    }

    /// <summary>Item paths of nested lists, as messages cut them: "[0][0]...".</summary>
    private static string Zeros(int levels) => string.Concat(Enumerable.Repeat("[0]", levels));

    private const string Depth = "this value nests deeper than 64 levels; lists and mappings may sit at most 64 deep in one another (an experiment needs about 6)";

    [Fact]
    public void Twenty_thousand_nested_brackets_are_refused_at_the_64th_level()
    {
        var (code, error, _) = Validate("deep.yaml", Experiments.Tiny + "\nfoo: " + new string('[', 20_000) + "\n");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{_temp.Combine("deep.yaml")}:9:69: error: foo[0][0][0][0][0][0][0][0][0][0][0][0]...[0][0][0][0][0][0][0][0][0][0]: {Depth}\n", error);
    }

    [Fact]
    public void Nested_flow_and_block_mappings_are_refused_the_same_way()
    {
        var flow = Validate("flow.yaml", Experiments.Tiny + "\nfoo: " + string.Concat(Enumerable.Repeat("{a: ", 20_000)) + "\n");
        var block = Validate("block.yaml", Experiments.Tiny + "\nfoo:\n" + string.Concat(Enumerable.Range(0, 3000).Select(i => new string(' ', i + 1) + $"k{i}:\n")));

        Assert.Equal($"{_temp.Combine("flow.yaml")}:9:258: error: foo.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a...a.a.a.a.a.a.a.a.a.a.a.a.a.a.a: {Depth}\n", flow.Error);
        Assert.Equal($"{_temp.Combine("block.yaml")}:73:65: error: foo.k0.k1.k2.k3.k4.k5.k6.k7.k8.k9.k10...k56.k57.k58.k59.k60.k61.k62: {Depth}\n", block.Error);
        Assert.Equal((2, 2), (flow.Code, block.Code));
    }

    [Fact]
    public void Sixty_three_lists_under_a_key_are_still_read()
    {
        // The root mapping is the first level: a key's value may nest 63 more.
        var (code, error, _) = Validate("d63.yaml", Experiments.Tiny + "\nfoo: " + new string('[', 63) + "1" + new string(']', 63) + "\n");

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith($"{_temp.Combine("d63.yaml")}:9:1: error: foo: unknown key 'foo'", error);
    }

    [Fact]
    public void A_nine_level_alias_bomb_under_model_hidden_is_refused_at_once()
    {
        var levels = new[] { "&a0 [1, 1, 1, 1, 1, 1, 1, 1, 1]" }
            .Concat(Enumerable.Range(1, 8).Select(i => $"&a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]"));
        var yaml = Experiments.Tiny.Replace("hidden: [16]", $"hidden: [{string.Join(", ", levels)}]", StringComparison.Ordinal);

        var (code, error, took) = Validate("bomb.yaml", yaml);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{_temp.Combine("bomb.yaml")}:4:233: error: model.hidden[4][1]: with '*a3', which repeats 7381 values, the file holds more than 20000 values (every scalar, list and mapping counts, and an alias counts everything it repeats); an experiment file needs a few hundred\n", error);
        Assert.True(took < TimeSpan.FromSeconds(5), $"took {took}");
    }

    [Fact]
    public void An_alias_repeating_a_deep_value_counts_its_depth_where_it_is_used()
    {
        var yaml = Experiments.Tiny + "\na: &a " + new string('[', 40) + "1" + new string(']', 40) + "\nb: " + new string('[', 30) + "*a" + new string(']', 30) + "\n";

        var (code, error, _) = Validate("alias-depth.yaml", yaml);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{_temp.Combine("alias-depth.yaml")}:10:34: error: b[0][0][0][0][0][0][0][0][0][0][0][0]...[0][0][0][0][0][0][0][0][0][0]: '*a' repeats a value 40 levels deep at depth 31, so the expanded file nests deeper than 64 levels; lists and mappings may sit at most 64 deep in one another (an experiment needs about 6)\n", error);
    }

    [Fact]
    public void Ordinary_anchors_and_aliases_still_work()
    {
        var yaml = Experiments.Tiny.Replace("hidden: [16]", "hidden: &h [16]", StringComparison.Ordinal) + "\nsweep:\n  parameters:\n    model.hidden:\n      - *h\n      - [8, 8]\n";

        var loaded = Experiments.Load(yaml, _temp.Path);

        Assert.Equal(["[16]", "[8, 8]"], loaded.Trials.Select(t => t.Swept[0].Display));
    }

    [Fact]
    public void A_deep_set_value_is_refused_like_a_deep_file()
    {
        var problems = Experiments.Problems(Experiments.Tiny, _temp.Path, "model.hidden=" + new string('[', 10_000));

        var error = Assert.Single(problems);
        Assert.Equal($"--set model.hidden={new string('[', 67)}...:1:65: error: model.hidden{Zeros(9)}...{Zeros(10)}: {Depth}", error.ToString());
    }

    [Fact]
    public void A_NUL_in_the_text_is_refused_instead_of_ending_the_file_there()
    {
        // YAML's scanner takes NUL for the end of the stream: the sweep below it used to vanish without a word.
        var yaml = Experiments.Tiny.Replace("seed: 3", "seed: 3 # x\0", StringComparison.Ordinal) + "\nsweep: {parameters: {loss: [mse, nll]}}\n";

        var (code, error, _) = Validate("nul.yaml", yaml);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{_temp.Combine("nul.yaml")}:2:12: error: a NUL character (U+0000) is not allowed in an experiment file, which is plain text; remove it (or write it as an escape inside double quotes)\n", error);
    }

    [Fact]
    public void Other_control_characters_are_named_by_code()
    {
        var problems = Experiments.Problems(Experiments.Tiny.Replace("name: tiny", "name: ti\u001bny", StringComparison.Ordinal), _temp.Path);

        Assert.Equal("test.yaml:1:9: error: the control character U+001B is not allowed in an experiment file, which is plain text; remove it (or write it as an escape inside double quotes)", Assert.Single(problems).ToString());
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_are_named_with_their_line_and_column()
    {
        var path = _temp.Combine("latin1.yaml");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes("name: tiny # caf"), 0xE9, .. Encoding.UTF8.GetBytes("\n" + Experiments.Tiny[(Experiments.Tiny.IndexOf('\n') + 1)..])]);

        var (code, error, _) = Validate(path);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{path}:1:17: error: byte E9 is not UTF-8; save the file as UTF-8 text\n", error);
    }

    [Fact]
    public void A_UTF16_file_is_told_to_be_saved_as_UTF8()
    {
        var path = _temp.Combine("utf16.yaml");
        File.WriteAllText(path, Experiments.Tiny, Encoding.Unicode);

        Assert.Equal($"{path}:1:1: error: the file is UTF-16 text; save it as UTF-8\n", Validate(path).Error);
    }

    [SkippableFact]
    public void A_device_named_as_the_experiment_file_is_refused_without_reading_it()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/dev/zero and statx are Linux's");
        var path = _temp.Combine("zero.yaml");
        File.CreateSymbolicLink(path, "/dev/zero");

        var (code, error, took) = Validate(path);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{path}: error: is a character device (like /dev/zero or /dev/null), whose reads never end or return nothing, not an experiment file; give a .yaml, .yml or .json file\n", error);
        Assert.True(took < TimeSpan.FromSeconds(5));
    }

    [SkippableFact]
    public void A_named_pipe_as_the_experiment_file_is_refused_without_waiting_for_a_writer()
    {
        var path = _temp.Combine("pipe.yaml");
        Skip.IfNot(Fifos.TryMake(path), "mkfifo is not available");

        var (code, error, _) = Validate(path);

        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Equal($"{path}: error: is a named pipe (FIFO), whose reads wait for a writer, not an experiment file; give a .yaml, .yml or .json file\n", error);
    }

    [Fact]
    public void A_file_over_16_MB_is_refused_before_it_is_read()
    {
        var path = _temp.Write("huge.yaml", Experiments.Tiny + string.Concat(Enumerable.Repeat("# " + new string('x', 98) + "\n", 170_000)));

        Assert.Equal($"{path}: error: is 16.4 MB; an experiment file holds settings, at most 16 MB (data belongs in files that dataset.path names)\n", Validate(path).Error);
    }

    [Fact]
    public void The_reader_itself_stops_at_the_limits_without_any_loader()
    {
        var problems = new ProblemBag();

        var tree = RawTreeReader.Read("a: " + new string('[', 100_000), "x.yaml", problems);

        Assert.Null(tree);
        Assert.Equal($"x.yaml:1:67: error: a{Zeros(12)}...{Zeros(10)}: {Depth}", Assert.Single(problems.Items).ToString());
    }

    public void Dispose() => _temp.Dispose();
}
