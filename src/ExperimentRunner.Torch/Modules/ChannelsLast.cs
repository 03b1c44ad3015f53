using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>
/// Hands the next layers their input in channels-last order (NHWC in memory, still [N, C, H, W] to every layer).
/// <para>
/// Correctness first: in NCHW order libtorch 2.10's CPU convolutions computed wrong input gradients for small
/// channel counts on an AVX-512 AMD EPYC (12 -> 24 channels: off by up to 10 against the same convolution in float64,
/// every call; 4 -> 8: wrong on the first backward pass of a process, 0.28 off in a weight gradient), and read memory
/// nothing wrote (with libtorch's allocator filling new blocks with NaN, those CNNs diverged every time, at AVX-512
/// and at AVX2). In channels-last order the same gradients match float64 to 1e-5 and the NaN-filled runs complete.
/// Then speed: libtorch's NCHW max pooling is a scalar loop with a branch per element (26% of a Fashion-MNIST CNN
/// trial's CPU in perf, against about 8% for PyTorch 1.13's); channels-last pooling, batch norm and convolutions are
/// vectorized, and that CNN's epoch took 3.4-3.7 s instead of 5.5 s (README: Runner vs a hand-written loop, and vs
/// PyTorch).
/// </para>
/// <para>
/// Placed before every convolution, the first included: libtorch then runs the convolution channels-last and hands its
/// output on in that order, and every later layer keeps the order it is given (flatten copies into the [C, H, W]
/// order the dense layers were built for). Values equal NCHW's up to rounding where NCHW is right. No parameters, so
/// state dicts and checkpoints are unchanged; no copy when its input is already channels-last or has one channel. A
/// one-channel convolution that is not the stack's first layer is a <see cref="OneChannelConv2d"/> as well: in
/// channels-last order too its input gradient was wrong.
/// </para>
/// </summary>
public sealed class ChannelsLast() : nn.Module<Tensor, Tensor>("channels_last")
{
    /// <summary>Child names start so; not layers of the config (no parameters, no state dict entries).</summary>
    public const string NamePrefix = "channels_last_";

    public static (string, nn.Module<Tensor, Tensor>) Named(IReadOnlyCollection<(string, nn.Module<Tensor, Tensor>)> before) =>
        ($"{NamePrefix}{before.Count(m => m.Item2 is ChannelsLast) + 1}", new ChannelsLast());

    public override Tensor forward(Tensor input) => Of(input);

    /// <summary>The input as a channels-last [N, C, H, W] tensor (itself, viewed, when it already is one).</summary>
    public static Tensor Of(Tensor input)
    {
        if (input.shape[1] == 1)
        {
            // One channel: NCHW and NHWC hold the same bytes, but a contiguous tensor's channel stride says NCHW. A view
            // as [N, H, W, 1] put back as [N, 1, H, W] gives the channel stride 1 that libtorch reads as channels-last.
            using var dense = input.contiguous();
            using var rows = dense.view(input.shape[0], input.shape[2], input.shape[3], 1);
            return rows.permute(0, 3, 1, 2);
        }
        // [N, C, H, W] -> [N, H, W, C] contiguous -> viewed back as [N, C, H, W]: NHWC strides.
        using var nhwc = input.permute(0, 2, 3, 1);
        using var packed = nhwc.contiguous();
        return packed.permute(0, 3, 1, 2);
    }
}
