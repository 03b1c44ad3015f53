using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Architectures;

/// <summary>cnn and sequential networks as TorchSharp builds them: names, shapes, probes, init, and build-time errors.</summary>
[Collection(TorchCollection.Name)]
public sealed class ArchitectureBuildTests : TorchTest
{
    private static ModelFactory ModelFactory => TestRuntime.Instance.Models;

    private ModelSettings Model(string model, string dataset = "{name: shapes, samples: 120, classes: 6, size: 16}", string loss = "cross_entropy")
    {
        var yaml = $"name: build\ndataset: {dataset}\nmodel: {model}\nloss: {loss}\n";
        return Experiments.Single(yaml, Temp.Path).Spec.Model;
    }

    private static long[] Forward(BuiltModel built, params long[] input)
    {
        using var scope = NewDisposeScope();
        built.Network.eval();
        return built.Network.forward(randn(input)).shape;
    }

    private static IReadOnlyList<string> Children(BuiltModel built) => built.Network.named_children().Select(c => c.name).ToList();

    [Fact]
    public void Sequential_builds_named_layers_and_infers_the_last_width()
    {
        var built = ModelFactory.Build(Model($"{{architecture: sequential, layers: {LayerConfigTests.Example}}}"), [1, 16, 16], 6);

        // The output activation (identity here) adds no module: act_out only exists for a real non-linearity.
        // channels_last_N: convolutions run channels-last (ChannelsLast); not layers of the config, no parameters.
        Assert.Equal(["channels_last_1", "conv2d_0", "relu_1", "max_pool_2", "flatten_3", "linear_4", "relu_5", "linear_6"], Children(built));
        Assert.Equal([5L, 6], Forward(built, 5, 1, 16, 16));
        var names = built.Network.state_dict().Keys.ToList();
        Assert.Equal(["conv2d_0.weight", "conv2d_0.bias", "linear_4.weight", "linear_4.bias", "linear_6.weight", "linear_6.bias"], names);
    }

    [Fact]
    public void Every_activation_layer_is_probed_with_the_nearest_weight_layer_before_it()
    {
        var built = ModelFactory.Build(Model("{architecture: sequential, layers: [{type: conv2d, out_channels: 4, padding: 1}, {type: batch_norm}, {type: leaky_relu, negative_slope: 0.2}, {type: dropout, p: 0.1}, {type: tanh}, {type: flatten}, {type: linear, out_features: 8}, {type: activation}, {type: linear}], activation: gelu}"), [1, 16, 16], 6);

        Assert.Equal(
            [("hidden_1", "leaky_relu_2", "conv2d_0", "leaky_relu"), ("hidden_2", "tanh_4", "conv2d_0", "tanh"), ("hidden_3", "activation_7", "linear_6", "gelu"), ("output", "linear_8", "linear_8", "identity")],
            built.Layers.Select(p => (p.Name, p.ActivationModule, p.WeightModule, p.Activation.Name)));
        Assert.Equal(0.2, built.Layers[0].Activation.NegativeSlope);
        Assert.Equal([3L, 6], Forward(built, 3, 1, 16, 16));
    }

    [Fact]
    public void Output_activation_auto_follows_the_loss_for_every_architecture()
    {
        foreach (var model in new[] { "{architecture: cnn, channels: [4], hidden: []}", "{architecture: sequential, layers: [{type: flatten}, {type: linear}]}" })
        {
            var nll = ModelFactory.Build(Model(model, loss: "nll"), [1, 16, 16], 6);
            Assert.Equal("log_softmax", nll.Layers[^1].Activation.Name);
            using var scope = NewDisposeScope();
            nll.Network.eval();
            var y = nll.Network.forward(randn(2, 1, 16, 16));
            Assert.Equal(1.0, y.exp().sum(1)[0].item<float>(), 4);
        }
    }

    [Fact]
    public void A_shape_mismatch_known_only_at_build_time_names_the_layer_and_the_shapes()
    {
        // A csv's width is unknown to validate; here the data turns out to be a table of 5 features.
        var model = Model("{architecture: sequential, layers: [{type: conv2d, out_channels: 4}, {type: flatten}, {type: linear}]}");

        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Build(model, [5], 3));

        Assert.Equal("model does not fit the data (input [5]): model.layers[0] (conv2d): needs [channels, height, width]; it gets [5] from the input (a flat vector has no height and width: use an image dataset such as shapes or idx, and put flatten after the conv layers)", ex.Message);
    }

    [Fact]
    public void A_wrong_final_width_known_only_at_build_time_is_named()
    {
        Temp.Write("t.csv", "1,2,0\n");
        var model = Model("{architecture: sequential, layers: [{type: linear, out_features: 8}, {type: relu}, {type: linear, out_features: 4}]}", "{name: csv, path: t.csv, target: -1}");

        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Build(model, [7], 3));

        Assert.Equal("model does not fit the data (input [7]): model.layers[2] (linear): out_features is 4 but the network must end with 3 outputs (3 outputs of the dataset); leave out_features out to use the dataset's width", ex.Message);
    }

    [Fact]
    public void Cnn_builds_blocks_and_head_with_probes()
    {
        var built = ModelFactory.Build(Model("{architecture: cnn, channels: [4, 8], norm: batch, dropout: 0.1, hidden: [16]}"), [1, 16, 16], 6);

        Assert.Equal(["channels_last_1", "conv_1", "norm_1", "act_1", "pool_1", "dropout_1", "channels_last_2", "conv_2", "norm_2", "act_2", "pool_2", "dropout_2", "flatten", "linear_3", "norm_3", "act_3", "dropout_3", "linear_out"], Children(built));
        Assert.Equal([("hidden_1", "conv_1"), ("hidden_2", "conv_2"), ("hidden_3", "linear_3"), ("output", "linear_out")], built.Layers.Select(p => (p.Name, p.WeightModule)));
        Assert.Equal([4L, 6], Forward(built, 4, 1, 16, 16));
    }

    [Fact]
    public void Cnn_on_a_table_is_refused_with_the_shape()
    {
        var model = Model("{architecture: cnn}");

        var ex = Assert.Throws<ArgumentException>(() => ModelFactory.Build(model, [4], 3));

        Assert.Equal("cnn needs image inputs [channels, height, width] but the dataset gives [4]; use mlp for tables, or an image dataset (shapes, idx)", ex.Message);
    }

    [Fact]
    public void Mlp_flattens_images()
    {
        var built = ModelFactory.Build(Model("{architecture: mlp, hidden: [8]}"), [1, 16, 16], 6);

        Assert.Equal([2L, 6], Forward(built, 2, 1, 16, 16));
    }

    [Fact]
    public void Init_and_bias_init_apply_to_conv_and_linear_layers()
    {
        var built = ModelFactory.Build(Model("{architecture: sequential, layers: [{type: conv2d, out_channels: 4}, {type: relu}, {type: flatten}, {type: linear}], init: kaiming_normal, bias_init: -1.0}"), [1, 16, 16], 6);
        var parameters = built.Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        Assert.All(parameters["conv2d_0.bias"].data<float>().ToArray(), b => Assert.Equal(-1f, b));
        // The output layer's bias is not a hidden bias: kaiming zeroes it.
        Assert.All(parameters["linear_3.bias"].data<float>().ToArray(), b => Assert.Equal(0f, b));
    }

    public static TheoryData<string> LayerTypes() => new(Catalogs.Default.Layers.Entries.Select(e => e.Name));

    /// <summary>Every layer type of the catalog builds with its defaults and keeps the network runnable.</summary>
    [Theory]
    [MemberData(nameof(LayerTypes))]
    public void Every_layer_type_builds_and_runs(string type)
    {
        var entry = Catalogs.Default.Layers.Get(type);
        var layer = entry.Kind switch
        {
            LayerKind.Linear => "{type: linear, out_features: 8}, {type: relu}, ",
            LayerKind.Conv2d => $"{{type: {type}, out_channels: 2}}, ",
            _ => $"{{type: {type}}}, ",
        };
        var flat = entry.Kind is LayerKind.Linear;
        var layers = flat ? $"[{{type: flatten}}, {layer}{{type: linear}}]" : $"[{layer}{{type: flatten}}, {{type: linear}}]";

        var built = ModelFactory.Build(Model($"{{architecture: sequential, layers: {layers}}}"), [1, 16, 16], 6);

        Assert.Equal([3L, 6], Forward(built, 3, 1, 16, 16));
    }
}
