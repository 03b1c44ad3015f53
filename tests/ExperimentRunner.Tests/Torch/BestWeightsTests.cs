using ExperimentRunner.Core.Config;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Checkpoints;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// The best weights are kept in memory between checkpoints and written at them: the file must still hold the weights of
/// the best epoch, not of a later one, and not an earlier improvement.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BestWeightsTests : TorchTest
{
    // A large learning rate so validation loss goes up and down and the best epoch is not the last.
    private static string Experiment(int epochs) => $$"""
        name: best
        seed: 3
        dataset: {name: spirals, samples: 240, classes: 3, noise: 0.2}
        model: {architecture: mlp, hidden: [16, 8], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.2}
        training: {epochs: {{epochs}}, batch_size: 32}
        diagnostics: {layer_stats: false}
        """;

    private (string Checkpoints, int BestEpoch) Train(int epochs, string name)
    {
        var trial = Experiments.Single(Experiment(epochs), Temp.Path);
        var manifest = TrialHarness.Run(trial, ExperimentDir(name));
        Assert.Equal("completed", manifest.Status);
        return (Path.Combine(TrialHarness.TrialDir(ExperimentDir(name), trial), "checkpoints"), manifest.BestEpoch!.Value);
    }

    private IDictionary<string, Tensor> Load(string file)
    {
        var spec = Experiments.Single(Experiment(1), Temp.Path).Spec;
        var model = TestRuntime.Instance.Models.Build(spec.Model, [2], 3);
        model.Network.load_safetensors(file);
        return model.Network.state_dict();
    }

    [Fact]
    public void Best_safetensors_holds_the_weights_the_run_had_after_its_best_epoch()
    {
        const int epochs = 10;
        var (full, bestEpoch) = Train(epochs, "full");
        // The fake clock never reaches checkpoint.state_interval, so every epoch ran between two writes of the file.
        Assert.True(bestEpoch is > 1 and < epochs, $"best epoch {bestEpoch}: the test needs a best that is neither the first nor the last epoch");
        var (cut, _) = Train(bestEpoch, "cut"); // the same trial stopped at its best epoch: same batches, same updates

        using var scope = NewDisposeScope();
        var best = Load(Path.Combine(full, "best.safetensors"));
        var atBestEpoch = Load(Path.Combine(cut, "last.safetensors"));
        var last = Load(Path.Combine(full, "last.safetensors"));
        Assert.Equal(atBestEpoch.Keys, best.Keys);
        foreach (var (name, value) in best) Assert.True(value.eq(atBestEpoch[name]).all().item<bool>(), $"{name} differs from the weights after epoch {bestEpoch}");
        Assert.Contains(best.Keys, name => !best[name].eq(last[name]).all().item<bool>());
    }

    [Fact]
    public void A_snapshot_is_a_copy_that_later_training_does_not_change_until_captured_again()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(3, 2);
        using var snapshot = new WeightsSnapshot();
        Assert.False(snapshot.Pending);

        snapshot.Capture(layer);
        Assert.True(snapshot.Pending);
        Assert.Equal(["weight", "bias"], snapshot.State.Select(s => s.Name));
        var captured = snapshot.State[0].Tensor.clone();
        using (no_grad()) layer.weight!.add_(1);
        Assert.True(snapshot.State[0].Tensor.eq(captured).all().item<bool>(), "the snapshot followed the module: it is not a copy");

        snapshot.MarkWritten();
        Assert.False(snapshot.Pending);
        snapshot.Capture(layer);
        Assert.True(snapshot.Pending);
        Assert.True(snapshot.State[0].Tensor.eq(layer.weight!).all().item<bool>(), "a second capture did not update the copy");
    }
}
