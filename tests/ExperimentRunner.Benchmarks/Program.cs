using System.Diagnostics;
using System.Globalization;
using ExperimentRunner.Benchmarks;
using ExperimentRunner.Torch.Native;
using static TorchSharp.torch;

// Runner vs hand-written TorchSharp loop: same MLP, same data tensors, one torch thread. See README.md.
NativeCompat.EnsureLoaded();
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

if (args.Any(a => a is "-h" or "--help"))
{
    Console.WriteLine("usage: dotnet run -c Release --project tests/ExperimentRunner.Benchmarks [-- [--quick] [--only tiny|wide|fmnist-mlp|fmnist-cnn] [--reps N] [--breakdown]]");
    Console.WriteLine("  --quick      fewer epochs and repetitions (a smoke run, ~15 s)");
    Console.WriteLine("  --only NAME  run one size: tiny (64-32-32-10), wide (784-512-512-10), fmnist-mlp (784-256-128-10) or fmnist-cnn");
    Console.WriteLine("  --breakdown  also time the runner's per-batch and per-epoch extras one by one");
    Console.WriteLine("  --reps N     repetitions per path and size (more narrows the ratios' spread on a noisy machine)");
    return 0;
}
var quick = args.Contains("--quick");
var breakdown = args.Contains("--breakdown");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
var repsOption = args.SkipWhile(a => a != "--reps").Skip(1).FirstOrDefault();
int? repsOverride = repsOption is null ? null : int.TryParse(repsOption, out var reps) && reps > 0 ? reps : throw new ArgumentException($"--reps: '{repsOption}' is not a positive whole number");

set_num_threads(1);
Console.WriteLine($"TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}, LibTorch {__version__}, {Environment.ProcessorCount} cores, " +
                  $"torch threads {get_num_threads()}, {(quick ? "quick" : "full")} run, load average {LoadAverage()}");
Console.WriteLine("wall = elapsed time; cpu = CPU time of the training thread (the work done; robust when other processes share the cores)");
Console.WriteLine();

var scratch = Path.Combine(Path.GetTempPath(), $"exprun-bench-{Environment.ProcessId}");
Directory.CreateDirectory(scratch);
var total = Stopwatch.StartNew();
var summaries = new List<string[]>();
try
{
    // Many short runs: under machine load, alternating often and pairing neighbouring runs beats long runs.
    var sizes = new List<(string Label, Func<int, BenchCase> Create, int Epochs, int Reps)>
    {
        // blobs samples are split 80/10/10: 4000 and 6000 training rows.
        ("tiny", e => BenchCase.Create("tiny", 64, [32, 32], 5000, 0.5, 64, e), 3, quick ? 5 : 20),
        ("wide", e => BenchCase.Create("wide", 784, [512, 512], 7500, 0.15, 128, e), quick ? 1 : 2, quick ? 3 : 8),
    };
    if (BenchCase.FashionMnistDir is { } fashion)
    {
        // Debian's dataset-fashion-mnist: the MLP and CNN of issue 9 on the first images of the training file (80% train).
        sizes.Add(("fmnist-mlp", e => BenchCase.FashionMnist("fmnist-mlp", fashion, "{architecture: mlp, hidden: [256, 128], activation: relu}", 12000, 128, e), 1, quick ? 3 : 8));
        sizes.Add(("fmnist-cnn", e => BenchCase.FashionMnist("fmnist-cnn", fashion, "{architecture: cnn, channels: [32, 64], norm: batch, hidden: [128], activation: relu}", quick ? 1500 : 3000, 64, e), 1, quick ? 2 : 5));
    }
    else
    {
        Console.WriteLine("(Fashion-MNIST shapes skipped: apt-get install dataset-fashion-mnist puts the files in /usr/share/datasets/fashion-mnist)");
    }
    foreach (var size in sizes.Where(s => only is null || s.Label == only).Select(s => s with { Reps = repsOverride ?? s.Reps }))
    {
        using var bench = size.Create(size.Epochs);
        var source = bench.Spec.Dataset.Name == "idx" ? "Fashion-MNIST" : "blobs";
        Console.WriteLine($"== {size.Label}: {bench.Architecture}, {source} {bench.Train.Rows} train / {bench.Validation.Rows} val rows, batch {bench.Spec.Training.BatchSize}, " +
                          $"Adam lr {bench.Spec.Optimizer.Lr}, {size.Epochs} epochs per run x {size.Reps} reps per path after warm-up");
        var paths = new (string Name, Func<int, RunTiming> Run)[]
        {
            ("runner Trainer", e => RunnerPaths.Trainer(bench, e)),
            ("runner TrialRunner", e => RunnerPaths.TrialRunner(bench, e, scratch)),
            ("hand-written", e => HandLoop.Run(bench, e)),
        };
        foreach (var p in paths) Measure(() => p.Run(1)); // warm-up: JIT, allocator, page cache
        foreach (var p in paths) Measure(() => p.Run(1));
        var results = paths.ToDictionary(p => p.Name, _ => new List<RunTiming>());
        for (var rep = 0; rep < size.Reps; rep++)
        {
            // Rotate the order so no path always runs first or right after the one that writes files.
            for (var k = 0; k < paths.Length; k++)
            {
                var p = paths[(rep + k) % paths.Length];
                results[p.Name].Add(Measure(() => p.Run(size.Epochs)));
            }
            Console.WriteLine($"   rep {rep + 1,2}  ms/epoch wall/cpu: " +
                              string.Join("   ", paths.Select(p => $"{p.Name} {results[p.Name][^1].MsPerEpoch,7:F1} /{results[p.Name][^1].CpuMsPerEpoch,7:F1}")));
        }

        var hand = results["hand-written"];
        Console.WriteLine();
        Console.WriteLine("   ratio = median over reps of (path / hand-written of the same rep); [q1..q3] its interquartile range");
        Console.WriteLine($"   {"ms per epoch",-20} {"wall median",11} {"wall min",9} {"cpu median",11} {"cpu min",8} {"ratio wall",11} {"ratio cpu [q1..q3]",20} {"setup ms",9} {"teardown ms",12} {"final val loss",15} {"val acc",8}");
        foreach (var p in paths)
        {
            var r = results[p.Name];
            var wall = Median(r.Select(x => x.MsPerEpoch));
            var cpu = Median(r.Select(x => x.CpuMsPerEpoch));
            var wallRatios = r.Zip(hand, (a, b) => a.MsPerEpoch / b.MsPerEpoch).ToList();
            var cpuRatios = r.Zip(hand, (a, b) => a.CpuMsPerEpoch / b.CpuMsPerEpoch).ToList();
            var cpuRange = $"{Median(cpuRatios),5:F3} [{Quantile(cpuRatios, 0.25):F2}..{Quantile(cpuRatios, 0.75):F2}]";
            Console.WriteLine($"   {p.Name,-20} {wall,11:F2} {r.Min(x => x.MsPerEpoch),9:F2} {cpu,11:F2} {r.Min(x => x.CpuMsPerEpoch),8:F2} {Median(wallRatios),11:F3} {cpuRange,20} " +
                              $"{Median(r.Select(x => x.Setup.WallMs)),9:F1} {Median(r.Select(x => x.Teardown.WallMs)),12:F1} {r[^1].FinalValLoss,15:G9} {r[^1].FinalValAccuracy,8:F4}");
            summaries.Add([size.Label, p.Name, wall.ToString("F2"), cpu.ToString("F2"), Median(wallRatios).ToString("F3"), Median(cpuRatios).ToString("F3")]);
        }
        var losses = paths.Select(p => results[p.Name][^1].FinalValLoss).ToList();
        var spread = losses.Max() - losses.Min();
        Console.WriteLine(spread <= 1e-6 * Math.Max(1, Math.Abs(losses[0]))
            ? "   parity: every path ends at the same validation loss (same initial weights, batches and updates)"
            : $"   WARNING: final validation losses differ by {spread:G3}: the paths are not doing the same work");
        Console.WriteLine("   setup: session/model/optimizer construction (TrialRunner: also data generation, split, tensors, config.yaml/run.json);");
        Console.WriteLine("   teardown: TrialRunner only (last weights .safetensors + .pt, best-weights test evaluation, cleanup)");
        Console.WriteLine();

        if (breakdown) Breakdown.Run(bench, quick);
    }

    Console.WriteLine("== summary (median ms per epoch; ratio = median of per-rep path / hand-written; < 1 means faster than the hand-written loop)");
    Console.WriteLine($"   {"size",-6} {"path",-20} {"wall",9} {"cpu",9} {"ratio wall",11} {"ratio cpu",10}");
    foreach (var s in summaries) Console.WriteLine($"   {s[0],-6} {s[1],-20} {s[2],9} {s[3],9} {s[4],11} {s[5],10}");
    Console.WriteLine($"   total benchmark time {total.Elapsed.TotalSeconds:F0} s, load average {LoadAverage()}");
    return 0;
}
finally
{
    try
    {
        Directory.Delete(scratch, recursive: true);
    }
    catch (IOException)
    {
    }
}

static RunTiming Measure(Func<RunTiming> run)
{
    // Start each run from the same state: no pending finalizers holding native tensors.
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    return run();
}

static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

// Linear interpolation between order statistics (numpy's default).
static double Quantile(IEnumerable<double> values, double q)
{
    var v = values.OrderBy(x => x).ToArray();
    var pos = q * (v.Length - 1);
    var lo = (int)Math.Floor(pos);
    var hi = Math.Min(lo + 1, v.Length - 1);
    return v[lo] + (v[hi] - v[lo]) * (pos - lo);
}

static string LoadAverage()
{
    try
    {
        return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "n/a";
    }
    catch (UnauthorizedAccessException)
    {
        return "n/a";
    }
}
