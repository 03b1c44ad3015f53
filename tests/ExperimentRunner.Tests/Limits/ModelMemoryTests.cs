using System.Globalization;
using System.Text.Json;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Tests.Torch;

namespace ExperimentRunner.Tests.Limits;

/// <summary>
/// Issue 14 finding 6: <c>hidden: [100000000]</c> or <c>[50000, 50000, 50000]</c> passed validate and the trial failed
/// half a minute later with libtorch's C++ frames. The memory a model needs is now estimated from its shapes and refused
/// above <c>limits.max_memory_mb</c> (default: half of this machine's memory) before anything is allocated.
/// </summary>
public sealed class ModelMemoryTests : IDisposable
{
    private readonly TempDir _temp = new();

    private string Error(params string[] overrides) => Assert.Single(Experiments.Problems(Experiments.Tiny, _temp.Path, overrides)).ToString();

    [Fact]
    public void A_hundred_million_wide_layer_is_refused_with_the_estimate_and_the_way_to_raise_the_limit()
    {
        Assert.Equal(
            "--set model.hidden=[100000000]: error: model.hidden: 600,000,003 parameters need about 160.2 GB of memory (11.2 GB for weights, gradients and adam state, 149 GB for activations (batch_size 32), 1 MB for the generated examples); the limit is 4 GB (limits.max_memory_mb: 4096). Use a smaller model, or raise the limit with limits.max_memory_mb (--set limits.max_memory_mb=180436)",
            Error("limits.max_memory_mb=4096", "model.hidden=[100000000]"));
    }

    [Fact]
    public void Three_layers_of_50000_are_refused_for_their_weights()
    {
        Assert.Equal(
            "--set model.hidden=[50000, 50000, 50000]: error: model.hidden: 5,000,400,003 parameters need about 93.2 GB of memory (93.1 GB for weights, gradients and adam state, 76 MB for activations (batch_size 32), 1 MB for the generated examples); the limit is 4 GB (limits.max_memory_mb: 4096). Use a smaller model, or raise the limit with limits.max_memory_mb (--set limits.max_memory_mb=104997)",
            Error("limits.max_memory_mb=4096", "model.hidden=[50000, 50000, 50000]"));
    }

    [Fact]
    public void Cnn_and_sequential_models_are_estimated_from_their_inferred_shapes()
    {
        Assert.StartsWith(
            "--set model={architecture: cnn, channels: [4096, 4096]}: error: model.channels: 155,234,628 parameters need about 12.3 GB of memory",
            Error("dataset={name: shapes}", "model={architecture: cnn, channels: [4096, 4096]}", "limits.max_memory_mb=4096"));
        Assert.StartsWith(
            "error: model.layers: 261,000,000,004 parameters need about 13.5 TB of memory",
            Error("dataset={name: shapes}", "model={architecture: sequential, layers: [{type: flatten}, {type: linear, out_features: 1000000000}, {type: linear}]}", "limits.max_memory_mb=4096").Split("...: ", 2)[1]);
    }

    [Fact]
    public void A_csv_of_unknown_width_gives_a_lower_bound()
    {
        var yaml = Experiments.Tiny.Replace("dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}", "dataset: {name: csv, path: data.csv, target: -1}", StringComparison.Ordinal);
        _temp.Write("data.csv", "1,2,a\n3,4,b\n");

        var error = Assert.Single(Experiments.Problems(yaml, _temp.Path, "model.hidden=[50000, 50000]", "limits.max_memory_mb=4096")).ToString();

        Assert.StartsWith("--set model.hidden=[50000, 50000]: error: model.hidden: at least 2,500,200,001 parameters need at least 48.1 GB of memory", error);
    }

    [Fact]
    public void The_default_limit_is_half_of_this_machines_memory()
    {
        var half = MachineMemory.Bytes / 2.0 / (1024 * 1024 * 1024);

        var error = Error("model.hidden=[50000, 50000, 50000]");

        Assert.Contains($"; the limit is {half.ToString("0.#", CultureInfo.InvariantCulture)} GB (limits.max_memory_mb unset: half of this machine's ", error);
    }

    [Fact]
    public void A_raised_limit_lets_the_model_validate_without_allocating_it()
    {
        var trial = Experiments.Single(Experiments.Tiny, _temp.Path, "model.hidden=[50000, 50000, 50000]", "limits.max_memory_mb=200000");

        Assert.Equal([50000L, 50000L, 50000L], trial.Spec.Model.Hidden);
    }

    [Fact]
    public void The_limit_is_bound_into_the_typed_settings()
    {
        Assert.Null(Experiments.Single(Experiments.Tiny, _temp.Path).Spec.Limits.MaxMemoryMb);
        Assert.Equal(200000L, Experiments.Single(Experiments.Tiny, _temp.Path, "limits.max_memory_mb=200000").Spec.Limits.MaxMemoryMb);
    }

    [Fact]
    public void Limits_are_not_part_of_a_trials_id()
    {
        var plain = Experiments.Single(Experiments.Tiny, _temp.Path);
        var limited = Experiments.Single(Experiments.Tiny + "\nlimits: {max_memory_mb: 100}\n", _temp.Path);

        Assert.Equal(plain.Id, limited.Id);
    }

    [Fact]
    public void Limits_are_not_part_of_the_folders_experiment_record()
    {
        var plain = ExperimentRecord.From(Experiments.Load(Experiments.Tiny, _temp.Path));
        var limited = ExperimentRecord.From(Experiments.Load(Experiments.Tiny + "\nlimits: {max_memory_mb: 100}\n", _temp.Path));

        Assert.DoesNotContain(limited.Settings.Keys, key => key.StartsWith("limits", StringComparison.Ordinal));
        Assert.Empty(plain.DifferencesTo(limited));
        Assert.Equal(plain.Fingerprint, limited.Fingerprint);
    }

    [Fact]
    public void The_json_schema_declares_the_limit()
    {
        var schema = JsonDocument.Parse(CliHarness.Run("schema").Out).RootElement;

        var limit = schema.GetProperty("properties").GetProperty("limits").GetProperty("properties").GetProperty("max_memory_mb");
        Assert.Equal(1, limit.GetProperty("minimum").GetInt32());
        Assert.StartsWith("most memory a trial may need", limit.GetProperty("description").GetString());
    }

    public void Dispose() => _temp.Dispose();
}
