using ExperimentRunner.Core.Catalog;

namespace ExperimentRunner.Core.Config.Rules;

/// <summary>
/// The loss must receive what it expects: cross-entropy wants logits, nll log-probabilities, bce probabilities.
/// Impossible pairs are errors; legal but wasteful or dubious ones are warnings.
/// </summary>
public sealed class OutputActivationMatchesLoss : IConfigRule
{
    public IReadOnlyList<string> Reads { get; } = ["model.output_activation", "loss"];

    public void Check(RuleContext c)
    {
        var output = c.Spec.Model.OutputActivation;
        if (output.Name == ActivationCatalog.Auto) return;
        var act = c.Catalogs.OutputActivations.Get(output.Name);
        var loss = c.Loss;
        const string path = "model.output_activation";
        var produces = act.Produces.Words();
        switch (loss.Expects)
        {
            case OutputKind.LogProbabilities when act.Produces != OutputKind.LogProbabilities:
                c.Error(path, $"'{loss.Name}' expects log-probabilities but '{act.Name}' produces {produces}; use log_softmax (or auto)");
                break;
            case OutputKind.LogProbabilities when act.Name == "logsigmoid":
                c.Warn(path, $"logsigmoid gives per-class log-probabilities that do not sum to one; '{loss.Name}' normally takes log_softmax");
                break;
            case OutputKind.Probabilities when act.Lower is null || act.Upper is null || act.Lower < 0 || act.Upper > 1:
                c.Error(path, $"'{loss.Name}' expects probabilities in [0, 1] but '{act.Name}' produces {(act.Lower is null || act.Upper is null ? "unbounded values" : $"values in [{act.Lower}, {act.Upper}]")}; use sigmoid (or auto), or bce_with_logits on raw logits");
                break;
            case OutputKind.Logits when act.Name is "softmax" or "sigmoid":
                c.Warn(path, loss.Name == "bce_with_logits"
                    ? $"bce_with_logits applies sigmoid itself: with '{act.Name}' output sigmoid is applied twice and gradients shrink; use identity (auto)"
                    : $"'{loss.Name}' applies softmax itself: with '{act.Name}' output, softmax is applied twice and gradients shrink; use identity (auto)");
                break;
            case OutputKind.Logits when act.Name == "log_softmax":
                c.Warn(path, $"'{loss.Name}' normalizes logits itself; log_softmax before it changes nothing but costs time");
                break;
            case OutputKind.Logits when act.Name != "identity":
                c.Warn(path, $"'{loss.Name}' expects raw logits; '{act.Name}' limits their range, which can slow or cap learning");
                break;
            case OutputKind.Values when act.Produces == OutputKind.LogProbabilities && loss.Name != "poisson_nll":
                c.Warn(path, $"'{loss.Name}' compares outputs with targets directly; '{act.Name}' output is never positive");
                break;
        }
    }
}
