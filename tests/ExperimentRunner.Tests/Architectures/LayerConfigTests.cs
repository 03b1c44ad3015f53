using System.Text.Json;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Layers;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Schema;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Architectures;

/// <summary>cnn and sequential settings, and the shape checks <c>exprun validate</c> makes without libtorch.</summary>
public sealed class LayerConfigTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    public const string Example = "[{type: conv2d, out_channels: 8, kernel: 3, padding: 1}, {type: relu}, {type: max_pool, kernel: 2}, {type: flatten}, {type: linear, out_features: 32}, {type: relu}, {type: linear}]";

    private static string Yaml(string model, string dataset = "{name: shapes, samples: 120, classes: 6, size: 16}", string loss = "cross_entropy") => $$"""
        name: layers
        dataset: {{dataset}}
        model: {{model}}
        loss: {{loss}}
        """;

    private string Sequential(string layers, string dataset = "{name: shapes, samples: 120, classes: 6, size: 16}") =>
        Yaml($"{{architecture: sequential, layers: {layers}}}", dataset);

    private IReadOnlyList<Problem> Errors(string yaml) =>
        Experiments.Problems(yaml, _temp.Path).Where(p => p.Severity == Severity.Error).ToList();

    private (string Path, string Message) Error(string yaml)
    {
        var p = Assert.Single(Errors(yaml));
        return (p.Path, p.Message);
    }

    // ---- sequential ----

    [Fact]
    public void The_example_of_the_issue_binds_and_its_shapes_are_inferred()
    {
        var trial = Experiments.Single(Sequential(Example), _temp.Path);
        var layers = trial.Spec.Model.Layers;

        Assert.Equal(["conv2d", "relu", "max_pool", "flatten", "linear", "relu", "linear"], layers.Select(l => l.Type));
        Assert.Equal(8L, layers[0].OutChannels);
        Assert.Equal(1L, layers[0].Stride);
        Assert.Null(layers[6].OutFeatures);

        var plan = LayerShapes.Infer(LayerStacks.Sequential(trial.Spec.Model), Catalogs.Default, [1, 16, 16], 6);
        Assert.Empty(plan.Problems);
        Assert.Equal(["[8, 16, 16]", "[8, 16, 16]", "[8, 8, 8]", "[512]", "[32]", "[32]", "[6]"], plan.Layers.Select(l => LayerShapes.Text(l.Output!)));
        Assert.Equal(6L, plan.Layers[6].Width);
    }

    [Fact]
    public void Activations_take_their_catalog_names_aliases_and_parameters()
    {
        var trial = Experiments.Single(Sequential("[{type: flatten}, {type: linear, out_features: 8}, {type: leaky_relu, negative_slope: 0.1}, {type: lrelu}, swish, {type: identity}, {type: linear}]"), _temp.Path);
        var layers = trial.Spec.Model.Layers;

        Assert.Equal(["flatten", "linear", "leaky_relu", "leaky_relu", "silu", "identity", "linear"], layers.Select(l => l.Type));
        Assert.Equal(0.1, layers[2].Activation.NegativeSlope);
        Assert.Equal(0.01, layers[3].Activation.NegativeSlope);
    }

    [Fact]
    public void A_linear_layer_after_a_conv_without_flatten_names_the_layer_and_both_shapes()
    {
        var error = Error(Sequential("[{type: conv2d, out_channels: 8, kernel: 3, padding: 1}, {type: relu}, {type: max_pool, kernel: 2}, {type: linear, out_features: 32}, {type: linear}]"));

        Assert.Equal(("model.layers[3]", "linear: needs a flat vector; it gets [8, 8, 8] from layers[2] (max_pool): add {type: flatten} before it"), error);
    }

    [Fact]
    public void A_conv_on_a_table_is_a_config_error()
    {
        var error = Error(Sequential("[{type: conv2d, out_channels: 4}, {type: flatten}, {type: linear}]", "{name: spirals, samples: 90}"));

        Assert.Equal(("model.layers[0]", "conv2d: needs [channels, height, width]; it gets [2] from the input (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"), error);
    }

    [Fact]
    public void A_window_larger_than_the_image_is_a_config_error()
    {
        var error = Error(Sequential("[{type: conv2d, out_channels: 4, kernel: 5}, {type: relu}, {type: max_pool, kernel: 4}, {type: conv2d, out_channels: 4, kernel: 5}, {type: flatten}, {type: linear}]"));

        // 16 -> 12 (conv 5) -> 3 (pool 4) -> a 5x5 kernel does not fit.
        Assert.Equal(("model.layers[3]", "conv2d: a 5x5 kernel with padding 0 does not fit; it gets [4, 3, 3] from layers[2] (max_pool); use a smaller kernel, more padding, or fewer pooling layers before it"), error);
    }

    [Fact]
    public void The_last_linear_width_must_match_the_dataset_when_given()
    {
        var error = Error(Sequential("[{type: flatten}, {type: linear, out_features: 16}, {type: relu}, {type: linear, out_features: 5}]"));

        Assert.Equal(("model.layers[3]", "linear: out_features is 5 but the network must end with 6 outputs (6 classes of dataset 'shapes'); leave out_features out to use the dataset's width"), error);
    }

    [Fact]
    public void Only_the_last_linear_may_leave_out_its_width()
    {
        var error = Error(Sequential("[{type: flatten}, {type: linear}, {type: relu}, {type: linear}]"));

        Assert.Equal(("model.layers[1]", "linear: out_features is required (only the last linear layer may leave it out, to get the dataset's output width)"), error);
    }

    [Fact]
    public void The_network_must_end_with_a_flat_vector()
    {
        Assert.Equal(
            ("model.layers[1]", "relu: the network ends with shape [4, 14, 14] but must end with a flat vector of 6 outputs (6 classes of dataset 'shapes'): add {type: flatten} and {type: linear}"),
            Error(Sequential("[{type: conv2d, out_channels: 4}, {type: relu}]")));
        Assert.Equal(
            ("model.layers[0]", "flatten: the network ends with 256 values but must end with 6 outputs (6 classes of dataset 'shapes'): end with {type: linear}"),
            Error(Sequential("[{type: flatten}]")));
    }

    [Fact]
    public void A_regression_target_is_one_output()
    {
        var error = Error(Yaml("{architecture: sequential, layers: [{type: linear, out_features: 8}, {type: tanh}, {type: linear, out_features: 2}]}", "{name: sine, samples: 100}", "mse"));

        Assert.Equal(("model.layers[2]", "linear: out_features is 2 but the network must end with 1 output (one regression target); leave out_features out to use the dataset's width"), error);
    }

    [Fact]
    public void For_a_csv_the_rank_is_still_checked_before_the_file_is_read()
    {
        _temp.Write("t.csv", "1,2,0\n");
        const string csv = "{name: csv, path: t.csv, target: -1}";

        Assert.Single(Experiments.Load(Sequential("[{type: linear, out_features: 8}, {type: relu}, {type: linear}]", csv), _temp.Path).Trials);
        Assert.Equal(
            ("model.layers[2]", "conv2d: needs [channels, height, width]; it gets [4] from layers[1] (flatten) (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"),
            Error(Sequential("[{type: linear, out_features: 4}, {type: flatten}, {type: conv2d, out_channels: 4}, {type: linear}]", csv)));
    }

    [Fact]
    public void A_csv_is_a_flat_table_so_a_conv_on_it_is_a_config_error()
    {
        // Before: the csv's input shape was wholly unknown, so validate passed and only the trial failed.
        _temp.Write("t.csv", "1,2,0\n");
        const string csv = "{name: csv, path: t.csv, target: -1}";

        Assert.Equal(
            ("model.layers[0]", "conv2d: needs [channels, height, width]; it gets [?] from the input (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"),
            Error(Sequential("[{type: conv2d, out_channels: 4}, {type: flatten}, {type: linear}]", csv)));
        Assert.Equal(
            ("model.channels", "conv block 1 (conv 3x3): needs [channels, height, width]; it gets [?] from the input (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"),
            Error(Yaml("{architecture: cnn, channels: [4]}", csv)));
    }

    [Fact]
    public void Unknown_layer_types_keys_and_missing_settings_are_named()
    {
        var typo = Error(Sequential("[{type: flatten}, {type: rellu}, {type: linear}]"));
        Assert.Equal("model.layers[1].type", typo.Path);
        Assert.StartsWith("unknown layer 'rellu' (did you mean 'relu'?); allowed: linear, conv2d, max_pool, avg_pool, flatten, dropout, batch_norm, layer_norm, activation, relu, ", typo.Message);

        // The typo is named, and so is the key it was meant to be.
        var keyErrors = Errors(Sequential("[{type: conv2d, out_chanels: 4}, {type: flatten}, {type: linear}]"));
        Assert.Equal(["model.layers[0].out_channels", "model.layers[0].out_chanels"], keyErrors.Select(p => p.Path));
        var key = keyErrors[1];
        Assert.StartsWith("unknown key 'out_chanels' (did you mean 'out_channels'?); 'conv2d' allowed: out_channels, kernel, stride, padding, bias", key.Message);

        var missing = Errors(Sequential("[{type: conv2d}, {type: flatten}, {type: linear}]"));
        Assert.Contains(missing, p => p.Path == "model.layers[0].out_channels" && p.Message.StartsWith("required key 'out_channels' is missing", StringComparison.Ordinal));

        var noType = Error(Sequential("[{out_features: 3}]"));
        Assert.Equal(("model.layers[0].type", "missing 'type': say which layer to use, e.g. {type: linear, ...}"), noType);

        Assert.Equal("model.layers", Error(Yaml("{architecture: sequential}")).Path);
        Assert.Equal("model.layers", Error(Sequential("[]")).Path);
    }

    [Fact]
    public void Layer_activation_parameters_are_checked_like_model_activation()
    {
        var error = Error(Sequential("[{type: flatten}, {type: linear, out_features: 4}, {type: hardtanh, min_val: 1.0, max_val: -1.0}, {type: linear}]"));

        Assert.Equal(("model.layers[2].min_val", "min_val (1) must be below max_val (-1)"), error);
    }

    [Fact]
    public void A_sweep_over_model_activation_reaches_activation_layers()
    {
        var loaded = Experiments.Load(Sequential("[{type: flatten}, {type: linear, out_features: 8}, {type: activation}, {type: linear}]") + "\nsweep: {parameters: {model.activation: [relu, tanh]}}", _temp.Path);

        Assert.Equal(["relu", "tanh"], loaded.Trials.Select(t =>
        {
            var model = t.Spec.Model;
            var layer = model.Layers[2];
            return LayerStacks.ActivationOf(layer, Catalogs.Default.Layers.Get(layer.Type), model).Name;
        }));
    }

    [Fact]
    public void A_sequential_config_writes_out_and_loads_again()
    {
        var trial = Experiments.Single(Sequential(Example), _temp.Path);
        var yaml = ConfigWriter.ToYaml(trial.Spec.Tree);

        var again = Experiments.Single(yaml, _temp.Path);

        Assert.Contains("type: conv2d", yaml);
        Assert.Equal(ConfigWriter.Hash(trial.Spec.Tree), ConfigWriter.Hash(again.Spec.Tree));
    }

    [Fact]
    public void The_json_schema_describes_layers_as_a_list_of_layer_components()
    {
        using var doc = JsonDocument.Parse(JsonSchemaWriter.Write(Catalogs.Default));
        var defs = doc.RootElement.GetProperty("$defs");
        var layer = defs.GetProperty("layer");
        var titles = layer.GetProperty("oneOf").EnumerateArray().Skip(1).Select(e => e.GetProperty("title").GetString()).ToList();

        Assert.Equal(Catalogs.Default.Layers.Entries.Select(e => e.Name), titles);
        var sequential = defs.GetProperty("architecture").GetProperty("oneOf").EnumerateArray().Single(e => e.TryGetProperty("title", out var t) && t.GetString() == "sequential");
        var layers = sequential.GetProperty("properties").GetProperty("layers");
        Assert.Equal("array", layers.GetProperty("type").GetString());
        Assert.Equal("#/$defs/layer", layers.GetProperty("items").GetProperty("$ref").GetString());
    }

    // ---- cnn ----

    [Fact]
    public void Cnn_defaults_make_two_blocks_and_a_dense_head()
    {
        var trial = Experiments.Single(Yaml("{architecture: cnn}"), _temp.Path);
        var stack = LayerStacks.Cnn(trial.Spec.Model);

        Assert.Equal(["conv_1", "act_1", "pool_1", "conv_2", "act_2", "pool_2", "flatten", "linear_3", "act_3", "linear_out"], stack.Select(s => s.Name));
        var plan = LayerShapes.Infer(stack, Catalogs.Default, [1, 16, 16], 6);
        Assert.Empty(plan.Problems);
        Assert.Equal("[32, 4, 4]", LayerShapes.Text(plan.Layers[5].Output!));
        Assert.Equal("[6]", LayerShapes.Text(plan.Output!));
    }

    [Fact]
    public void Cnn_norm_dropout_and_pool_settings_change_the_blocks()
    {
        var trial = Experiments.Single(Yaml("{architecture: cnn, channels: [4], kernel: 5, padding: 0, pool: avg, pool_size: 3, norm: batch, dropout: 0.2, hidden: []}"), _temp.Path);
        var stack = LayerStacks.Cnn(trial.Spec.Model);

        Assert.Equal(["conv_1", "norm_1", "act_1", "pool_1", "dropout_1", "flatten", "linear_out"], stack.Select(s => s.Name));
        Assert.Equal(["conv2d", "batch_norm", "activation", "avg_pool", "dropout", "flatten", "linear"], stack.Select(s => s.Layer.Type));
        // 16 -> 12 (5x5, no padding) -> 4 (avg pool 3).
        Assert.Equal("[4, 4, 4]", LayerShapes.Text(LayerShapes.Infer(stack, Catalogs.Default, [1, 16, 16], 6).Layers[3].Output!));
    }

    [Fact]
    public void Cnn_on_a_table_is_a_config_error()
    {
        Assert.Equal(
            ("model.channels", "conv block 1 (conv 3x3): needs [channels, height, width]; it gets [2] from the input (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)"),
            Error(Yaml("{architecture: cnn}", "{name: moons, samples: 100}")));
    }

    [Fact]
    public void Cnn_with_more_pooling_than_the_image_allows_names_the_block()
    {
        Assert.Equal(
            ("model.channels", "conv block 4 (max pool 2x2): a 2x2 window does not fit; it gets [4, 1, 1] from conv block 4 (activation); use a smaller window or fewer pooling layers"),
            Error(Yaml("{architecture: cnn, channels: [4, 4, 4, 4]}", "{name: shapes, samples: 120, size: 8}")));
    }
}
