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

    /// <summary>The hand-written network: Linear/ReLU pairs and a linear head, with the given module's weights.</summary>
    public static nn.Module<Tensor, Tensor> Model(BenchCase bench, nn.Module<Tensor, Tensor> weightsFrom)
    {
        var hidden = bench.Spec.Model.Hidden;
        var layers = new List<(string, nn.Module<Tensor, Tensor>)>();
        long width = bench.Splits.Train.FeatureCount;
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.Add(($"linear_{i + 1}", nn.Linear(width, hidden[i])));
            layers.Add(($"act_{i + 1}", nn.ReLU()));
            width = hidden[i];
        }
        layers.Add(("linear_out", nn.Linear(width, bench.Splits.Train.OutputWidth)));
        var model = nn.Sequential(layers);
        model.load_state_dict(weightsFrom.state_dict());
        return model;
    }
}
