using ExperimentRunner.Torch.Modules;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ExperimentRunner.Benchmarks;

/// <summary>
/// A minimal hand-written TorchSharp training loop, the baseline: the same tensors, batch size, Adam settings,
/// a per-epoch random permutation with index_select batches, a dispose scope per batch, loss.item() per batch
/// for the epoch's mean loss, and a validation pass under no_grad (val loss and accuracy) after every epoch.
/// </summary>
public static class HandLoop
{
    public static RunTiming Run(BenchCase bench, int epochs)
    {
        var setup = CpuClock.Now();
        var spec = bench.Spec;
        // Start from the runner's initial weights (same seed, same factory) so both paths do identical
        // arithmetic and must end at the same validation loss: a check that they do the same work.
        manual_seed(spec.Seed);
        var reference = BenchRuntime.Instance.Models.Build(spec.Model, bench.Splits.Train.Shape, bench.Splits.Train.OutputWidth);
        using var model = Model(bench, reference.Network);
        reference.Network.Dispose();

        var lr = spec.Optimizer.Lr;
        using var optimizer = optim.Adam(model.parameters(), lr);
        var x = bench.Train.Inputs;
        var y = bench.Train.Targets;
        var xv = bench.Validation.Inputs;
        var yv = bench.Validation.Targets;
        var rows = (int)x.shape[0];
        var batch = spec.Training.BatchSize;
        var begin = CpuClock.Now();
        double valLoss = double.NaN, valAccuracy = double.NaN;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            model.train();
            // Same batch order as the runner (its seed per epoch); any per-epoch randperm costs the same.
            using var generator = new Generator(Torch.Training.Trainer.BatchSeed(spec.Seed, epoch));
            using var perm = randperm(rows, generator: generator);
            double total = 0;
            for (var start = 0; start < rows; start += batch)
            {
                using var scope = NewDisposeScope();
                var length = Math.Min(batch, rows - start);
                var index = perm.narrow(0, start, length);
                optimizer.zero_grad();
                var output = model.forward(x.index_select(0, index));
                var loss = F.cross_entropy(output, y.index_select(0, index));
                loss.backward();
                optimizer.step();
                total += loss.item<float>() * length;
            }
            _ = total / rows;

            model.eval();
            using (no_grad())
            using (NewDisposeScope())
            {
                var output = model.forward(xv);
                valLoss = F.cross_entropy(output, yv).item<float>();
                valAccuracy = output.argmax(1).eq(yv).sum().item<long>() / (double)yv.shape[0];
            }
        }
        return new RunTiming(epochs, CpuClock.Now() - begin, begin - setup, default, valLoss, valAccuracy);
    }

    /// <summary>
    /// The hand-written network with the runner's initial weights: Linear/ReLU pairs and a linear head (after a
    /// flatten for images), or for a cnn channels-last -> Conv2d -> BatchNorm2d -> ReLU -> MaxPool2d blocks, a flatten
    /// and a dense head, under the runner's child names so its state dict loads.
    /// </summary>
    public static nn.Module<Tensor, Tensor> Model(BenchCase bench, nn.Module<Tensor, Tensor> weightsFrom)
    {
        var model = bench.Spec.Model;
        var shape = bench.Splits.Train.Shape;
        var batchNorm = model.Norm == "batch";
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        var n = 0;
        long width;
        if (model.Architecture == "cnn")
        {
            long channels = shape[0], height = shape[1], side = shape[2];
            foreach (var c in model.Channels)
            {
                n++;
                // Channels-last, as exprun runs it (ChannelsLast before each conv): the same kernels, so the same work.
                layers.Add(($"{ExperimentRunner.Torch.Modules.ChannelsLast.NamePrefix}{n}", new ExperimentRunner.Torch.Modules.ChannelsLast()));
                layers.Add(($"conv_{n}", nn.Conv2d(channels, c, 3, padding: 1)));
                if (batchNorm) layers.Add(($"norm_{n}", nn.BatchNorm2d(c)));
                layers.Add(($"act_{n}", nn.ReLU()));
                layers.Add(($"pool_{n}", nn.MaxPool2d(2)));
                (channels, height, side) = (c, height / 2, side / 2);
            }
            layers.Add(("flatten", nn.Flatten()));
            width = channels * height * side;
        }
        else
        {
            if (shape.Length > 1) layers.Add(("flatten", nn.Flatten()));
            width = bench.Splits.Train.FeatureCount;
        }
        foreach (var h in model.Hidden)
        {
            n++;
            layers.Add(($"linear_{n}", nn.Linear(width, h)));
            if (batchNorm) layers.Add(($"norm_{n}", nn.BatchNorm1d(h)));
            layers.Add(($"act_{n}", nn.ReLU()));
            width = h;
        }
        layers.Add(("linear_out", nn.Linear(width, bench.Splits.Train.OutputWidth)));
        var network = nn.Sequential(layers);
        network.load_state_dict(weightsFrom.state_dict());
        return network;
    }
}
