using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Torch;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>The runtime tests load and train with: the standard catalogs, builders and sinks, built once.</summary>
public static class TestRuntime
{
    public static ExprunRuntime Instance { get; } = new(Catalogs.Default);
}
