using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.Config;

/// <summary>Defects a new user hit in the loader (issue: "A fresh clone passes its own tests ..."), each pinned by its message.</summary>
public class LoaderDefectTests
{
    private const string Base = """
        name: defects
        seed: 3
        dataset: {name: spirals, samples: 300, classes: 3}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}

        """;

    private static IReadOnlyList<string> Errors(string yaml, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => TestRuntime.Instance.Loader.LoadText(yaml, "exp.yaml", Path.GetTempPath(), overrides))
            .Problems.Where(p => p.Severity == Severity.Error).Select(p => p.ToString()).ToList();

    [Fact]
    public void A_misspelled_top_level_key_gets_a_hint_and_the_allowed_keys_include_sweep()
    {
        Assert.Equal(
            ["exp.yaml:8:1: error: sweeps: unknown key 'sweeps' (did you mean 'sweep'?); allowed: name, seed, dataset, model, loss, optimizer, scheduler, training, metrics, checkpoint, diagnostics, loggers, limits, sweep, extends"],
            Errors(Base + "sweeps: {parameters: {loss: [mse]}}\n"));
    }

    [Fact]
    public void A_set_override_of_an_unknown_section_gets_the_same_hint()
    {
        var error = Assert.Single(Errors(Base, "modle.hidden=[8]"));
        Assert.Equal("--set modle.hidden=[8]: error: modle: unknown key 'modle' (did you mean 'model'?); allowed: name, seed, dataset, model, loss, optimizer, scheduler, training, metrics, checkpoint, diagnostics, loggers, limits, sweep, extends", error);
    }

    [Fact]
    public void An_exclusion_value_that_matches_no_trial_is_an_error_with_the_swept_values()
    {
        var errors = Errors(Base + """
            sweep:
              parameters:
                loss: [cross_entropy, mse, nll]
                model.activation: [relu, tanh]
              exclude: [{loss: sigmoid}, {loss: nlll, model.activation: relu}, {loss: ce, model.activation: tanh}]
            """);

        Assert.Equal(
        [
            "exp.yaml:12:20: error: sweep.exclude[0].loss: 'sigmoid' matches no trial's loss; the sweep's values are cross_entropy, mse, nll",
            "exp.yaml:12:37: error: sweep.exclude[1].loss: 'nlll' matches no trial's loss (did you mean 'nll'?); the sweep's values are cross_entropy, mse, nll",
        ], errors);
    }

    [Fact]
    public void A_negative_value_reads_differently_from_the_positive_one_in_trial_ids()
    {
        var trials = TestRuntime.Instance.Loader.LoadText(Base + "sweep: {parameters: {model.bias_init: [-3.0, 3.0]}}\n", "exp.yaml", Path.GetTempPath()).Trials;

        Assert.StartsWith("neg3.0-s3-", trials[0].Id);
        Assert.StartsWith("3.0-s3-", trials[1].Id);
    }

    /// <summary>
    /// A section or choice set to null (or to an alias that names nothing, which reads as null) is one error; the
    /// binder binds a stand-in for it, so the later stages that read every section do not crash on a null.
    /// </summary>
    [Theory]
    [InlineData("dataset", "dataset name or mapping")]
    [InlineData("model", "architecture name or mapping")]
    [InlineData("loss", "loss name or mapping")]
    [InlineData("optimizer", "optimizer name or mapping")]
    [InlineData("scheduler", "scheduler name or mapping")]
    [InlineData("training", "mapping")]
    [InlineData("checkpoint", "mapping")]
    [InlineData("diagnostics", "mapping")]
    [InlineData("limits", "mapping")]
    public void A_section_set_to_null_is_an_error_not_a_crash(string key, string expected)
    {
        var yaml = string.Join("\n", Base.Split('\n').Where(line => !line.StartsWith(key + ":", StringComparison.Ordinal))) + $"{key}: null\n";

        var error = Assert.Single(Errors(yaml));

        Assert.EndsWith($"error: {key}: '{key}' cannot be null; expected {expected}", error);
    }
}
