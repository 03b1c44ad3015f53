using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;

namespace ExperimentRunner.Torch.Modules;

/// <summary>The builder of each architecture of the catalog.</summary>
public sealed class ModelFactory
{
    private readonly FactoryTable<IArchitectureBuilder> _table;

    public ModelFactory(Catalogs catalogs, ActivationFactory activations)
    {
        var stacks = new LayerStackBuilder(catalogs, activations);
        _table = new(catalogs.Architectures, new Dictionary<string, IArchitectureBuilder>
        {
            ["mlp"] = new MlpBuilder(activations),
            ["cnn"] = new CnnBuilder(stacks),
            ["sequential"] = new SequentialBuilder(stacks),
        });
    }

    /// <summary>The catalog names this factory builds.</summary>
    public IReadOnlyCollection<string> Names => _table.Names;

    public BuiltModel Build(ModelSettings model, int[] inputShape, int outputs) => _table.For(model.Architecture).Build(model, inputShape, outputs);
}
