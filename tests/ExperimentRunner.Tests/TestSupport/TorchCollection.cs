namespace ExperimentRunner.Tests.TestSupport;

/// <summary>
/// Every test that touches libtorch runs in this collection: one at a time (torch's RNG and thread settings
/// are process-wide) and never in parallel with other collections.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TorchCollection
{
    public const string Name = "torch";
}
