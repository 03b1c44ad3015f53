using System.Diagnostics;
using ExperimentRunner.Cli;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Results;
using Microsoft.Extensions.Time.Testing;

namespace ExperimentRunner.Tests.Sweeps;

/// <summary>Runs exprun in this process or as a child process, and reads results without wall-clock columns.</summary>
internal static class SweepHarness
{
    /// <summary>A small 2 x 2 x 2 sweep (8 trials) that trains in about a second per trial.</summary>
    public const string Sweep = """
        name: sweep-test
        seed: 1
        dataset: {name: moons, samples: 240, noise: 0.1}
        model: {architecture: mlp, hidden: [8]}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.02}
        training: {epochs: 6, batch_size: 16}
        diagnostics: {layer_stats: true, probe_size: 32}
        sweep:
          parameters:
            loss: [cross_entropy, mse]
            model.activation: [relu, tanh]
          seeds: 2
        """;

    public static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = ExprunCli.Run(args, new CliContext(output, error, new FakeTimeProvider(), TestRuntime.Instance));
        return (code, output.ToString(), error.ToString());
    }

    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>An exprun child process with these environment variables set (a null value removes one).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "exprun")) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
        {
            if (value is null) info.Environment.Remove(name);
            else info.Environment[name] = value;
        }
        return Process.Start(info)!;
    }

    /// <summary>A CSV's rows as text, without the columns that hold wall-clock times.</summary>
    public static List<string> WithoutTimes(string path)
    {
        var (header, rows) = CsvText.Read(path);
        var keep = header.Select((h, i) => (h, i)).Where(x => !x.h.StartsWith("seconds", StringComparison.Ordinal)).Select(x => x.i).ToList();
        return rows.Select(r => string.Join(",", keep.Select(i => r[i]))).Prepend(string.Join(",", keep.Select(i => header[i]))).ToList();
    }

    public static IEnumerable<RunManifest> Manifests(string experimentDir) =>
        Directory.Exists(Path.Combine(experimentDir, "trials"))
            ? Directory.EnumerateDirectories(Path.Combine(experimentDir, "trials")).Select(RunManifest.TryLoad).OfType<RunManifest>()
            : [];
}
