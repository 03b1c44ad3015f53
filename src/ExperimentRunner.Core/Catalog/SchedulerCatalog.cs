namespace ExperimentRunner.Core.Catalog;

public static class SchedulerCatalog
{
    public static Registry<CatalogEntry> Create() => new(CatalogKind.Scheduler,
    [
        new("constant", "keep the optimizer's learning rate", []) { Aliases = ["none"] },
        new("step", "multiply the rate by gamma every step_size epochs", [
            P.Int("step_size", 10, "epochs between decays", min: 1), P.Float("gamma", 0.1, "decay factor", min: 0, minExclusive: true, max: 1)]),
        new("multistep", "multiply the rate by gamma at each milestone epoch", [
            P.Ints("milestones", [10, 20], "epochs (1-based) after which the rate decays", min: 1, minCount: 1), P.Float("gamma", 0.1, "decay factor", min: 0, minExclusive: true, max: 1)]),
        new("exponential", "multiply the rate by gamma every epoch", [
            P.Float("gamma", 0.95, "decay factor", min: 0, minExclusive: true, max: 1)]),
        new("cosine", "cosine annealing from the rate to eta_min over t_max epochs, after an optional linear warmup", [
            P.Int("t_max", 0, "epochs of one half-cosine (0: training.epochs minus warmup)", min: 0),
            P.Float("eta_min", 0.0, "final learning rate", min: 0),
            P.Int("warmup_epochs", 0, "epochs of linear warmup from start_factor * lr", min: 0),
            P.Float("start_factor", 0.1, "fraction of the rate the warmup starts at", min: 0, max: 1, minExclusive: true)]) { Aliases = ["cosine_annealing"] },
        new("onecycle", "one-cycle policy per batch: warm up to max_lr, then anneal far below the start", [
            P.Float("max_lr", null, "peak learning rate (unset: 10 x the optimizer's lr)", min: 0, minExclusive: true),
            P.Float("pct_start", 0.3, "fraction of the steps spent increasing", min: 0, max: 1, minExclusive: true, maxExclusive: true),
            P.Choice("anneal_strategy", "cos", "shape of both phases", "cos", "linear"),
            P.Float("div_factor", 25.0, "initial rate = max_lr / div_factor", min: 1),
            P.Float("final_div_factor", 1e4, "final rate = initial rate / final_div_factor", min: 1)]) { Aliases = ["one_cycle"] },
        new("reduce_on_plateau", "multiply the rate by factor when the monitored value stops improving", [
            P.Choice("monitor", "val_loss", "what to watch (losses are minimized)", "val_loss", "train_loss"),
            P.Float("factor", 0.1, "decay factor", min: 0, minExclusive: true, max: 1, maxExclusive: true),
            P.Int("patience", 5, "epochs without improvement before decaying", min: 0),
            P.Float("threshold", 1e-4, "relative improvement that counts", min: 0),
            P.Float("min_lr", 0.0, "lower bound of the rate", min: 0)]) { Aliases = ["plateau"] },
        new("linear_warmup", "rise linearly from start_factor * lr to lr over warmup_epochs, then stay", [
            P.Int("warmup_epochs", 5, "epochs of warmup", min: 1),
            P.Float("start_factor", 0.1, "fraction of the rate the warmup starts at", min: 0, max: 1, minExclusive: true)]) { Aliases = ["warmup"] },
    ]);
}
