using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Running;

namespace ExperimentRunner.Benchmarks;

/// <summary>One benchmarked problem: an experiment (blobs or Fashion-MNIST, MLP or CNN, Adam, cross-entropy) and its data as tensors.</summary>
public sealed class BenchCase : IDisposable
{
    private BenchCase(string label, TrialSpec trial, DataSplits splits, TensorSplit train, TensorSplit validation, TensorSplit test)
    {
        Label = label;
        Trial = trial;
        Splits = splits;
        Train = train;
        Validation = validation;
        Test = test;
    }

    public string Label { get; }
    /// <summary>The trial as <c>exprun</c> would load it from an experiment file.</summary>
    public TrialSpec Trial { get; }
    public ExperimentSpec Spec => Trial.Spec;
    public DataSplits Splits { get; }
    /// <summary>Built once, shared by the Trainer-only path and the hand-written loop (the very same tensors).</summary>
    public TensorSplit Train { get; }
    public TensorSplit Validation { get; }
    public TensorSplit Test { get; }

    public string Architecture => Spec.Model.Architecture == "cnn"
        ? $"cnn {string.Join("-", Spec.Model.Channels)}{(Spec.Model.Norm == "batch" ? " bn" : "")} + {string.Join("-", Spec.Model.Hidden)}"
        : $"{Splits.Train.FeatureCount}-{string.Join("-", Spec.Model.Hidden)}-{Splits.Train.OutputWidth}";

    /// <param name="samples">Total rows; split 80/10/10 into train/validation/test.</param>
    /// <param name="spread">Half-width of the box the class centres are drawn from; small enough that the classes
    /// overlap, so the losses stay away from zero (a real learning problem, not one solved in the first epoch).</param>
    public static BenchCase Create(string label, int features, int[] hidden, int samples, double spread, int batch, int epochs) =>
        FromYaml(label, $"{{name: blobs, samples: {samples}, classes: 10, features: {features}, spread: {spread.ToString(System.Globalization.CultureInfo.InvariantCulture)}, noise: 1.0, split: [0.8, 0.1, 0.1]}}",
            $"{{architecture: mlp, hidden: [{string.Join(", ", hidden)}], activation: relu}}", batch, epochs);

    /// <summary>Where Debian's dataset-fashion-mnist puts the files; null when they are not there.</summary>
    public static string? FashionMnistDir =>
        File.Exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz") ? "/usr/share/datasets/fashion-mnist" : null;

    /// <summary>The first <paramref name="limit"/> Fashion-MNIST training images, split 80/10/10.</summary>
    public static BenchCase FashionMnist(string label, string dir, string model, int limit, int batch, int epochs) =>
        FromYaml(label, $"{{name: idx, images: {dir}/train-images-idx3-ubyte.gz, labels: {dir}/train-labels-idx1-ubyte.gz, limit: {limit}, split: [0.8, 0.1, 0.1]}}",
            model, batch, epochs);

    private static BenchCase FromYaml(string label, string dataset, string model, int batch, int epochs)
    {
        // Defaults everywhere else: constant LR, no gradient clipping, no early stopping, eval_batch_size 4096,
        // checkpoints (safetensors + pt, best + last) and layer_stats on, as a user's file would have them.
        var yaml = $"""
            name: bench-{label}
            seed: 11
            dataset: {dataset}
            model: {model}
            loss: cross_entropy
            optimizer: {"{"}name: adam, lr: 0.001{"}"}
            scheduler: constant
            training: {"{"}epochs: {epochs}, batch_size: {batch}{"}"}
            metrics: [accuracy]
            """;
        var loaded = BenchRuntime.Instance.Loader.LoadText(yaml, $"<benchmark {label}>", Environment.CurrentDirectory);
        var trial = loaded.Trials.Single();
        var spec = trial.Spec;
        // Exactly what TrialRunner does to get its data.
        var splits = DataPreparation.Prepare(spec, Catalogs.Default).Splits;
        var loss = Catalogs.Default.Losses.Get(spec.Loss.Name);
        return new BenchCase(label, trial, splits,
            TensorSplit.Create(splits.Train, loss), TensorSplit.Create(splits.Validation, loss), TensorSplit.Create(splits.Test, loss));
    }

    public TrialSpec WithEpochs(int epochs) =>
        Trial with { Spec = Spec with { Training = Spec.Training with { Epochs = epochs } } };

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
