using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Core.Schedules;
using ExperimentRunner.Torch.Checkpoints;
using ExperimentRunner.Torch.Data;
using ExperimentRunner.Torch.Diagnostics;
using ExperimentRunner.Torch.Losses;
using ExperimentRunner.Torch.Modules;
using ExperimentRunner.Torch.Optim;
using ExperimentRunner.Torch.Running;
using ExperimentRunner.Torch.Training;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace ExperimentRunner.Benchmarks;

/// <summary>
/// Where the runner's time goes beyond the hand-written loop: each extra it does per batch, per epoch and per
/// trial, timed on its own (thread CPU time, best of several rounds) and scaled to ms per epoch.
/// </summary>
public static class Breakdown
{
    public static void Run(BenchCase bench, bool quick)
    {
        var spec = bench.Spec;
        var batch = spec.Training.BatchSize;
        var rows = bench.Train.Rows;
        var steps = (rows + batch - 1) / batch;
        var rounds = quick ? 3 : 7;
        Console.WriteLine($"-- breakdown ({bench.Label}): cost of each runner extra, CPU us per call (best of {rounds} rounds) and ms per epoch ({steps} batches/epoch)");

        using var session = NewSession(bench);
        using var hand = HandLoop.Model(bench, session.Network);
        var x = bench.Train.Inputs.narrow(0, 0, batch);
        var y = bench.Train.Targets.narrow(0, 0, batch);
        using var index = arange(batch, ScalarType.Int64);
        var n = Iterations(bench, quick);

        var rowsOut = new List<(string What, double UsPerCall, double CallsPerEpoch)>();
        void Row(string what, double us, double calls)
        {
            rowsOut.Add((what, us, calls));
            Console.WriteLine($"   {what,-62} {us,10:F1} us x {calls,5:F0} = {us * calls / 1000,8:F3} ms/epoch");
        }

        // Reference: one whole training step as the hand-written loop does it (index_select batch, Adam, item()),
        // on the runner's network and on the hand-written one, rounds interleaved so both see the same machine load.
        var handOptimizer = optim.Adam(hand.parameters(), spec.Optimizer.Lr);
        var (stepUs, handStepUs) = TimeInterleaved(rounds, n, () =>
        {
            using var scope = NewDisposeScope();
            session.ClearGradients();
            var output = session.Network.forward(bench.Train.Inputs.index_select(0, index));
            var loss = session.Loss(output, bench.Train.Targets.index_select(0, index));
            _ = loss.item<float>();
            loss.backward();
            session.Optimizer.step();
        }, () =>
        {
            using var scope = NewDisposeScope();
            handOptimizer.zero_grad();
            var output = hand.forward(bench.Train.Inputs.index_select(0, index));
            var loss = F.cross_entropy(output, bench.Train.Targets.index_select(0, index));
            _ = loss.item<float>();
            loss.backward();
            handOptimizer.step();
        });
        handOptimizer.Dispose();
        Row("reference: one full training step (runner network, its Adam, gradients dropped)", stepUs, steps);
        Row("reference: one full training step (hand network)", handStepUs, steps);

        // Per batch, runner only.
        using (var outputScope = NewDisposeScope())
        {
            var output = session.Network.forward(x);
            using var batchRows = arange(batch, ScalarType.Int64);
            using var predictions = new Predictions(TaskKind.Classification, batch, 0);
            Row("Predictions.Add(output, rows): argmax + index_copy_ into one tensor", Time(rounds, n, () => predictions.Add(output, batchRows)), steps);
            Row("  of which output.argmax(1) alone (the floor of any per-batch scheme)", Time(rounds, n, () =>
            {
                using var classes = output.argmax(1);
            }), steps);
        }
        Row("OptimizerFactory.SetLearningRate (per epoch; per batch only for onecycle)", Time(rounds, n, () => OptimizerFactory.SetLearningRate(session.Optimizer, 0.001)), 1);

        // Per epoch, runner only: train metrics from the collected predictions.
        using (var trainPredictions = new Predictions(TaskKind.Classification, rows, 0))
        {
            using (no_grad())
            using (NewDisposeScope())
            {
                for (var s = 0; s < rows; s += batch)
                {
                    var length = Math.Min(batch, rows - s);
                    trainPredictions.Add(session.Network.forward(bench.Train.Inputs.narrow(0, s, length)), s, length);
                }
            }
            var few = Math.Max(3, n / 20);
            Row($"Predictions.Score(train, {string.Join("+", session.Metrics)})", Time(rounds, few, () => _ = trainPredictions.Score(session.Metrics, bench.Splits.Train)), 1);
        }

        // Validation: the runner's Evaluator vs the hand-written pass.
        var few2 = Math.Max(3, n / 20);
        var (evalUs, handEvalUs) = TimeInterleaved(rounds, few2, () => _ = Evaluator.Evaluate(session, bench.Validation), () =>
        {
            hand.eval();
            using (no_grad())
            using (NewDisposeScope())
            {
                var output = hand.forward(bench.Validation.Inputs);
                _ = F.cross_entropy(output, bench.Validation.Targets).item<float>();
                _ = output.argmax(1).eq(bench.Validation.Targets).sum().item<long>();
            }
            hand.train();
        });
        Row("Evaluator.Evaluate(validation)  [runner]", evalUs, 1);
        Row("hand validation pass (loss + accuracy)  [hand]", handEvalUs, 1);

        Sinks(bench, quick);
        Console.WriteLine();
    }

    /// <summary>The TrialRunner's callbacks, each wrapped in a timer, over a few real epochs of the Trainer.</summary>
    private static void Sinks(BenchCase bench, bool quick)
    {
        var epochs = quick ? 3 : 6;
        var dir = Path.Combine(Path.GetTempPath(), $"exprun-bench-sinks-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var trial = bench.WithEpochs(epochs);
            var spec = trial.Spec;
            using var session = NewSession(bench, epochs);
            var store = new CheckpointStore(dir);
            var inner = new List<(string Name, ITrainingCallback Callback)>
            {
                ("MetricsCsvSink (rewrite metrics.csv)", new MetricsCsvSink(dir)),
                ("LayerStatsCollector (probe fwd/bwd + stats + csv)", new LayerStatsCollector(dir, spec.Diagnostics, BenchRuntime.Instance.Activations)),
                ("CheckpointSink (best weights to memory when improved; files at checkpoints)", new CheckpointSink(store)),
            };
            var timed = inner.Select(i => new TimedCallback(i.Name, i.Callback)).ToList();
            var trainerClock = CpuClock.Now();
            new Trainer([.. timed]).Run(session);
            var trainerMs = (CpuClock.Now() - trainerClock).CpuMs;
            var callbackMs = timed.Sum(t => t.EpochEnd.CpuMs);
            Console.WriteLine($"   TrialRunner sinks over {epochs} epochs (CPU ms per epoch; trainer loop itself {(trainerMs - callbackMs) / epochs:F2} ms/epoch):");
            foreach (var t in timed)
                Console.WriteLine($"     {t.Name,-66} {t.EpochEnd.CpuMs / epochs,8:F3} ms/epoch cpu  {t.EpochEnd.WallMs / epochs,8:F3} wall");
            var bestSaves = session.History.Count(r => r.ValLoss <= session.History.Where(h => h.Epoch <= r.Epoch).Min(h => h.ValLoss));
            Console.WriteLine($"     (best weights captured in {bestSaves} of {epochs} epochs)");

            // Pieces of the sinks on their own.
            var rounds = quick ? 3 : 5;
            var probe = new LayerStatsCollector(dir, spec.Diagnostics, BenchRuntime.Instance.Activations);
            var csvRows = epochs * session.Model.Layers.Count;
            var statRows = Enumerable.Range(1, epochs).SelectMany(e => probe.Measure(session, e)).ToList();
            using var snapshot = new WeightsSnapshot();
            snapshot.Capture(session.Network);
            Console.WriteLine($"   sink pieces (CPU/wall ms per call, best of {rounds}):");
            foreach (var (name, action) in new (string, Action)[]
                     {
                         ("LayerStatsCollector.Measure (probe forward/backward + stats)", () => probe.Measure(session, 1)),
                         ($"  layer_stats.csv rewrite ({csvRows} rows; grows every epoch)", () => AtomicFile.WriteAllText(Path.Combine(dir, "probe.csv"), LayerStatsCollector.Write(statRows))),
                         ("best weights -> memory snapshot (each improved epoch)", () => snapshot.Capture(session.Network)),
                         ("best snapshot -> best.safetensors (each checkpoint after one)", () => store.SaveBest(snapshot)),
                         ("SaveState: weights + optimizer + rng + trainer.json", () => store.SaveState(session)),
                         ("  of which Network.save_safetensors", () => session.Network.save_safetensors(Path.Combine(dir, "probe.safetensors"))),
                         ("  of which Optimizer.save_state_dict", () => session.Optimizer.save_state_dict(Path.Combine(dir, "probe.bin"))),
                         ("SaveLast .pt (teardown, once per trial)", () => store.SaveLast(session.Network, false, true)),
                     })
            {
                var best = Enumerable.Range(0, rounds).Select(_ => { var a = CpuClock.Now(); action(); return CpuClock.Now() - a; }).ToList();
                Console.WriteLine($"     {name,-66} {best.Min(b => b.CpuMs),8:F3} ms cpu  {best.Min(b => b.WallMs),8:F3} wall");
            }
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }

        // TrialRunner setup: what it does before the first epoch (once per trial).
        var s2 = bench.Spec;
        var t0 = CpuClock.Now();
        var data = Catalogs.Default.Datasets.Get(s2.Dataset.Name).Provider.Load(s2.Dataset, s2.Seed, s2.BaseDirectory);
        var t1 = CpuClock.Now();
        var splits = Splitter.Split(data, s2.Dataset.Split, s2.Seed);
        var t2 = CpuClock.Now();
        var loss = Catalogs.Default.Losses.Get(s2.Loss.Name);
        using (TensorSplit.Create(splits.Train, loss))
        using (TensorSplit.Create(splits.Validation, loss))
        using (TensorSplit.Create(splits.Test, loss))
        {
        }
        var t3 = CpuClock.Now();
        Console.WriteLine($"   TrialRunner setup (once per trial, wall ms): generate data {(t1 - t0).WallMs:F1}, split {(t2 - t1).WallMs:F1}, tensors {(t3 - t2).WallMs:F1}");
    }

    private sealed class TimedCallback(string name, ITrainingCallback inner) : ITrainingCallback
    {
        public string Name => name;
        public Mark EpochEnd { get; private set; }

        public void OnTrainStart(TrainingSession session) => inner.OnTrainStart(session);

        public void OnEpochEnd(TrainingSession session, EpochRecord record, bool isBest)
        {
            var a = CpuClock.Now();
            inner.OnEpochEnd(session, record, isBest);
            var d = CpuClock.Now() - a;
            EpochEnd = new Mark(EpochEnd.WallMs + d.WallMs, EpochEnd.CpuMs + d.CpuMs);
        }

        public void OnTrainEnd(TrainingSession session, TrainingOutcome outcome) => inner.OnTrainEnd(session, outcome);
    }

    private static int Iterations(BenchCase bench, bool quick)
    {
        var wide = bench.Splits.Train.FeatureCount > 100;
        return (wide ? 30 : 300) / (quick ? 3 : 1);
    }

    /// <summary>Best-of-rounds CPU microseconds per call of two actions, their rounds alternating.</summary>
    private static (double A, double B) TimeInterleaved(int rounds, int iterations, Action a, Action b)
    {
        for (var i = 0; i < Math.Min(iterations, 20); i++)
        {
            a();
            b();
        }
        double bestA = double.PositiveInfinity, bestB = double.PositiveInfinity;
        for (var r = 0; r < rounds; r++)
        {
            foreach (var first in new[] { r % 2 == 0, r % 2 != 0 })
            {
                var action = first ? a : b;
                var t = CpuClock.ThreadCpuMs();
                for (var i = 0; i < iterations; i++) action();
                var us = (CpuClock.ThreadCpuMs() - t) * 1000 / iterations;
                if (first) bestA = Math.Min(bestA, us);
                else bestB = Math.Min(bestB, us);
            }
        }
        return (bestA, bestB);
    }

    /// <summary>Best-of-rounds CPU microseconds per call.</summary>
    private static double Time(int rounds, int iterations, Action action, Action? reset = null)
    {
        for (var i = 0; i < Math.Min(iterations, 20); i++) action();
        var best = double.PositiveInfinity;
        for (var r = 0; r < rounds; r++)
        {
            reset?.Invoke();
            var a = CpuClock.ThreadCpuMs();
            for (var i = 0; i < iterations; i++) action();
            best = Math.Min(best, (CpuClock.ThreadCpuMs() - a) * 1000 / iterations);
        }
        return best;
    }

    private static TrainingSession NewSession(BenchCase bench, int? epochs = null)
    {
        var spec = epochs is { } e ? bench.WithEpochs(e).Spec : bench.Spec;
        var loss = Catalogs.Default.Losses.Get(spec.Loss.Name);
        // The session disposes its splits, so it gets its own copies.
        return BenchRuntime.Instance.Sessions.Create(spec, TaskKind.Classification,
            TensorSplit.Create(bench.Splits.Train, loss), TensorSplit.Create(bench.Splits.Validation, loss), TensorSplit.Create(bench.Splits.Test, loss));
    }
}
