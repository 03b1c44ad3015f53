using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Torch;

namespace ExperimentRunner.Benchmarks;

/// <summary>The runtime the benchmark trains with: the standard catalogs, builders and sinks, as exprun builds them.</summary>
public static class BenchRuntime
{
    public static ExprunRuntime Instance { get; } = new(Catalogs.Default);
}
