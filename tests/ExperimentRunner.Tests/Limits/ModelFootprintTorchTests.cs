using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Layers;
using ExperimentRunner.Tests.Data;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Modules;

namespace ExperimentRunner.Tests.Limits;

/// <summary>
/// The memory limit is only as good as the estimate behind it: the parameter count <see cref="ModelFootprint"/> infers
/// from shapes alone must be the count TorchSharp builds, for every architecture and the layers that carry weights.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ModelFootprintTorchTests : TorchTest
{
    private const string Shapes = "dataset={name: shapes, samples: 120, classes: 6, size: 16}";

    public static TheoryData<string, string[]> Models => new()
    {
        { "quickstart.yaml", [] },
        { "cnn-shapes.yaml", [] },
        { "sequential.yaml", [] },
        { "quickstart.yaml", ["model.norm=batch", "model.dropout=0.2", "model.hidden=[32, 16, 8]"] },
        { "quickstart.yaml", ["model.norm=layer", "model.activation=prelu"] },
        { "quickstart.yaml", ["model.hidden=[]"] },
        { "quickstart.yaml", [Shapes, "model={architecture: cnn, channels: [4, 8], kernel: 5, padding: 1, norm: batch, hidden: [16, 8]}"] },
        { "quickstart.yaml", [Shapes, "model={architecture: sequential, layers: [{type: conv2d, out_channels: 3, kernel: 5, stride: 2}, {type: layer_norm}, {type: prelu}, {type: avg_pool}, {type: flatten}, {type: batch_norm}, {type: linear, out_features: 7, bias: false}, {type: activation}, {type: linear}], activation: prelu}"] },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void The_estimated_parameter_count_is_what_TorchSharp_builds(string config, string[] overrides)
    {
        var text = File.ReadAllText(UciDatasets.Config(config));
        var spec = Experiments.Single(text, Path.GetDirectoryName(UciDatasets.Config(config))!, overrides).Spec;
        var dataset = Catalogs.Default.Datasets.Get(spec.Dataset.Name);
        var input = dataset.InputShape!(spec.Dataset);
        var outputs = dataset.FixedClasses ?? spec.Dataset.Generator!.Classes!.Value;

        var built = TestRuntime.Instance.Models.Build(spec.Model, input, outputs);
        var actual = built.Network.parameters().Sum(p => p.numel());

        var estimate = ModelFootprint.For(spec, Catalogs.Default, outputs);
        Assert.NotNull(estimate);
        Assert.False(estimate.LowerBound);
        Assert.Equal(actual, estimate.Parameters);
    }
}
