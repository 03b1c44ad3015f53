namespace ExperimentRunner.Core.Config.Settings;

/// <summary>
/// One layer of a layer stack (a <c>sequential</c> model's <c>layers</c>, or the stack a <c>cnn</c> expands to):
/// its type and the parameters that type takes.
/// </summary>
public sealed record LayerSettings(string Type)
{
    /// <summary>linear (null on the last linear layer: the dataset's output width).</summary>
    public long? OutFeatures { get; init; }
    /// <summary>linear, conv2d.</summary>
    public bool? Bias { get; init; }
    /// <summary>conv2d.</summary>
    public long? OutChannels { get; init; }
    /// <summary>conv2d and pooling: window size, step (pooling: null means the kernel size) and padding.</summary>
    public long? Kernel { get; init; }
    public long? Stride { get; init; }
    public long? Padding { get; init; }
    /// <summary>dropout's probability.</summary>
    public double? P { get; init; }
    /// <summary>The activation an activation layer applies, with its parameters (its type is the activation's name).</summary>
    public ActivationSettings Activation { get; init; } = ActivationSettings.Identity;

    public static LayerSettings From(Component c)
    {
        var r = new SettingsReader(c);
        var settings = new LayerSettings(c.Name)
        {
            OutFeatures = r.Long("out_features"),
            Bias = r.Bool("bias"),
            OutChannels = r.Long("out_channels"),
            Kernel = r.Long("kernel"),
            Stride = r.Long("stride"),
            Padding = r.Long("padding"),
            P = r.Float("p"),
            Activation = ActivationSettings.Read(r),
        };
        r.Done();
        return settings;
    }
}
