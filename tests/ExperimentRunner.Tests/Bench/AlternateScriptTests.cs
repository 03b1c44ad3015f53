using System.Globalization;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Tool;

namespace ExperimentRunner.Tests.Bench;

/// <summary>
/// bench/alternate.py, the timer behind the README's alternating figures: warm-ups first, then A and B strictly in
/// turn, every counted pair in the ratio rows; a failing command stops the series and is named.
/// </summary>
public sealed class AlternateScriptTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private ToolProcessResult Run(params string[] args) =>
        ToolProcess.Run("python3", [Path.Combine(Repository.Root, "bench", "alternate.py"), .. args], _temp.Path, _temp.Combine("tmp"), TimeSpan.FromMinutes(1));

    [Fact]
    public void The_commands_run_in_turn_after_their_warm_ups_and_each_pair_is_a_ratio()
    {
        var log = _temp.Combine("order.log");

        var (code, output, error) = Run("-n", "3", "--warmup", "1", "-a", $"echo A >> '{log}'", "-b", $"echo B >> '{log}'");

        Assert.True(code == 0, error);
        Assert.Equal("A B A B A B A B", string.Join(' ', File.ReadAllLines(log)));
        Assert.Contains("3 rounds A B in turn after 1 warm-up each; not pinned", output);
        Assert.Equal(3, error.Split('\n').Count(l => l.StartsWith("round ", StringComparison.Ordinal)));
        var ratio = output.Split('\n').Single(l => l.StartsWith("A/B wall s", StringComparison.Ordinal));
        var median = double.Parse(ratio["A/B wall s".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(median > 0, ratio);
        Assert.EndsWith("pair by pair", ratio.TrimEnd());
    }

    [Fact]
    public void A_third_command_runs_in_the_same_turn_and_is_a_yardstick_for_both()
    {
        var log = _temp.Combine("order.log");

        var (code, output, error) = Run("-n", "2", "--warmup", "1", "-a", $"echo A >> '{log}'", "-b", $"echo B >> '{log}'", "-c", $"echo C >> '{log}'");

        Assert.True(code == 0, error);
        Assert.Equal("A B C A B C A B C", string.Join(' ', File.ReadAllLines(log)));
        Assert.Contains("2 rounds A B C in turn after 1 warm-up each; not pinned", output);
        var ratios = output.Split('\n').Where(l => l.Contains("pair by pair", StringComparison.Ordinal)).Select(l => l[..10].TrimEnd()).ToList();
        Assert.Equal(["A/B wall s", "A/C wall s", "B/C wall s", "A/B cpu s", "A/C cpu s", "B/C cpu s"], ratios);
    }

    [Fact]
    public void A_failing_command_stops_the_series_and_is_named()
    {
        var log = _temp.Combine("order.log");

        var (code, output, error) = Run("-n", "3", "--warmup", "0", "-a", $"echo A >> '{log}'", "-b", $"echo B >> '{log}'; exit 4");

        Assert.Equal(1, code);
        Assert.Contains($"alternate: exit 4 from: echo B >> '{log}'; exit 4", error);
        Assert.Equal("A B", string.Join(' ', File.ReadAllLines(log)));
        Assert.DoesNotContain("A/B", output);
    }
}
