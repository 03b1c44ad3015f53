using System.Text.Json;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Config;

/// <summary>The <c>loggers</c> key: a list of logger names, checked like every other catalog name, shown by list and schema.</summary>
public sealed class LoggersConfigTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Loggers_are_off_by_default_and_names_are_case_insensitive()
    {
        Assert.Empty(Experiments.Single(Experiments.Tiny, _temp.Path).Spec.Loggers);
        var trial = Experiments.Single(Experiments.Tiny + "\nloggers: [TensorBoard]\n", _temp.Path);
        Assert.Equal(["tensorboard"], trial.Spec.Loggers);
        // config.yaml keeps it, and loads back to the same trial.
        var yaml = ConfigWriter.ToYaml(trial.Spec.Tree);
        Assert.Contains("\nloggers: [tensorboard]\n", yaml);
        var again = Experiments.Single(yaml, _temp.Path);
        Assert.Equal(["tensorboard"], again.Spec.Loggers);
        Assert.Equal(trial.Id, again.Id);
    }

    [Fact]
    public void An_unknown_logger_is_an_error_with_a_suggestion_and_the_allowed_names()
    {
        var problem = Assert.Single(Experiments.Problems(Experiments.Tiny + "\nloggers: [tensorbord]\n", _temp.Path));
        Assert.Equal("test.yaml:9:11: error: loggers[0]: unknown logger 'tensorbord' (did you mean 'tensorboard'?); allowed: tensorboard", problem.ToString());
    }

    [Fact]
    public void Loggers_must_be_a_list_of_distinct_names()
    {
        var notList = Assert.Single(Experiments.Problems(Experiments.Tiny + "\nloggers: tensorboard\n", _temp.Path));
        Assert.Equal("loggers", notList.Path);
        Assert.Contains("expected a list of names", notList.Message);
        var twice = Assert.Single(Experiments.Problems(Experiments.Tiny + "\nloggers: [tensorboard, TENSORBOARD]\n", _temp.Path));
        Assert.Equal("loggers[1]", twice.Path);
        Assert.Contains("'tensorboard' is listed twice", twice.Message);
    }

    [Fact]
    public void A_logger_does_not_change_the_trial_id()
    {
        var plain = Experiments.Single(Experiments.Tiny, _temp.Path);
        var logged = Experiments.Single(Experiments.Tiny, _temp.Path, "loggers=[tensorboard]");
        Assert.Equal(["tensorboard"], logged.Spec.Loggers);
        Assert.Equal(plain.Id, logged.Id);
        // Anything that decides the result still does.
        Assert.NotEqual(plain.Id, Experiments.Single(Experiments.Tiny, _temp.Path, "training.batch_size=16").Id);
    }

    [Fact]
    public void Every_logger_name_has_a_training_sink_registered_under_it()
    {
        var sinks = TrainingSinks.Standard().Names;
        Assert.All(Catalogs.Default.Loggers.Entries, e => Assert.Contains(e.Name, sinks));
    }

    [Fact]
    public void List_and_schema_show_the_loggers()
    {
        var list = CliHarness.Run("list", "loggers");
        Assert.Equal(0, list.ExitCode);
        var lines = list.Out.Split('\n');
        Assert.Equal("loggers (1)", lines[0]);
        var at = Array.IndexOf(lines, "tensorboard");
        Assert.True(at > 0, list.Out);
        Assert.StartsWith("    TensorBoard event files, one run per trial under <output>/<name>/tensorboard/<trial-id>", lines[at + 1]);

        using var schema = JsonDocument.Parse(CliHarness.Run("schema").Out);
        var loggers = schema.RootElement.GetProperty("properties").GetProperty("loggers");
        Assert.Equal("array", loggers.GetProperty("type").GetString());
        Assert.Equal("#/$defs/logger_name", loggers.GetProperty("items").GetProperty("$ref").GetString());
        Assert.Equal(0, loggers.GetProperty("default").GetArrayLength());
        Assert.Equal(["tensorboard"], schema.RootElement.GetProperty("$defs").GetProperty("logger_name").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }
}
