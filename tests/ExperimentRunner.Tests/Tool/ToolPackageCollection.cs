namespace ExperimentRunner.Tests.Tool;

/// <summary>
/// The tool-package test packs, installs and runs exprun in child processes for about a minute on both cores; alone,
/// it neither slows timing-sensitive tests nor is slowed by them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ToolPackageCollection
{
    public const string Name = "tool package";
}
