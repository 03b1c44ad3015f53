using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Limits;

/// <summary>
/// Issue 14 finding 4: a 300-character name passed validate and run died with a PathTooLongException. The name is the
/// results folder's name, so it must fit in one path part (255 bytes); trial folders are bounded by construction.
/// </summary>
public sealed class NameLengthTests : IDisposable
{
    private readonly TempDir _temp = new();

    private static string Named(int length) =>
        Experiments.Tiny.Replace("name: tiny", $"name: {new string('n', length)}", StringComparison.Ordinal);

    [Fact]
    public void A_300_character_name_is_refused_by_validate_and_run_before_anything_is_written()
    {
        var file = _temp.Write("long.yaml", Named(300));

        ConfigRefusal.ByValidateAndRun(file, _temp.Combine("results"), $"{file}:1:7: error: name: '{new string('n', 28)}...{new string('n', 28)}' (300 characters) is too long: it names the results folder, and a folder name may have at most 255 characters; use a shorter name");
    }

    [Fact]
    public void A_name_of_255_characters_is_allowed()
    {
        Assert.Equal(new string('n', 255), Experiments.Single(Named(255), _temp.Path).Spec.Name);
    }

    [Fact]
    public void Trial_folders_stay_far_below_the_limit_whatever_is_swept()
    {
        var values = string.Join(", ", Enumerable.Range(0, 3).Select(i => $"{{name: leaky_relu, negative_slope: 0.{new string((char)('1' + i), 60)}}}"));
        var yaml = Experiments.Tiny + $"\nsweep: {{parameters: {{model.activation: [{values}]}}, seeds: [2147483647]}}\n";

        var ids = Experiments.Load(yaml, _temp.Path).Trials.Select(t => t.Id).ToList();

        Assert.Equal(3, ids.Count);
        Assert.All(ids, id => Assert.InRange(id.Length, 1, 91));
    }

    public void Dispose() => _temp.Dispose();
}
