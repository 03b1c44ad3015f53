using ExperimentRunner.Core.Config.Settings;
using TorchSharp;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Modules;

/// <summary>Weight initialization schemes; gains follow the layer's activation as PyTorch's calculate_gain does.</summary>
public static class WeightInit
{
    public static void Apply(Tensor weight, Tensor? bias, string scheme, ActivationSettings activation, double? biasInit)
    {
        using var _ = no_grad();
        var (nonlinearity, slope) = Nonlinearity(activation);
        switch (scheme)
        {
            case "default":
                break;
            case "kaiming_normal":
                nn.init.kaiming_normal_(weight, slope, nn.init.FanInOut.FanIn, nonlinearity);
                break;
            case "kaiming_uniform":
                nn.init.kaiming_uniform_(weight, slope, nn.init.FanInOut.FanIn, nonlinearity);
                break;
            case "xavier_normal":
                nn.init.xavier_normal_(weight, nn.init.calculate_gain(nonlinearity, slope));
                break;
            case "xavier_uniform":
                nn.init.xavier_uniform_(weight, nn.init.calculate_gain(nonlinearity, slope));
                break;
            case "orthogonal":
                nn.init.orthogonal_(weight, nn.init.calculate_gain(nonlinearity, slope));
                break;
            default:
                throw new ArgumentException($"unknown init '{scheme}'");
        }
        if (bias is null) return;
        if (biasInit is { } b) nn.init.constant_(bias, b);
        else if (scheme != "default") nn.init.zeros_(bias);
    }

    // calculate_gain knows relu, leaky_relu, tanh, sigmoid and linear; other activations use the closest family.
    private static (nn.init.NonlinearityType, double) Nonlinearity(ActivationSettings activation) => activation.Name switch
    {
        "tanh" or "softsign" or "hardtanh" => (nn.init.NonlinearityType.Tanh, 0),
        "sigmoid" or "hardsigmoid" or "logsigmoid" => (nn.init.NonlinearityType.Sigmoid, 0),
        "leaky_relu" => (nn.init.NonlinearityType.LeakyReLU, activation.NegativeSlope!.Value),
        "prelu" => (nn.init.NonlinearityType.LeakyReLU, activation.Init!.Value),
        "identity" or "softmax" or "log_softmax" => (nn.init.NonlinearityType.Linear, 0),
        _ => (nn.init.NonlinearityType.ReLU, 0),
    };
}
