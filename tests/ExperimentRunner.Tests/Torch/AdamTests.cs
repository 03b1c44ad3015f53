using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// exprun's Adam and AdamW replace TorchSharp's Adam and AdamW only to stop making native Scalars every step: the
/// weights they produce must be TorchSharp's bit for bit, for every option, and their saved state must load both ways.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class AdamTests : TorchTest
{
    public static TheoryData<string, double, bool, bool> Settings => new()
    {
        // optimizer, weight decay, amsgrad, a learning-rate change halfway (what a scheduler does)
        { "adam", 0.0, false, false },
        { "adam", 0.01, false, true },
        { "adam", 0.0, true, false },
        { "adam", 0.05, true, true },
        { "adamw", 0.01, false, false },
        { "adamw", 0.0, false, true },
        { "adamw", 0.1, true, true },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Forty_steps_give_the_same_weights_bit_for_bit_as_torchsharp(string name, double weightDecay, bool amsgrad, bool changeLr)
    {
        var (theirs, theirsOptimizer) = Build(name, weightDecay, amsgrad, lean: false);
        var (ours, oursOptimizer) = Build(name, weightDecay, amsgrad, lean: true);
        using (theirs)
        using (ours)
        using (theirsOptimizer)
        using (oursOptimizer)
        {
            for (var step = 0; step < 40; step++)
            {
                if (changeLr && step == 20)
                {
                    OptimizerFactory.SetLearningRate(theirsOptimizer, 0.003);
                    OptimizerFactory.SetLearningRate(oursOptimizer, 0.003);
                }
                Step(theirs, theirsOptimizer, step);
                Step(ours, oursOptimizer, step);
            }
            var expected = theirs.parameters().Select(p => p.data<float>().ToArray()).ToList();
            var actual = ours.parameters().Select(p => p.data<float>().ToArray()).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
                Assert.Equal(expected[i].Select(BitConverter.SingleToInt32Bits), actual[i].Select(BitConverter.SingleToInt32Bits));
            // The weights moved: a test that compares two untouched networks proves nothing.
            Assert.NotEqual(Initial(name).parameters().First().data<float>().ToArray(), actual[0]);
        }
    }

    [Fact]
    public void State_saved_by_torchsharps_adam_resumes_in_ours_with_the_same_next_step_and_back()
    {
        var (theirs, theirsOptimizer) = Build("adam", 0.01, false, lean: false);
        var (ours, oursOptimizer) = Build("adam", 0.01, false, lean: true);
        for (var step = 0; step < 5; step++) Step(theirs, theirsOptimizer, step);
        var file = Temp.Combine("adam.bin");
        theirsOptimizer.save_state_dict(file);
        ours.load_state_dict(theirs.state_dict());
        oursOptimizer.load_state_dict(file);
        Step(theirs, theirsOptimizer, 5);
        Step(ours, oursOptimizer, 5);
        Assert.Equal(theirs.parameters().First().data<float>().ToArray(), ours.parameters().First().data<float>().ToArray());

        // And the other way: a state ours saved loads into TorchSharp's.
        var back = Temp.Combine("ours.bin");
        oursOptimizer.save_state_dict(back);
        var (again, againOptimizer) = Build("adam", 0.01, false, lean: false);
        again.load_state_dict(ours.state_dict());
        againOptimizer.load_state_dict(back);
        Step(again, againOptimizer, 6);
        Step(ours, oursOptimizer, 6);
        Assert.Equal(ours.parameters().First().data<float>().ToArray(), again.parameters().First().data<float>().ToArray());
    }

    private static nn.Module<Tensor, Tensor> Initial(string seedName)
    {
        manual_seed(seedName.Length);
        return nn.Sequential(("l1", nn.Linear(6, 12)), ("a", nn.Tanh()), ("l2", nn.Linear(12, 3)));
    }

    private static (nn.Module<Tensor, Tensor> Net, OptimizerHelper Optimizer) Build(string name, double weightDecay, bool amsgrad, bool lean)
    {
        var net = Initial(name);
        var p = net.parameters();
        OptimizerHelper optimizer = (name, lean) switch
        {
            ("adam", false) => optim.Adam(p, 0.01, 0.9, 0.999, 1e-8, weightDecay, amsgrad),
            ("adam", true) => new ExperimentRunner.Torch.Optim.Adam(p, 0.01, 0.9, 0.999, 1e-8, weightDecay, amsgrad),
            ("adamw", false) => optim.AdamW(p, 0.01, 0.9, 0.999, 1e-8, weightDecay, amsgrad),
            _ => new ExperimentRunner.Torch.Optim.AdamW(p, 0.01, 0.9, 0.999, 1e-8, weightDecay, amsgrad),
        };
        return (net, optimizer);
    }

    private static void Step(nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, int step)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)step + 1);
        var x = randn([16, 6], generator: generator);
        var y = randint(0, 3, [16], generator: generator);
        optimizer.zero_grad();
        nn.functional.cross_entropy(net.forward(x), y).backward();
        optimizer.step();
    }
}
