namespace ExperimentRunner.Core.Config.Settings;

/// <summary>A loss with its parameters; each is set only for the losses that take it.</summary>
public sealed record LossSettings(string Name)
{
    /// <summary>smooth_l1.</summary>
    public double? Beta { get; init; }
    /// <summary>huber.</summary>
    public double? Delta { get; init; }
    /// <summary>cross_entropy, kl_div.</summary>
    public double? LabelSmoothing { get; init; }
    /// <summary>Per-class weights (cross_entropy, nll, bce); null when unset.</summary>
    public IReadOnlyList<double>? Weight { get; init; }
    /// <summary>bce_with_logits.</summary>
    public double? PosWeight { get; init; }
    /// <summary>focal.</summary>
    public double? Gamma { get; init; }
    public double? Alpha { get; init; }
    /// <summary>multi_margin.</summary>
    public int? P { get; init; }
    public double? Margin { get; init; }
    /// <summary>poisson_nll.</summary>
    public bool? Full { get; init; }
    public double? Eps { get; init; }

    public static LossSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new LossSettings(c.Name)
        {
            Beta = r.Float("beta"),
            Delta = r.Float("delta"),
            LabelSmoothing = r.Float("label_smoothing"),
            Weight = r.Floats("weight"),
            PosWeight = r.Float("pos_weight"),
            Gamma = r.Float("gamma"),
            Alpha = r.Float("alpha"),
            P = r.Int("p"),
            Margin = r.Float("margin"),
            Full = r.Bool("full"),
            Eps = r.Float("eps"),
        };
        r.Done();
        return settings;
    }
}
