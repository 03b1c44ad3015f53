using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Torch.Training;

namespace ExperimentRunner.Torch;

/// <summary>
/// Everything that turns names into behaviour, built once per process and handed to loading, training and workers
/// alike: the catalogs (every name, with its dataset provider), the builders attached to them, the training sinks,
/// and the loader and trial runner that use them. Building it loads no native library, so validate and list can
/// hold one too.
/// </summary>
public sealed class ExprunRuntime
{
    public ExprunRuntime(Catalogs catalogs, TrainingSinks? sinks = null)
    {
        Catalogs = catalogs;
        Loader = new ExperimentLoader(catalogs);
        Activations = new ActivationFactory(catalogs);
        Losses = new LossFactory(catalogs.Losses);
        Optimizers = new OptimizerFactory(catalogs.Optimizers);
        Schedules = new LrSchedules(catalogs.Schedulers);
        Models = new ModelFactory(catalogs, Activations);
        Sessions = new SessionFactory(Models, Optimizers, Schedules, Losses);
        Sinks = sinks ?? TrainingSinks.Standard();
        Runner = new TrialRunner(this);
    }

    public Catalogs Catalogs { get; }
    public ExperimentLoader Loader { get; }
    public ActivationFactory Activations { get; }
    public LossFactory Losses { get; }
    public OptimizerFactory Optimizers { get; }
    public LrSchedules Schedules { get; }
    public ModelFactory Models { get; }
    public SessionFactory Sessions { get; }
    public TrainingSinks Sinks { get; }
    public TrialRunner Runner { get; }
}
