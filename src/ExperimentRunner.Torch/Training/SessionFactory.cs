using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Training;

/// <summary>
/// Builds what a trial trains with from its spec and its tensors: seeds torch, then model, optimizer, schedule
/// and loss, in that order, so the same spec always starts from the same weights.
/// </summary>
public static class SessionFactory
{
    public static TrainingSession Create(ExperimentSpec spec, TaskKind task, TensorSplit train, TensorSplit validation, TensorSplit test)
    {
        manual_seed(spec.Seed);
        var model = ModelFactory.Build(spec.Model, train.Data.Shape, train.Data.OutputWidth);
        var optimizer = OptimizerFactory.Create(spec.Optimizer, model.Network.parameters());
        var stepsPerEpoch = (train.Rows + spec.Training.BatchSize - 1) / spec.Training.BatchSize;
        return new TrainingSession
        {
            Spec = spec,
            Model = model,
            Optimizer = optimizer,
            Schedule = LrSchedules.Create(spec.Scheduler, spec.Optimizer.Float("lr"), spec.Training.Epochs, stepsPerEpoch),
            Loss = LossFactory.Create(spec.Loss),
            Task = task,
            Train = train,
            Validation = validation,
            Test = test,
            Metrics = spec.MetricsFor(task),
        };
    }
}
