namespace ExperimentRunner.Core.Catalog;

public sealed record LossEntry(string Name, string Description, IReadOnlyList<ParamSpec> Params) : CatalogEntry(Name, Description, Params)
{
    public required OutputKind Expects { get; init; }
    public TargetForm ClassTarget { get; init; } = TargetForm.ClassIndex;
    public bool Classification { get; init; } = true;
    public bool Regression { get; init; } = true;

    /// <summary>The output activation <c>auto</c> picks so the network hands this loss what it expects.</summary>
    public string AutoOutput => Expects switch
    {
        OutputKind.Probabilities => "sigmoid",
        OutputKind.LogProbabilities => "log_softmax",
        _ => "identity",
    };
}

public static class LossCatalog
{
    /// <summary>"mse, l1, ... or poisson_nll": the losses a regression target can use, for error messages.</summary>
    public static string RegressionChoices(Registry<LossEntry> losses)
    {
        var names = losses.Entries.Where(e => e.Regression).Select(e => e.Name).ToList();
        return names.Count < 2 ? string.Concat(names) : $"{string.Join(", ", names[..^1])} or {names[^1]}";
    }

    private static readonly ParamSpec ClassWeights =
        P.Floats("weight", null, "per-class weights (one per class), for imbalanced data", min: 0);

    public static Registry<LossEntry> Create() => new(CatalogKind.Loss,
    [
        new("mse", "mean squared error; on classes it regresses one-hot targets", [])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot, Aliases = ["l2", "mean_squared_error"] },
        new("l1", "mean absolute error; robust to outliers, constant gradient", [])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot, Aliases = ["mae", "mean_absolute_error"] },
        new("smooth_l1", "squared below beta, absolute above", [P.Float("beta", 1.0, "where the quadratic part ends", min: 0, minExclusive: true)])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot },
        new("huber", "squared below delta, linear above (smooth_l1 scaled by delta)", [P.Float("delta", 1.0, "where the quadratic part ends", min: 0, minExclusive: true)])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot },
        new("log_cosh", "log(cosh(error)): like mse near zero, like l1 far away", [])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot, Aliases = ["logcosh"] },
        new("cross_entropy", "softmax cross-entropy on raw logits", [
                P.Float("label_smoothing", 0.0, "mass moved from the true class to the others", min: 0, max: 1, maxExclusive: true),
                ClassWeights])
            { Expects = OutputKind.Logits, Regression = false, Aliases = ["ce", "categorical_crossentropy", "crossentropy"] },
        new("nll", "negative log-likelihood of log-probabilities (pair with log_softmax)", [ClassWeights])
            { Expects = OutputKind.LogProbabilities, Regression = false, Aliases = ["nll_loss", "negative_log_likelihood"] },
        new("bce", "binary cross-entropy per class on probabilities, one-hot targets", [ClassWeights])
            { Expects = OutputKind.Probabilities, ClassTarget = TargetForm.OneHot, Regression = false, Aliases = ["binary_cross_entropy", "binary_crossentropy"] },
        new("bce_with_logits", "sigmoid + binary cross-entropy per class on raw logits (stable)", [
                P.Float("pos_weight", null, "weight of positive examples in every class", min: 0, minExclusive: true)])
            { Expects = OutputKind.Logits, ClassTarget = TargetForm.OneHot, Regression = false, Aliases = ["bcewithlogits", "sigmoid_cross_entropy"] },
        new("focal", "cross-entropy down-weighting easy examples by (1-p)^gamma", [
                P.Float("gamma", 2.0, "focusing strength; 0 is plain cross-entropy", min: 0),
                P.Float("alpha", null, "weight of every class's loss term (0..1)", min: 0, max: 1)])
            { Expects = OutputKind.Logits, Regression = false, Aliases = ["focal_loss"] },
        new("multi_margin", "multi-class hinge loss on raw scores", [
                P.Int("p", 1, "1 for hinge, 2 for squared hinge", min: 1, max: 2),
                P.Float("margin", 1.0, "required gap between the true score and the others", min: 0, minExclusive: true)])
            { Expects = OutputKind.Logits, Regression = false, Aliases = ["hinge", "multi_class_hinge"] },
        new("kl_div", "KL divergence from one-hot (or smoothed) targets to predicted log-probabilities", [
                P.Float("label_smoothing", 0.0, "mass spread from the true class to the others", min: 0, max: 1, maxExclusive: true)])
            { Expects = OutputKind.LogProbabilities, ClassTarget = TargetForm.OneHot, Regression = false, Aliases = ["kl", "kldiv", "kullback_leibler"] },
        new("poisson_nll", "Poisson negative log-likelihood; the output is the log of the rate", [
                P.Bool("full", false, "add the Stirling term"),
                P.Float("eps", 1e-8, "keeps log() away from zero", min: 0, minExclusive: true)])
            { Expects = OutputKind.Values, ClassTarget = TargetForm.OneHot, Aliases = ["poisson"] },
    ]);
}
