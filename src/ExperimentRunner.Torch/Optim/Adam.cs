using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Optim;

/// <summary>
/// TorchSharp's Adam and AdamW with their arithmetic unchanged (the same tensor operations in the same order, so the
/// same numbers bit for bit) and without their per-step garbage. TorchSharp turns every double it passes to an
/// operation into a native Scalar that only a finalizer frees: eight per parameter per step, 48 a step for a
/// three-layer MLP, thousands an epoch. Creating them costs native calls, and freeing them falls to the finalizer
/// thread, which competes for the cores with the other worker of a parallel sweep. Here the constants are made once
/// and the two per-step values (bias corrections) once per step, all disposed deterministically. Saved and loaded
/// state is TorchSharp's own (these are its Adam and AdamW types). The class names are the point: TorchSharp's state
/// files record the optimizer's short type name and refuse another on load, so these must be called Adam and AdamW for
/// resume states written before (and by TorchSharp's own) to load, and theirs to load elsewhere.
/// </summary>
public sealed class Adam(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
    : TorchSharp.Modules.Adam(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad)
{
    private readonly AdamScalars _scalars = new();

    public override Tensor step(Func<Tensor>? closure = null) => _step<TorchSharp.Modules.Adam.ParamGroup>(group =>
    {
        var o = (TorchSharp.Modules.Adam.Options)group.Options;
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (o.maximize!.Value) grad = -grad;
            state.step += 1;
            if (o.weight_decay!.Value != 0) grad = grad.add(param, alpha: _scalars.WeightDecay.Of(o.weight_decay.Value));
            AdamUpdate.Apply(_scalars, param, grad, state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq,
                o.LearningRate!.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.amsgrad!.Value);
        }
    }, closure);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _scalars.Dispose();
    }
}

/// <summary>TorchSharp's AdamW with the same arithmetic and without the per-step Scalars (see <see cref="Adam"/>).</summary>
public sealed class AdamW(IEnumerable<Parameter> parameters, double lr, double beta1, double beta2, double eps, double weightDecay, bool amsgrad)
    : TorchSharp.Modules.AdamW(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad)
{
    private readonly AdamScalars _scalars = new();

    public override Tensor step(Func<Tensor>? closure = null) => _step<TorchSharp.Modules.AdamW.ParamGroup>(group =>
    {
        var o = (TorchSharp.Modules.AdamW.Options)group.Options;
        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;
            if (grad is null) continue;
            if (o.maximize!.Value) grad = -grad;
            state.step += 1;
            // TorchSharp multiplies by (1 - lr * wd) even when that is exactly 1: skipping it then changes no bit.
            var decay = 1 - o.LearningRate!.Value * o.weight_decay!.Value;
            if (decay != 1) param.mul_(_scalars.Decay.Of(decay));
            AdamUpdate.Apply(_scalars, param, grad, state.step, state.exp_avg, state.exp_avg_sq, ref state.max_exp_avg_sq,
                o.LearningRate.Value, o.beta1!.Value, o.beta2!.Value, o.eps!.Value, o.amsgrad!.Value);
        }
    }, closure);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _scalars.Dispose();
    }
}

/// <summary>The update Adam and AdamW share, written as TorchSharp 0.107.0 writes it.</summary>
internal static class AdamUpdate
{
    public static void Apply(AdamScalars s, Tensor param, Tensor grad, long step, Tensor expAvg, Tensor expAvgSq, ref Tensor maxExpAvgSq,
        double lr, double beta1, double beta2, double eps, bool amsgrad)
    {
        var biasCorrection1 = 1 - Math.Pow(beta1, step);
        var biasCorrection2 = 1 - Math.Pow(beta2, step);
        expAvg.mul_(s.Beta1.Of(beta1)).add_(grad, alpha: s.OneMinusBeta1.Of(1 - beta1));
        // TorchSharp's Adam multiplies by grad.conj(), which for a real tensor is the tensor itself.
        expAvgSq.mul_(s.Beta2.Of(beta2)).addcmul_(grad, grad.is_complex() ? grad.conj() : grad, value: s.OneMinusBeta2.Of(1 - beta2));
        Tensor root;
        if (amsgrad)
        {
            var previous = maxExpAvgSq;
            maxExpAvgSq = maximum(previous, expAvgSq).DetachFromDisposeScope();
            previous.Dispose();
            root = maxExpAvgSq.sqrt();
        }
        else
        {
            root = expAvgSq.sqrt();
        }
        var denom = root.div(s.BiasRoot.Of(Math.Sqrt(biasCorrection2))).add_(s.Eps.Of(eps), s.One);
        param.addcdiv_(expAvg, denom, value: s.StepSize.Of(-(lr / biasCorrection1)));
    }
}

/// <summary>The Scalars one optimizer passes to libtorch, each remade only when its value changes.</summary>
internal sealed class AdamScalars : IDisposable
{
    public ScalarSlot Beta1 { get; } = new();
    public ScalarSlot OneMinusBeta1 { get; } = new();
    public ScalarSlot Beta2 { get; } = new();
    public ScalarSlot OneMinusBeta2 { get; } = new();
    public ScalarSlot Eps { get; } = new();
    public ScalarSlot WeightDecay { get; } = new();
    public ScalarSlot Decay { get; } = new();
    public ScalarSlot BiasRoot { get; } = new();
    public ScalarSlot StepSize { get; } = new();

    /// <summary>The integer 1 TorchSharp's <c>add_(Scalar)</c> passes as alpha.</summary>
    public Scalar One { get; } = 1.ToScalar();

    public void Dispose()
    {
        foreach (var slot in new[] { Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, Eps, WeightDecay, Decay, BiasRoot, StepSize }) slot.Dispose();
        One.Dispose();
    }
}

/// <summary>One native Scalar for a double, replaced (and the old one freed) when asked for another value.</summary>
internal sealed class ScalarSlot : IDisposable
{
    private long _bits;
    private Scalar? _scalar;

    public Scalar Of(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        if (_scalar is null || bits != _bits)
        {
            _scalar?.Dispose();
            _scalar = value.ToScalar();
            _bits = bits;
        }
        return _scalar;
    }

    public void Dispose()
    {
        _scalar?.Dispose();
        _scalar = null;
    }
}
