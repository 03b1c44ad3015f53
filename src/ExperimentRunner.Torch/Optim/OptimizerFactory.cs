using ExperimentRunner.Core.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Optim;

/// <summary>Optimizer name -> constructor; one entry per optimizer of the catalog.</summary>
public static class OptimizerFactory
{
    public static IReadOnlyDictionary<string, Func<Component, IEnumerable<Parameter>, OptimizerHelper>> Builders { get; } =
        new Dictionary<string, Func<Component, IEnumerable<Parameter>, OptimizerHelper>>
        {
            ["sgd"] = (c, p) => optim.SGD(p, c.Float("lr"), c.Float("momentum"), c.Float("dampening"), c.Float("weight_decay"), c.Bool("nesterov")),
            ["adam"] = (c, p) => optim.Adam(p, c.Float("lr"), c.Floats("betas")[0], c.Floats("betas")[1], c.Float("eps"), c.Float("weight_decay"), c.Bool("amsgrad")),
            ["adamw"] = (c, p) => optim.AdamW(p, c.Float("lr"), c.Floats("betas")[0], c.Floats("betas")[1], c.Float("eps"), c.Float("weight_decay"), c.Bool("amsgrad")),
            ["rmsprop"] = (c, p) => optim.RMSProp(p, c.Float("lr"), c.Float("alpha"), c.Float("eps"), c.Float("weight_decay"), c.Float("momentum"), c.Bool("centered")),
            ["adagrad"] = (c, p) => optim.Adagrad(p, c.Float("lr"), c.Float("lr_decay"), c.Float("weight_decay"), 0, c.Float("eps")),
        };

    public static OptimizerHelper Create(Component optimizer, IEnumerable<Parameter> parameters) =>
        Builders.TryGetValue(optimizer.Name, out var build)
            ? build(optimizer, parameters)
            : throw new ArgumentException($"no optimizer '{optimizer.Name}'; known: {string.Join(", ", Builders.Keys)}");

    public static void SetLearningRate(optim.Optimizer optimizer, double lr)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
    }
}
