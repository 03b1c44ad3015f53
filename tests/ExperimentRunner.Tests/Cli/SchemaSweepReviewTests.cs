using System.Text.Json;
using ExperimentRunner.Core.Catalog;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Problems;
using ExperimentRunner.Core.Schema;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Cli;

/// <summary>Regression tests for defects found in review of the JSON Schema.</summary>
public sealed class SchemaSweepReviewTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void SamplerSeedOutsideRandomSweepsIsRejectedByTheSchemaAsByTheLoader()
    {
        var file = _temp.Combine("grid-sampler-seed.yaml");
        File.WriteAllText(file, """
            name: p
            dataset: {name: spirals, samples: 300}
            model: {architecture: mlp, hidden: [8]}
            loss: cross_entropy
            sweep: {parameters: {model.activation: [relu, tanh]}, sampler_seed: 3}
            """);
        var error = Assert.Throws<ConfigException>(() => new ExperimentLoader(Catalogs.Default).Load(file));
        Assert.Contains(error.Problems, p => p.ToString().Contains("sampler_seed only applies to method: random", StringComparison.Ordinal));

        using var doc = JsonDocument.Parse(JsonSchemaWriter.Write(Catalogs.Default));
        var sweep = doc.RootElement.GetProperty("properties").GetProperty("sweep");
        // Outside method: random ('else'), neither samples nor sampler_seed may be given.
        var forbidden = sweep.GetProperty("else").GetProperty("not").GetProperty("anyOf").EnumerateArray()
            .Select(s => s.GetProperty("required").EnumerateArray().Single().GetString()).ToList();
        Assert.Equal(["samples", "sampler_seed"], forbidden);
    }
}
