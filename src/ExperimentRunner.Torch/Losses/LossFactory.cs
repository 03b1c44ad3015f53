using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ExperimentRunner.Torch.Losses;

/// <summary>A loss on one batch: network output and target (in the form the loss's catalog entry declares) to a scalar.</summary>
public delegate Tensor LossFunction(Tensor output, Tensor target);

/// <summary>The function of each loss of the catalog.</summary>
public sealed class LossFactory(Registry<LossEntry> losses)
{
    private readonly FactoryTable<Func<LossSettings, LossFunction>> _table = new(losses, Builders);

    private static readonly Dictionary<string, Func<LossSettings, LossFunction>> Builders = new()
        {
            ["mse"] = _ => (o, t) => F.mse_loss(o, t),
            ["l1"] = _ => (o, t) => F.l1_loss(o, t),
            ["smooth_l1"] = c => { var beta = c.Beta!.Value; return (o, t) => F.smooth_l1_loss(o, t, nn.Reduction.Mean, beta); },
            ["huber"] = c => { var delta = c.Delta!.Value; return (o, t) => F.huber_loss(o, t, delta); },
            ["log_cosh"] = _ => LogCosh,
            ["cross_entropy"] = c =>
            {
                var weight = Weights(c);
                var smoothing = c.LabelSmoothing!.Value;
                return (o, t) => F.cross_entropy(o, t, weight, label_smoothing: smoothing);
            },
            ["nll"] = c => { var weight = Weights(c); return (o, t) => F.nll_loss(o, t, weight); },
            ["bce"] = c =>
            {
                var weight = Weights(c);
                // Clamp keeps log() finite when a saturated sigmoid outputs exactly 0 or 1.
                return (o, t) => F.binary_cross_entropy(o.clamp(1e-7, 1 - 1e-7), t, weight);
            },
            ["bce_with_logits"] = c =>
            {
                var pos = c.PosWeight is { } p ? tensor((float)p) : null;
                return (o, t) => F.binary_cross_entropy_with_logits(o, t, null, nn.Reduction.Mean, pos);
            },
            ["focal"] = c => Focal(c.Gamma!.Value, c.Alpha),
            ["multi_margin"] = c =>
            {
                var module = nn.MultiMarginLoss(c.P!.Value, c.Margin!.Value);
                return (o, t) => module.forward(o, t);
            },
            ["kl_div"] = c => KlDiv(c.LabelSmoothing!.Value),
            ["poisson_nll"] = c =>
            {
                var full = c.Full!.Value;
                var eps = (float)c.Eps!.Value;
                return (o, t) => F.poisson_nll_loss(o, t, true, full, eps);
            },
        };

    /// <summary>The catalog names this factory builds.</summary>
    public IReadOnlyCollection<string> Names => _table.Names;

    public LossFunction Create(LossSettings loss) => _table.For(loss.Name)(loss);

    private static Tensor? Weights(LossSettings c) =>
        c.Weight is { } w ? tensor(w.Select(x => (float)x).ToArray()) : null;

    // log(cosh(d)) = d + softplus(-2d) - log 2, which stays finite for large |d| where cosh overflows.
    private static Tensor LogCosh(Tensor o, Tensor t)
    {
        var d = o - t;
        return (d + F.softplus(-2 * d, 1, 20) - Math.Log(2)).mean();
    }

    private static LossFunction Focal(double gamma, double? alpha) => (o, t) =>
    {
        var logp = F.log_softmax(o, 1).gather(1, t.unsqueeze(1)).squeeze(1);
        var weight = (1 - logp.exp()).pow(gamma);
        var loss = -weight * logp;
        return (alpha is { } a ? a * loss : loss).mean();
    };

    // Targets arrive one-hot; smoothing spreads mass to the other classes. Sum over classes, mean over rows ("batchmean").
    private static LossFunction KlDiv(double smoothing) => (o, t) =>
    {
        var classes = o.shape[1];
        var target = smoothing > 0 ? t * (1 - smoothing) + smoothing / classes : t;
        return F.kl_div(o, target, false, nn.Reduction.Sum) / o.shape[0];
    };
}
