namespace ExperimentRunner.Core.Config.Settings;

/// <summary>A hidden or output activation with its parameters; each is set only for the activations that take it.</summary>
public sealed record ActivationSettings(string Name)
{
    /// <summary>leaky_relu.</summary>
    public double? NegativeSlope { get; init; }
    /// <summary>prelu's initial slope.</summary>
    public double? Init { get; init; }
    /// <summary>elu, celu.</summary>
    public double? Alpha { get; init; }
    /// <summary>gelu: none or tanh.</summary>
    public string? Approximate { get; init; }
    /// <summary>hardtanh's clip range.</summary>
    public double? MinVal { get; init; }
    public double? MaxVal { get; init; }
    /// <summary>softplus.</summary>
    public double? Beta { get; init; }
    public double? Threshold { get; init; }

    public static ActivationSettings Identity { get; } = new("identity");

    public static ActivationSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = Read(r);
        r.Done();
        return settings;
    }

    /// <summary>The activation parameters of a component that may carry others too (an activation layer of a sequential model).</summary>
    internal static ActivationSettings Read(SettingsReader r) => new(r.Name)
    {
        NegativeSlope = r.Float("negative_slope"),
        Init = r.Float("init"),
        Alpha = r.Float("alpha"),
        Approximate = r.Text("approximate"),
        MinVal = r.Float("min_val"),
        MaxVal = r.Float("max_val"),
        Beta = r.Float("beta"),
        Threshold = r.Float("threshold"),
    };
}
