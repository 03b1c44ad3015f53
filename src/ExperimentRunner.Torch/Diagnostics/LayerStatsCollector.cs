using System.Globalization;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Training;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Diagnostics;

/// <summary>One row of layer_stats.csv.</summary>
public sealed record LayerStat(int Epoch, string Layer, string Activation, double Mean, double Std, double DeadFraction, double? SaturatedFraction, double GradNorm, double WeightNorm);

/// <summary>
/// Per-layer statistics on a fixed probe batch (the first <c>probe_size</c> training rows), measured in eval
/// mode with forward hooks so the numbers are comparable across epochs and trials and training is not
/// disturbed (no dropout draws, no batch-norm updates; gradients are cleared again).
/// </summary>
public sealed class LayerStatsCollector(string trialDir, DiagnosticsSpec spec, ActivationFactory activationFactory) : ITrainingCallback, ITrialSummarySource
{
    public const string FileName = LayerStatsCsv.FileName;
    public static IReadOnlyList<string> Header => LayerStatsCsv.Header;

    private readonly List<LayerStat> _rows = [];
    private string Path => System.IO.Path.Combine(trialDir, FileName);

    public IReadOnlyList<LayerStat> Rows => _rows;

    public void OnTrainStart(TrainingSession session)
    {
        // A resumed run keeps the rows of the epochs it does not repeat (the resume check found them all there).
        _rows.Clear();
        if (session.State.EpochsDone > 0) _rows.AddRange(Read(Path).Where(r => r.Epoch <= session.State.EpochsDone));
    }

    public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest)
    {
        var last = record.Epoch == session.Spec.Training.Epochs;
        if (record.Epoch != 1 && !last && record.Epoch % spec.Every != 0) return;
        _rows.AddRange(Measure(session, record.Epoch));
    }

    public void OnCheckpoint(TrainingSession session) => AtomicFile.WriteAllText(Path, Write(_rows));

    public void OnTrainEnd(TrainingSession session, TrainingOutcome outcome)
    {
        // Early-stopped runs still get their final epoch measured.
        var lastEpoch = session.State.EpochsDone;
        if (lastEpoch > 0 && outcome.Reason == StopReason.EarlyStopped && _rows.All(r => r.Epoch != lastEpoch))
        {
            _rows.AddRange(Measure(session, lastEpoch));
            AtomicFile.WriteAllText(Path, Write(_rows));
        }
    }

    /// <summary>What the probe watches in one layer, looked up once per network (the modules and parameters live as long as it).</summary>
    private sealed record Watched(ProbeLayer Layer, nn.Module<Tensor, Tensor> Activation, Tensor Weight, (double? Lower, double? Upper) Bounds)
    {
        public bool Bounded => Bounds is { Lower: not null, Upper: not null };
    }

    private (nn.Module Network, Watched[] Layers)? _watched;

    private Watched[] Watch(TrainingSession session)
    {
        if (_watched is { } w && ReferenceEquals(w.Network, session.Network)) return w.Layers;
        var children = session.Network.named_children().ToDictionary(c => c.name, c => c.module);
        var layers = session.Model.Layers.Select(l => new Watched(l, (nn.Module<Tensor, Tensor>)children[l.ActivationModule],
            children[l.WeightModule].named_parameters().First(p => p.name == "weight").parameter, activationFactory.Bounds(l.Activation))).ToArray();
        _watched = (session.Network, layers);
        return layers;
    }

    public IReadOnlyList<LayerStat> Measure(TrainingSession session, int epoch)
    {
        var network = session.Network;
        var layers = Watch(session);
        var probeRows = Math.Min(spec.ProbeSize, session.Train.Rows);
        // Per layer: mean, std, dead, [saturated], grad norm, weight norm, as 0-d tensors stacked into one read at the
        // end: every number read on its own costs a native call and a sync.
        var described = new List<Tensor>[layers.Length];
        var hooks = new List<Action>();
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            for (var i = 0; i < layers.Length; i++)
            {
                var index = i;
                var handle = layers[i].Activation.register_forward_hook((_, _, output) =>
                {
                    using var _ = no_grad();
                    described[index] = Describe(output, layers[index].Bounds);
                    return output;
                });
                hooks.Add(handle.remove);
            }
            session.ClearGradients();
            var output = network.forward(session.Train.Inputs.narrow(0, 0, probeRows));
            session.Loss(output, session.Train.Targets.narrow(0, 0, probeRows)).backward();
            Tensor values;
            using (no_grad())
            {
                var all = new List<Tensor>();
                for (var i = 0; i < layers.Length; i++)
                {
                    var weight = layers[i].Weight;
                    all.AddRange(described[i]);
                    all.Add(weight.grad is { } g ? g.norm() : tensor(float.NaN));
                    all.Add(weight.norm());
                }
                values = stack(all).to_type(ScalarType.Float32);
            }
            var numbers = values.data<float>().ToArray();
            var stats = new List<LayerStat>();
            var at = 0;
            foreach (var layer in layers)
            {
                var v = numbers.AsSpan(at, layer.Bounded ? 6 : 5);
                at += v.Length;
                double? saturated = layer.Bounded ? v[3] : null;
                stats.Add(new LayerStat(epoch, layer.Layer.Name, layer.Layer.Activation.Name, v[0], v[1], v[2], saturated, v[^2], v[^1]));
            }
            session.ClearGradients();
            return stats;
        }
        finally
        {
            foreach (var remove in hooks) remove();
            network.train();
        }
    }

    /// <summary>mean, std, dead fraction and (for a bounded activation) saturated fraction of one layer's output, as 0-d float tensors.</summary>
    private List<Tensor> Describe(Tensor output, (double? Lower, double? Upper) bounds)
    {
        // Its own scope: a conv layer's intermediates on the probe are tens of MB; only the numbers leave.
        using var scope = NewDisposeScope();
        var flat = output.detach().reshape(output.shape[0], -1);
        var numbers = new List<Tensor> { flat.mean(), flat.numel() > 1 ? flat.std() : tensor(0f) };
        // Dead: a unit that outputs exactly zero for every probe example.
        numbers.Add(flat.eq(0).all(0).to_type(ScalarType.Float32).mean());
        if (bounds.Lower is { } lo && bounds.Upper is { } hi)
        {
            var tol = spec.SaturationTolerance;
            numbers.Add(flat.le(lo + tol).logical_or(flat.ge(hi - tol)).to_type(ScalarType.Float32).mean());
        }
        foreach (var n in numbers) n.MoveToOuterDisposeScope();
        return numbers;
    }

    public static string Write(IEnumerable<LayerStat> rows) =>
        CsvText.Write([.. Header], rows.Select(r => (IReadOnlyList<string>)
        [
            r.Epoch.ToString(CultureInfo.InvariantCulture), r.Layer, r.Activation, CsvText.Number(r.Mean), CsvText.Number(r.Std),
            CsvText.Number(r.DeadFraction), CsvText.Number(r.SaturatedFraction), CsvText.Number(r.GradNorm), CsvText.Number(r.WeightNorm),
        ]));

    /// <summary>The rows of a layer_stats.csv, checked (see <see cref="LayerStatsCsv.Read"/>); none when there is no file.</summary>
    public static List<LayerStat> Read(string path) =>
        LayerStatsCsv.Read(path).Select(r => new LayerStat(r.Epoch, r.Layer, r.Activation, r.Mean, r.Std, r.DeadFraction, r.SaturatedFraction, r.GradNorm, r.WeightNorm)).ToList();

    /// <summary>Per-trial numbers for summary.csv: worst dead and saturated fractions at the end, and how much gradient reaches the first layer.</summary>
    public IReadOnlyDictionary<string, double?> Diagnostics()
    {
        if (_rows.Count == 0) return new Dictionary<string, double?>();
        var lastEpoch = _rows.Max(r => r.Epoch);
        var hidden = _rows.Where(r => r.Epoch == lastEpoch && r.Layer != "output").ToList();
        var first = _rows.Where(r => r.Epoch == _rows.Min(x => x.Epoch)).ToList();
        double? ratio = first.Count >= 2 && first[^1].GradNorm > 0 ? first[0].GradNorm / first[^1].GradNorm : null;
        return new Dictionary<string, double?>
        {
            ["max_dead_fraction"] = hidden.Count > 0 ? hidden.Max(r => r.DeadFraction) : null,
            ["max_saturated_fraction"] = hidden.Where(r => r.SaturatedFraction is not null).Select(r => r.SaturatedFraction).DefaultIfEmpty(null).Max(),
            ["grad_norm_ratio"] = ratio,
        };
    }
}
