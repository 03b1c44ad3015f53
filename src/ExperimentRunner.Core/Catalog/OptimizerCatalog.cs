namespace ExperimentRunner.Core.Catalog;

public static class OptimizerCatalog
{
    private static ParamSpec Lr(double @default) => P.Float("lr", @default, "learning rate", min: 0, minExclusive: true, max: 100);
    private static ParamSpec WeightDecay(double @default) => P.Float("weight_decay", @default, "L2 penalty (decoupled for adamw)", min: 0);

    public static Registry<CatalogEntry> Create() => new(CatalogKind.Optimizer,
    [
        new("sgd", "stochastic gradient descent, optionally with (Nesterov) momentum", [
            Lr(0.01), P.Float("momentum", 0.0, "momentum factor", min: 0, max: 1, maxExclusive: true),
            P.Float("dampening", 0.0, "dampening for momentum", min: 0, max: 1), P.Bool("nesterov", false, "Nesterov momentum (needs momentum > 0)"), WeightDecay(0.0)]),
        new("adam", "adaptive moments (Kingma & Ba)", [
            Lr(0.001), P.Floats("betas", [0.9, 0.999], "decay rates of the first and second moment", min: 0, max: 1, minCount: 2, maxCount: 2),
            P.Float("eps", 1e-8, "added to the denominator", min: 0, minExclusive: true), WeightDecay(0.0), P.Bool("amsgrad", false, "use the AMSGrad variant")]),
        new("adamw", "Adam with decoupled weight decay (Loshchilov & Hutter)", [
            Lr(0.001), P.Floats("betas", [0.9, 0.999], "decay rates of the first and second moment", min: 0, max: 1, minCount: 2, maxCount: 2),
            P.Float("eps", 1e-8, "added to the denominator", min: 0, minExclusive: true), WeightDecay(0.01), P.Bool("amsgrad", false, "use the AMSGrad variant")]),
        new("rmsprop", "divides by a running average of squared gradients", [
            Lr(0.01), P.Float("alpha", 0.99, "smoothing constant", min: 0, max: 1), P.Float("eps", 1e-8, "added to the denominator", min: 0, minExclusive: true),
            P.Float("momentum", 0.0, "momentum factor", min: 0, max: 1, maxExclusive: true), P.Bool("centered", false, "normalize by the variance estimate"), WeightDecay(0.0)]),
        new("adagrad", "per-parameter learning rates from accumulated squared gradients", [
            Lr(0.01), P.Float("lr_decay", 0.0, "learning-rate decay", min: 0), P.Float("eps", 1e-10, "added to the denominator", min: 0, minExclusive: true), WeightDecay(0.0)]),
    ]);
}
