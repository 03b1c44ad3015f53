using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config.Settings;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Optim;

/// <summary>The constructor of each optimizer of the catalog.</summary>
public sealed class OptimizerFactory(Registry<CatalogEntry> optimizers)
{
    private readonly FactoryTable<Func<OptimizerSettings, IEnumerable<Parameter>, OptimizerHelper>> _table = new(optimizers, Builders);

    private static readonly Dictionary<string, Func<OptimizerSettings, IEnumerable<Parameter>, OptimizerHelper>> Builders = new()
        {
            ["sgd"] = (c, p) => optim.SGD(p, c.Lr, c.Momentum!.Value, c.Dampening!.Value, c.WeightDecay, c.Nesterov!.Value),
            ["adam"] = (c, p) => new Adam(p, c.Lr, c.Betas![0], c.Betas[1], c.Eps!.Value, c.WeightDecay, c.Amsgrad!.Value),
            ["adamw"] = (c, p) => new AdamW(p, c.Lr, c.Betas![0], c.Betas[1], c.Eps!.Value, c.WeightDecay, c.Amsgrad!.Value),
            ["rmsprop"] = (c, p) => optim.RMSProp(p, c.Lr, c.Alpha!.Value, c.Eps!.Value, c.WeightDecay, c.Momentum!.Value, c.Centered!.Value),
            ["adagrad"] = (c, p) => optim.Adagrad(p, c.Lr, c.LrDecay!.Value, c.WeightDecay, 0, c.Eps!.Value),
        };

    /// <summary>The catalog names this factory builds.</summary>
    public IReadOnlyCollection<string> Names => _table.Names;

    public OptimizerHelper Create(OptimizerSettings optimizer, IEnumerable<Parameter> parameters) => _table.For(optimizer.Name)(optimizer, parameters);

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }
}
