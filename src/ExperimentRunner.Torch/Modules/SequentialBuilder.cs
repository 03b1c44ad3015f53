using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using ExperimentRunner.Core.Layers;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>
/// <c>sequential</c>: the layers of <c>model.layers</c> in order, named <c>{type}_{index}</c> (conv2d_0, relu_1,
/// ...), then the output activation (act_out). The last linear layer's width defaults to the dataset's output width.
/// </summary>
public sealed class SequentialBuilder(LayerStackBuilder stacks) : IArchitectureBuilder
{
    public BuiltModel Build(ModelSettings model, int[] inputShape, int outputs) =>
        stacks.Build(LayerStacks.Sequential(model), model, inputShape, outputs);
}

/// <summary>
/// Builds a network from a layer stack (<see cref="LayerStacks"/>): shapes are inferred first, so a mismatch is
/// an error naming the layer and both shapes rather than a libtorch error at the first forward pass. Every
/// activation layer gets a <see cref="ProbeLayer"/> whose weight module is the nearest conv or linear before it;
/// init uses the gain of the activation that follows each weight layer.
/// </summary>
public sealed class LayerStackBuilder(Catalogs catalogs, ActivationFactory activationFactory)
{
    public BuiltModel Build(IReadOnlyList<StackLayer> stack, ModelSettings model, int[] inputShape, int outputs)
    {
        var plan = LayerShapes.Infer(stack, catalogs, inputShape, outputs, $"{outputs} output{(outputs == 1 ? "" : "s")} of the dataset");
        if (plan.Problems.Count > 0)
            throw new ArgumentException($"model does not fit the data (input {LayerShapes.Text(inputShape)}): {string.Join("; ", plan.Problems.Select(p => $"model.{p.Label}: {p.Message}"))}");

        var init = model.Init;
        var biasInit = model.BiasInit;
        var output = model.OutputActivation;
        var activations = plan.Layers.Select(p => p.Entry.IsActivation ? LayerStacks.ActivationOf(p.Layer.Layer, p.Entry, model) : null).ToList();
        var lastWeight = plan.Layers.LastOrDefault(p => p.Entry.HasWeights);

        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        var probes = new List<ProbeLayer>();
        string? weightModule = null;
        foreach (var p in plan.Layers)
        {
            var name = p.Layer.Name;
            var module = Create(p, activations[p.Index]);
            if (p.Entry.HasWeights)
            {
                // Gain of the non-linearity that follows (before the next weight layer); the output activation for the last.
                var next = plan.Layers.Skip(p.Index + 1).TakeWhile(q => !q.Entry.HasWeights).Select(q => activations[q.Index]).FirstOrDefault(a => a is not null);
                var gainOf = next ?? (ReferenceEquals(p, lastWeight) ? output : ActivationSettings.Identity);
                var parameters = module.named_parameters().ToDictionary(x => x.name, x => x.parameter);
                WeightInit.Apply(parameters["weight"], parameters.GetValueOrDefault("bias"), init, gainOf, ReferenceEquals(p, lastWeight) ? null : biasInit);
                weightModule = name;
            }
            // Every convolution gets its input channels-last and hands its output on so (ChannelsLast says why).
            if (p.Entry.Kind == LayerKind.Conv2d) modules.Add(ChannelsLast.Named(modules));
            modules.Add((name, module));
            if (activations[p.Index] is { } act && weightModule is not null)
                probes.Add(new ProbeLayer($"hidden_{probes.Count + 1}", name, weightModule, act));
        }
        // An identity output adds nothing but a module call per pass (measured: ~6% of a tiny MLP's step); its probe
        // then watches the last layer, whose output is the network's.
        if (output.Name != "identity") modules.Add(("act_out", activationFactory.Create(output)));
        if (lastWeight is not null) probes.Add(new ProbeLayer("output", modules[^1].Item1, lastWeight.Layer.Name, output));
        return new BuiltModel(nn.Sequential(modules), probes);
    }

    private nn.Module<Tensor, Tensor> Create(PlannedLayer p, ActivationSettings? activation)
    {
        var layer = p.Layer.Layer;
        var input = p.Input!;
        switch (p.Entry.Kind)
        {
            case LayerKind.Linear:
                return nn.Linear(input[0], p.Width!.Value, hasBias: layer.Bias!.Value);
            case LayerKind.Conv2d when input[0] == 1 && p.Index > 0:
                return new OneChannelConv2d(layer.OutChannels!.Value, layer.Kernel!.Value, layer.Stride!.Value, layer.Padding!.Value, layer.Bias!.Value);
            case LayerKind.Conv2d:
                return nn.Conv2d(input[0], layer.OutChannels!.Value, layer.Kernel!.Value, stride: layer.Stride!.Value, padding: layer.Padding!.Value, bias: layer.Bias!.Value);
            case LayerKind.MaxPool:
                return nn.MaxPool2d(layer.Kernel!.Value, stride: layer.Stride ?? layer.Kernel.Value, padding: layer.Padding!.Value);
            case LayerKind.AvgPool:
                return nn.AvgPool2d(layer.Kernel!.Value, stride: layer.Stride ?? layer.Kernel.Value, padding: layer.Padding!.Value);
            case LayerKind.Flatten:
                return nn.Flatten();
            case LayerKind.Dropout:
                return nn.Dropout(layer.P!.Value);
            case LayerKind.BatchNorm:
                return input.Length == 3 ? nn.BatchNorm2d(input[0]) : nn.BatchNorm1d(input[0]);
            case LayerKind.LayerNorm:
                return nn.LayerNorm(input.Select(d => (long)d).ToArray());
            case LayerKind.Activation or LayerKind.ModelActivation:
                return activationFactory.Create(activation!);
            default:
                throw new ArgumentException($"no module for layer type '{layer.Type}'");
        }
    }
}
