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
public sealed class SessionFactory(ModelFactory models, OptimizerFactory optimizers, LrSchedules schedules, LossFactory losses)
{
    public TrainingSession Create(ExperimentSpec spec, TaskKind task, TensorSplit train, TensorSplit validation, TensorSplit test)
    {
        manual_seed(spec.Seed);
        var model = models.Build(spec.Model, train.Data.Shape, train.Data.OutputWidth);
        var optimizer = optimizers.Create(spec.Optimizer, model.Network.parameters());
        var stepsPerEpoch = (train.Rows + spec.Training.BatchSize - 1) / spec.Training.BatchSize;
        return new TrainingSession
        {
            Spec = spec,
            Model = model,
            Optimizer = optimizer,
            Schedule = schedules.Create(spec.Scheduler, spec.Optimizer.Lr, spec.Training.Epochs, stepsPerEpoch),
            Loss = losses.Create(spec.Loss),
            Task = task,
            Train = train,
            Validation = validation,
            Test = test,
            Metrics = spec.MetricsFor(task),
        };
    }
}
