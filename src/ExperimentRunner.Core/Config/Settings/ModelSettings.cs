namespace ExperimentRunner.Core.Config.Settings;

/// <summary>
/// The network: its architecture and every setting of it. Settings an architecture does not take keep their
/// neutral value (no hidden layers, no dropout, no norm), so builders read one shape for all three.
/// </summary>
public sealed record ModelSettings(string Architecture)
{
    public required ActivationSettings Activation { get; init; }
    /// <summary>Resolved by the loader: never <c>auto</c> in a trial's spec.</summary>
    public required ActivationSettings OutputActivation { get; init; }
    public string Init { get; init; } = "default";
    public double? BiasInit { get; init; }
    /// <summary>mlp, cnn: widths of the dense hidden layers.</summary>
    public IReadOnlyList<long> Hidden { get; init; } = [];
    public double Dropout { get; init; }
    public string Norm { get; init; } = "none";
    /// <summary>cnn: one conv block per entry, with these conv and pooling settings.</summary>
    public IReadOnlyList<long> Channels { get; init; } = [];
    public long Kernel { get; init; } = 3;
    public long Stride { get; init; } = 1;
    /// <summary>null: kernel / 2.</summary>
    public long? Padding { get; init; }
    public string Pool { get; init; } = "none";
    public long PoolSize { get; init; } = 2;
    /// <summary>sequential: the layers in order.</summary>
    public IReadOnlyList<LayerSettings> Layers { get; init; } = [];

    public static ModelSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new ModelSettings(c.Name)
        {
            Activation = ActivationSettings.From(r.Child("activation") ?? throw SettingsReader.Missing(c.Name, "activation")),
            OutputActivation = ActivationSettings.From(r.Child("output_activation") ?? throw SettingsReader.Missing(c.Name, "output_activation")),
            Init = r.Text("init") ?? "default",
            BiasInit = r.Float("bias_init"),
            Hidden = r.Longs("hidden") ?? [],
            Dropout = r.Float("dropout") ?? 0,
            Norm = r.Text("norm") ?? "none",
            Channels = r.Longs("channels") ?? [],
            Kernel = r.Long("kernel") ?? 3,
            Stride = r.Long("stride") ?? 1,
            Padding = r.Long("padding"),
            Pool = r.Text("pool") ?? "none",
            PoolSize = r.Long("pool_size") ?? 2,
            Layers = r.Children("layers")?.Select(LayerSettings.From).ToList() ?? [],
        };
        r.Done();
        return settings;
    }
}
