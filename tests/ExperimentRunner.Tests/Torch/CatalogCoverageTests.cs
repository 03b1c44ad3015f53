using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Metrics;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using ExperimentRunner.Torch.Running;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// Every name of every catalog, fed from the catalogs themselves (timm's test_optim.py pattern): a name added to
/// a catalog without a factory, or one that cannot train, fails here. Each case builds the component and trains
/// a tiny model (200 points, 16 hidden units, 2 epochs) through <see cref="TrialRunner"/>.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class CatalogCoverageTests : TorchTest
{
    private const int Epochs = 2;
    private static ExperimentRunner.Torch.ExprunRuntime Runtime => TestRuntime.Instance;
    private const string Sine = "dataset={name: sine, samples: 200}";

    public static TheoryData<string, string> LossCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var loss in Catalogs.Default.Losses.Entries)
        {
            if (loss.Classification) data.Add(loss.Name, "spirals");
            if (loss.Regression) data.Add(loss.Name, "sine");
        }
        return data;
    }

    public static TheoryData<string> Activations() => Names(Catalogs.Default.Activations.Entries);

    public static TheoryData<string> OutputActivations() =>
        Names(Catalogs.Default.OutputActivations.Entries.Where(e => e.Name != ActivationCatalog.Auto));

    public static TheoryData<string> Optimizers() => Names(Catalogs.Default.Optimizers.Entries);

    public static TheoryData<string> Schedulers() => Names(Catalogs.Default.Schedulers.Entries);

    public static TheoryData<string> Metrics() => Names(Catalogs.Default.Metrics.Entries);

    public static TheoryData<string> Datasets() => Names(Catalogs.Default.Datasets.Entries);

    public static TheoryData<string> Architectures() => Names(Catalogs.Default.Architectures.Entries);

    private static TheoryData<string> Names(IEnumerable<CatalogEntry> entries) => new(entries.Select(e => e.Name));

    [Theory]
    [MemberData(nameof(LossCases))]
    public void Every_loss_is_built_and_trains(string loss, string dataset)
    {
        Assert.Contains(loss, Runtime.Losses.Names);
        string[] overrides = dataset == "sine" ? [$"loss={loss}", Sine] : [$"loss={loss}"];
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, overrides);
        Assert.Equal(loss, trial.Spec.Loss.Name);
        Assert.NotNull(Runtime.Losses.Create(trial.Spec.Loss));

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        // One loss value per example in the test split, so test_loss is finite whenever training was.
        Assert.True(manifest.TestLoss is { } t && double.IsFinite(t), $"test_loss {manifest.TestLoss}");
    }

    [Theory]
    [MemberData(nameof(Activations))]
    public void Every_hidden_activation_is_built_and_trains(string activation)
    {
        Assert.Contains(activation, Runtime.Activations.Names);
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"model.activation={activation}");
        var component = trial.Spec.Model.Activation;
        Assert.Equal(activation, component.Name);
        AssertElementwise(component);

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        var stats = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir(), trial), "layer_stats.csv"));
        Assert.Equal(["hidden_1", "output", "hidden_1", "output"], stats.Cells("layer"));
        Assert.Equal([activation, "identity", activation, "identity"], stats.Cells("activation"));
    }

    [Theory]
    [MemberData(nameof(OutputActivations))]
    public void Every_output_activation_is_built_and_trains_with_a_loss_that_accepts_it(string output)
    {
        Assert.Contains(output, Runtime.Activations.Names);
        // A loss that takes what this activation produces: nll for log-probabilities, mse (one-hot targets) for anything else.
        var produces = Catalogs.Default.OutputActivations.Get(output).Produces;
        var loss = produces == OutputKind.LogProbabilities ? "nll" : "mse";
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"model.output_activation={output}", $"loss={loss}");
        Assert.Equal(output, trial.Spec.Model.OutputActivation.Name);
        AssertElementwise(trial.Spec.Model.OutputActivation);

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        var stats = CsvTable.Read(Path.Combine(TrialHarness.TrialDir(ExperimentDir(), trial), "layer_stats.csv"));
        Assert.Equal(["relu", output, "relu", output], stats.Cells("activation"));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Every_optimizer_is_built_and_trains(string optimizer)
    {
        Assert.Contains(optimizer, Runtime.Optimizers.Names);
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"optimizer={{name: {optimizer}}}");
        Assert.Equal(optimizer, trial.Spec.Optimizer.Name);

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        // Every optimizer at its default rate with the constant schedule.
        var lr = trial.Spec.Optimizer.Lr;
        Assert.All(metrics.Numbers("lr"), v => Assert.Equal(lr, v));
    }

    [Theory]
    [MemberData(nameof(Schedulers))]
    public void Every_scheduler_is_built_and_trains(string scheduler)
    {
        Assert.Contains(scheduler, Runtime.Schedules.Names);
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, $"scheduler={scheduler}");
        Assert.Equal(scheduler, trial.Spec.Scheduler.Name);
        var schedule = Runtime.Schedules.Create(trial.Spec.Scheduler, 0.01, Epochs, 5);
        Assert.True(schedule.LearningRate(0, 0) is > 0 and <= 1, $"first rate {schedule.LearningRate(0, 0)}");

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        Assert.All(metrics.Numbers("lr"), v => Assert.True(v is > 0 and <= 1, $"lr {v}"));
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Every_metric_is_computed_and_reported(string metric)
    {
        var entry = Catalogs.Default.Metrics.Get(metric);
        // A perfect prediction scores the best value each metric can have: 1 for scores, 0 for errors.
        var perfect = entry.Task == TaskKind.Classification
            ? MetricCalculator.Classification(metric, [0, 1, 2, 1], [0, 1, 2, 1], 3)
            : MetricCalculator.Regression(metric, [0.5f, -1f, 2f], [0.5f, -1f, 2f]);
        Assert.Equal(entry.HigherIsBetter ? 1.0 : 0.0, perfect);

        string[] overrides = entry.Task == TaskKind.Classification
            ? [$"metrics=[{metric}]"]
            : [$"metrics=[{metric}]", Sine, "loss=mse"];
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, overrides);

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        Assert.Equal($"epoch,train_loss,val_loss,train_{metric},val_{metric},lr,seconds,train_seconds", string.Join(",", metrics.Header));
        AssertFinite(metrics, $"train_{metric}");
        AssertFinite(metrics, $"val_{metric}");
        Assert.Equal([metric], manifest.Metrics);
        Assert.True(manifest.TestMetrics.GetValueOrDefault(metric) is { } v && double.IsFinite(v), $"test_{metric} missing");
    }

    [Theory]
    [MemberData(nameof(Datasets))]
    public void Every_dataset_is_provided_and_trains(string dataset)
    {
        var entry = Catalogs.Default.Datasets.Get(dataset);
        var (overrides, rows) = DatasetCase(dataset);
        var provider = entry.Provider;
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, overrides);
        Assert.Equal(dataset, trial.Spec.Dataset.Name);
        var data = provider.Load(trial.Spec.Dataset, trial.Spec.Seed, Temp.Path);
        Assert.Equal(rows, data.Rows);
        if (entry.Task is { } task) Assert.Equal(task, data.Task);

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
        Assert.Equal(data.Task.ToString().ToLowerInvariant(), manifest.Task);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Every_architecture_is_built_and_trains(string architecture)
    {
        Assert.Contains(architecture, Runtime.Models.Names);
        var trial = Experiments.Single(Experiments.Tiny, Temp.Path, ArchitectureCase(architecture));
        Assert.Equal(architecture, trial.Spec.Model.Architecture);
        var data = Catalogs.Default.Datasets.Get(trial.Spec.Dataset.Name).Provider.Load(trial.Spec.Dataset, trial.Spec.Seed, Temp.Path);
        using (var scope = NewDisposeScope())
        {
            var built = Runtime.Models.Build(trial.Spec.Model, data.Shape, data.OutputWidth);
            var y = built.Network.forward(zeros([5L, .. data.Shape.Select(d => (long)d)]));
            Assert.Equal([5L, data.OutputWidth], y.shape);
            Assert.NotEmpty(built.Layers);
            built.Network.Dispose();
        }

        var (manifest, metrics) = Train(trial);

        AssertTrained(manifest, metrics);
    }

    /// <summary>
    /// The experiment keys that select a dataset, and the rows it then has. Generated sets need only their name;
    /// file-backed ones get a small fixture written into the test's folder. A new dataset that reads files fails
    /// here until it gets a case.
    /// </summary>
    private (string[] Overrides, int Rows) DatasetCase(string dataset)
    {
        var entry = Catalogs.Default.Datasets.Get(dataset);
        var loss = entry.Task == TaskKind.Regression ? "mse" : "cross_entropy";
        switch (dataset)
        {
            case "csv":
                Temp.Write("table.csv", CsvFixture(120));
                return (["dataset={name: csv, path: table.csv, target: label}", "loss=cross_entropy"], 120);
            case "idx":
                WriteIdxFixture(120);
                return (["dataset={name: idx, images: images.idx3-ubyte, labels: labels.idx1-ubyte}", "loss=cross_entropy"], 120);
            case "shapes":
                return (["dataset={name: shapes, samples: 200, size: 8}", $"loss={loss}"], 200);
        }
        Assert.True(entry.PathKeys.Count == 0 && entry.Task is not null, $"dataset '{dataset}' reads files; give this test a fixture for it");
        return ([$"dataset={{name: {dataset}, samples: 200}}", $"loss={loss}"], 200);
    }

    /// <summary>Keys that make each architecture a small model of its kind on data it accepts.</summary>
    private static string[] ArchitectureCase(string architecture) => architecture switch
    {
        "mlp" => ["model.architecture=mlp"],
        "cnn" => ["dataset={name: shapes, samples: 200, size: 8}", "model={architecture: cnn, channels: [4], hidden: [16]}"],
        "sequential" => ["model={architecture: sequential, layers: [{type: linear, out_features: 16}, {type: activation}, {type: linear}]}"],
        _ => [$"model.architecture={architecture}"],
    };

    /// <summary>Two numeric features and a 0/1 label (the sign of x1 * x2), deterministic.</summary>
    private static string CsvFixture(int rows)
    {
        var sb = new System.Text.StringBuilder("x1,x2,label\n");
        for (var i = 0; i < rows; i++)
        {
            var x1 = Math.Round(Math.Sin(i * 1.7), 4);
            var x2 = Math.Round(Math.Cos(i * 2.3), 4);
            sb.Append(CultureInfo.InvariantCulture, $"{x1},{x2},{(x1 * x2 > 0 ? 1 : 0)}\n");
        }
        return sb.ToString();
    }

    /// <summary>MNIST-format files: 8x8 images of a horizontal (class 0) or vertical (class 1) bar.</summary>
    private void WriteIdxFixture(int count)
    {
        const int size = 8;
        var images = new List<byte> { 0, 0, 0x08, 3 };
        var labels = new List<byte> { 0, 0, 0x08, 1 };
        foreach (var dim in new[] { count, size, size }) images.AddRange(BigEndian(dim));
        labels.AddRange(BigEndian(count));
        for (var n = 0; n < count; n++)
        {
            var label = n % 2;
            var line = n / 2 % size;
            for (var r = 0; r < size; r++)
                for (var c = 0; c < size; c++)
                    images.Add((byte)((label == 0 ? r : c) == line ? 255 : 0));
            labels.Add((byte)label);
        }
        File.WriteAllBytes(Temp.Combine("images.idx3-ubyte"), [.. images]);
        File.WriteAllBytes(Temp.Combine("labels.idx1-ubyte"), [.. labels]);
    }

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    private (RunManifest Manifest, CsvTable Metrics) Train(TrialSpec trial)
    {
        var manifest = TrialHarness.Run(trial, ExperimentDir());
        var metricsPath = Path.Combine(TrialHarness.TrialDir(ExperimentDir(), trial), "metrics.csv");
        Assert.True(File.Exists(metricsPath), $"no metrics.csv; status {manifest.Status}, error: {manifest.Error}");
        return (manifest, CsvTable.Read(metricsPath));
    }

    private static void AssertTrained(RunManifest manifest, CsvTable metrics)
    {
        Assert.True(manifest.Status == "completed", $"status {manifest.Status}: {manifest.Error}");
        Assert.Null(manifest.Error);
        Assert.Equal(Epochs, manifest.Epochs);
        Assert.Equal(["1", "2"], metrics.Cells("epoch"));
        AssertFinite(metrics, "train_loss");
        AssertFinite(metrics, "val_loss");
        Assert.True(manifest.TrainLoss is { } t && double.IsFinite(t));
    }

    private static void AssertFinite(CsvTable table, string column)
    {
        foreach (var cell in table.Cells(column))
        {
            // A non-finite value is written as an empty cell.
            Assert.True(double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v), $"{column} cell '{cell}' is not a finite number");
        }
    }

    /// <summary>
    /// The activation module returns a new tensor of the input's shape with finite values on negative, zero and
    /// positive inputs, and leaves its input alone (nn.Sequential disposes each layer's input after the call).
    /// </summary>
    private static void AssertElementwise(ExperimentRunner.Core.Config.Settings.ActivationSettings activation)
    {
        using var scope = NewDisposeScope();
        var module = Runtime.Activations.Create(activation);
        float[] values = [-3f, -0.5f, 0f, 0.5f, 3f, 1f];
        var x = tensor(values, [2, 3]);
        var y = module.forward(x);
        Assert.False(ReferenceEquals(x, y), "the module returned its input object");
        Assert.NotEqual(x.Handle, y.Handle);
        Assert.Equal([2L, 3L], y.shape);
        Assert.True(y.isfinite().all().item<bool>());
        Assert.Equal(values, x.data<float>().ToArray());
        module.Dispose();
    }
}
