using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Results;

/// <summary>What makes two experiments the same (experiment.json): every setting but the swept keys and the seeds.</summary>
public sealed class ExperimentRecordTests
{
    private const string Sweep = Experiments.Tiny + """

        sweep:
          parameters:
            loss: [cross_entropy, nll]
          seeds: [1, 2]
        """;

    private static ExperimentRecord Record(string yaml, params string[] overrides) =>
        ExperimentRecord.From(Experiments.Load(yaml, "/data", overrides));

    [Fact]
    public void A_config_flattens_to_dotted_keys_with_a_choice_named_at_its_own_key()
    {
        var settings = TrialSettings.FromYaml("""
            name: x
            seed: 3
            loss: {name: huber, delta: 1.0}
            model:
              architecture: mlp
              hidden: [16, 16]
              activation: relu
            training: {epochs: 2, early_stopping: null}
            metrics: [mae, "1.0"]
            """);

        Assert.Equal(new Dictionary<string, string>
        {
            ["name"] = "x", ["seed"] = "3",
            ["loss"] = "huber", ["loss.delta"] = "1.0",
            ["model"] = TrialSettings.Section, ["model.architecture"] = "mlp", ["model.hidden"] = "[16, 16]", ["model.activation"] = "relu",
            ["training"] = TrialSettings.Section, ["training.epochs"] = "2", ["training.early_stopping"] = "null",
            ["metrics"] = "[mae, \"1.0\"]",
        }, settings);
    }

    [Fact]
    public void Swept_keys_seeds_and_settings_that_follow_the_swept_values_are_not_the_experiment()
    {
        var record = Record(Sweep);

        Assert.Equal(["loss"], record.SweptKeys);
        Assert.DoesNotContain("seed", record.Settings.Keys);
        Assert.DoesNotContain(record.Settings.Keys, k => k == "loss" || k.StartsWith("loss.", StringComparison.Ordinal));
        // auto gives identity after cross_entropy and log_softmax after nll: it follows the loss, it is not a setting of its own.
        Assert.Equal(["model.output_activation"], record.Derived);
        Assert.Equal("2", record.Settings["training.epochs"]);
        Assert.Equal(12, record.Fingerprint.Length);
    }

    [Fact]
    public void More_seeds_and_sweep_values_are_the_same_experiment()
    {
        var before = Record(Sweep.Replace("[cross_entropy, nll]", "[cross_entropy]", StringComparison.Ordinal));
        var after = Record(Sweep.Replace("seeds: [1, 2]", "seeds: [1, 2, 3, 4]", StringComparison.Ordinal));

        Assert.Empty(before.DifferencesTo(after));
        Assert.Empty(after.DifferencesTo(before));
        Assert.Equal(["model.output_activation"], before.MergedWith(after).Derived);
    }

    [Fact]
    public void Changed_settings_are_named_with_the_old_and_the_new_value()
    {
        var before = Record(Sweep);
        var after = Record(Sweep, "training.epochs=25", "optimizer.lr=0.02", "training.early_stopping={patience: 3}");

        Assert.Equal(
        [
            "optimizer.lr: 0.01 -> 0.02",
            "training.early_stopping: null -> {min_delta: 0.0, monitor: val_loss, patience: 3}",
            "training.epochs: 2 -> 25",
        ], before.DifferencesTo(after).Select(d => d.ToString()));
        Assert.NotEqual(before.Fingerprint, after.Fingerprint);
    }

    [Fact]
    public void Sweeping_another_key_is_another_experiment()
    {
        var before = Record(Sweep);
        var after = Record(Sweep.Replace("loss: [cross_entropy, nll]", "optimizer.lr: [0.01, 0.1]", StringComparison.Ordinal));

        Assert.Equal(["swept keys: loss -> optimizer.lr"], before.DifferencesTo(after).Select(d => d.ToString()));
    }

    [Fact]
    public void The_record_survives_its_file()
    {
        using var dir = new TempDir();
        var record = Record(Sweep);

        record.Save(dir.Path);
        var loaded = ExperimentRecord.TryLoad(dir.Path)!;

        Assert.Equal(record.Fingerprint, loaded.Fingerprint);
        Assert.Empty(record.DifferencesTo(loaded));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.exprun-tmp"));
        Assert.Contains($"\"fingerprint\": \"{record.Fingerprint}\"", File.ReadAllText(dir.Combine(ExperimentRecord.FileName)));
    }
}
