using static TorchSharp.torch;
using Parameter = TorchSharp.Modules.Parameter;

namespace ExperimentRunner.Torch.Modules;

/// <summary>
/// A 2-d convolution with one input channel that is not the first layer of its stack (a sequential stack's conv2d
/// after another layer), so its input may need a gradient. libtorch 2.10's input gradient for one input channel was wrong on an AVX-512 AMD EPYC, in NCHW
/// order and in channels-last order (a 1 -> 12 convolution: the weight gradient of the convolution before it 25% off
/// against float64; see <see cref="ChannelsLast"/>). It convolves two channels
/// instead, the input and a zero channel, with the weight and a zero slice, in channels-last order: the same sums,
/// through kernels that are right. Parameters are a Conv2d's (weight [out, 1, k, k], bias [out]), so state dicts and
/// checkpoints are those of the config's conv2d.
/// </summary>
public sealed class OneChannelConv2d : nn.Module<Tensor, Tensor>
{
    private readonly long[] _stride;
    private readonly long[] _padding;

    public OneChannelConv2d(long outChannels, long kernel, long stride, long padding, bool bias) : base(nameof(OneChannelConv2d))
    {
        // Initialized as nn.Conv2d initializes its own; the builder then applies the config's init to "weight" and "bias".
        using var like = nn.Conv2d(1, outChannels, kernel, stride: stride, padding: padding, bias: bias);
        weight = new Parameter(like.weight!.detach().clone());
        this.bias = bias ? new Parameter(like.bias!.detach().clone()) : null;
        (_stride, _padding) = ([stride, stride], [padding, padding]);
        RegisterComponents();
    }

    // Field names are the state dict's keys (RegisterComponents registers fields by name).
#pragma warning disable IDE1006, CA1051
    public readonly Parameter weight;
    public readonly Parameter? bias;
#pragma warning restore IDE1006, CA1051

    public override Tensor forward(Tensor input)
    {
        using var zeroInput = zeros_like(input);
        using var both = cat([input, zeroInput], 1);
        using var twoChannels = ChannelsLast.Of(both);
        using var zeroWeight = zeros_like(weight);
        using var twoWeights = cat([weight, zeroWeight], 1);
        return nn.functional.conv2d(twoChannels, twoWeights, bias, strides: _stride, padding: _padding);
    }
}
