using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Tests.TestSupport;

/// <summary>Loads experiment YAML written inline in a test, exactly as <c>exprun</c> would load a file named test.yaml.</summary>
public static class Experiments
{
    public const string Source = "test.yaml";

    /// <summary>
    /// A tiny, fast classification trial: 200 spiral points, one hidden layer of 16, two epochs. Tests change
    /// what they need with <c>--set</c>-style overrides (<c>loss=mse</c>, <c>model.activation=tanh</c>).
    /// </summary>
    public const string Tiny = """
        name: tiny
        seed: 3
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 2, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    public static LoadedExperiment Load(string yaml, string baseDirectory, params string[] overrides) =>
        TestRuntime.Instance.Loader.LoadText(yaml, Source, baseDirectory, overrides);

    /// <summary>The only trial of a file without a sweep.</summary>
    public static TrialSpec Single(string yaml, string baseDirectory, params string[] overrides) =>
        Assert.Single(Load(yaml, baseDirectory, overrides).Trials);

    /// <summary>Loading must fail; returns every problem reported.</summary>
    public static IReadOnlyList<Problem> Problems(string yaml, string baseDirectory, params string[] overrides) =>
        Assert.Throws<ConfigException>(() => Load(yaml, baseDirectory, overrides)).Problems;
}
