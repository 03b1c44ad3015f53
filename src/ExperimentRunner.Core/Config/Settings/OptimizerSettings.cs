namespace ExperimentRunner.Core.Config.Settings;

/// <summary>An optimizer: the learning rate and weight decay every one has, the rest only where the optimizer takes it.</summary>
public sealed record OptimizerSettings(string Name, double Lr, double WeightDecay)
{
    /// <summary>sgd, rmsprop.</summary>
    public double? Momentum { get; init; }
    /// <summary>sgd.</summary>
    public double? Dampening { get; init; }
    public bool? Nesterov { get; init; }
    /// <summary>adam, adamw.</summary>
    public IReadOnlyList<double>? Betas { get; init; }
    public bool? Amsgrad { get; init; }
    /// <summary>adam, adamw, rmsprop, adagrad.</summary>
    public double? Eps { get; init; }
    /// <summary>rmsprop.</summary>
    public double? Alpha { get; init; }
    public bool? Centered { get; init; }
    /// <summary>adagrad.</summary>
    public double? LrDecay { get; init; }

    public static OptimizerSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new OptimizerSettings(c.Name,
            r.Float("lr") ?? throw SettingsReader.Missing(c.Name, "lr"),
            r.Float("weight_decay") ?? throw SettingsReader.Missing(c.Name, "weight_decay"))
        {
            Momentum = r.Float("momentum"),
            Dampening = r.Float("dampening"),
            Nesterov = r.Bool("nesterov"),
            Betas = r.Floats("betas"),
            Amsgrad = r.Bool("amsgrad"),
            Eps = r.Float("eps"),
            Alpha = r.Float("alpha"),
            Centered = r.Bool("centered"),
            LrDecay = r.Float("lr_decay"),
        };
        r.Done();
        return settings;
    }
}
