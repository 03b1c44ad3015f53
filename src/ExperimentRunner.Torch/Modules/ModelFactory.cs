using ExperimentRunner.Core.Config;

namespace ExperimentRunner.Torch.Modules;

/// <summary>Architecture name -> builder; one entry per architecture of the catalog.</summary>
public static class ModelFactory
{
    public static IReadOnlyDictionary<string, IArchitectureBuilder> Builders { get; } = new Dictionary<string, IArchitectureBuilder>
    {
        ["mlp"] = new MlpBuilder(),
        ["cnn"] = new CnnBuilder(),
        ["sequential"] = new SequentialBuilder(),
    };

    public static BuiltModel Build(Component model, int[] inputShape, int outputs) =>
        Builders.TryGetValue(model.Name, out var builder)
            ? builder.Build(model, inputShape, outputs)
            : throw new ArgumentException($"no builder for architecture '{model.Name}'; known: {string.Join(", ", Builders.Keys)}");
}
