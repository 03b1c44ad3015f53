using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>
/// The trainer drops gradients between steps instead of zeroing them (<see cref="Gradients.Drop"/>): every optimizer
/// exprun offers must then produce TorchSharp's zero_grad weights bit for bit, including on a network whose dead ReLU
/// units get gradients of exactly zero (where a kept -0 could differ from a zeroed +0).
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class GradientsTests : TorchTest
{
    public static TheoryData<string> Optimizers => ["sgd", "sgd-nesterov", "adam", "adamw-amsgrad", "rmsprop-centered", "adagrad"];

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Dropping_gradients_gives_the_weights_of_zeroing_them_bit_for_bit(string name)
    {
        var (zeroed, zeroedOptimizer) = Build(name);
        var (dropped, droppedOptimizer) = Build(name);
        using (zeroed)
        using (dropped)
        using (zeroedOptimizer)
        using (droppedOptimizer)
        {
            var parameters = droppedOptimizer.parameters().ToList();
            var zeroGradients = 0;
            for (var step = 0; step < 30; step++)
            {
                Step(zeroed, zeroedOptimizer, step, zeroedOptimizer.zero_grad);
                Step(dropped, droppedOptimizer, step, () => Gradients.Drop(parameters));
                zeroGradients += parameters.Sum(p => p.grad!.data<float>().ToArray().Count(g => g == 0));
            }
            // The case the claim is about happened: some gradients were exactly zero.
            Assert.True(zeroGradients > 0);
            var expected = zeroed.parameters().Select(p => p.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)).ToList();
            var actual = dropped.parameters().Select(p => p.data<float>().ToArray().Select(BitConverter.SingleToInt32Bits)).ToList();
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], actual[i]);
            var (initial, initialOptimizer) = Build(name);
            using (initial)
            using (initialOptimizer)
                Assert.NotEqual(initial.parameters().First().data<float>().ToArray(), dropped.parameters().First().data<float>().ToArray());
        }
    }

    [Fact]
    public void Drop_leaves_no_gradient_and_the_next_backward_pass_makes_new_ones()
    {
        var (net, optimizer) = Build("adam");
        using (net)
        using (optimizer)
        {
            var parameters = optimizer.parameters().ToList();
            Step(net, optimizer, 0, () => { });
            Assert.All(parameters, p => Assert.NotNull(p.grad));
            Gradients.Drop(parameters);
            Assert.All(parameters, p => Assert.Null(p.grad));
            Step(net, optimizer, 1, () => { });
            Assert.All(parameters, p => Assert.NotNull(p.grad));
        }
    }

    private static (nn.Module<Tensor, Tensor> Net, OptimizerHelper Optimizer) Build(string name)
    {
        manual_seed(7);
        var first = nn.Linear(6, 16);
        // A third of the first layer's units start dead (they never fire on these inputs): their gradients are exactly 0.
        using (no_grad()) first.bias!.narrow(0, 0, 5).fill_(-100);
        var net = nn.Sequential(("l1", first), ("a", nn.ReLU()), ("l2", nn.Linear(16, 3)));
        var p = net.parameters();
        OptimizerHelper optimizer = name switch
        {
            "sgd" => optim.SGD(p, 0.05, momentum: 0.9, weight_decay: 0.01),
            "sgd-nesterov" => optim.SGD(p, 0.05, momentum: 0.9, nesterov: true),
            "adam" => new ExperimentRunner.Torch.Optim.Adam(p, 0.01, 0.9, 0.999, 1e-8, 0.01, false),
            "adamw-amsgrad" => new ExperimentRunner.Torch.Optim.AdamW(p, 0.01, 0.9, 0.999, 1e-8, 0.01, true),
            "rmsprop-centered" => optim.RMSProp(p, 0.01, 0.99, 1e-8, 0.01, 0.9, true),
            _ => optim.Adagrad(p, 0.05, 0.01, 0.01, 0, 1e-10),
        };
        return (net, optimizer);
    }

    private static void Step(nn.Module<Tensor, Tensor> net, optim.Optimizer optimizer, int step, Action clear)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)step + 1);
        var x = randn([16, 6], generator: generator);
        var y = randint(0, 3, [16], generator: generator);
        clear();
        nn.functional.cross_entropy(net.forward(x), y).backward();
        optimizer.step();
    }
}
