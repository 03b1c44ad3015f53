using System.Text.Json;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Tests.TestSupport;

namespace ExperimentRunner.Tests.Torch;

/// <summary><c>extends</c> through the commands: run writes the merged config.yaml and trains exactly what the flat file trains; validate and schema.</summary>
[Collection(TorchCollection.Name)]
public sealed class ExtendsRunTests : TorchTest
{
    private const string Base = """
        seed: 4
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    private const string Flat = """
        name: merged
        seed: 4
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16], activation: tanh}
        loss: nll
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {probe_size: 64}
        """;

    [Fact]
    public void Run_of_a_merged_file_writes_the_merged_config_and_the_flat_files_trial_bit_for_bit()
    {
        Temp.Write("bases/base.yaml", Base);
        var child = Temp.Write("exp/child.yaml", "extends: ../bases/base.yaml\nname: merged\nmodel: {activation: tanh}\nloss: nll\n");
        var flat = Temp.Write("flat/flat.yaml", Flat);

        var merged = CliHarness.Run("run", child, "-o", Temp.Combine("out-merged"));
        var plain = CliHarness.Run("run", flat, "-o", Temp.Combine("out-flat"));

        Assert.True(merged.ExitCode == 0, merged.Error);
        Assert.True(plain.ExitCode == 0, plain.Error);
        var trial = Assert.Single(Experiments.Load(Flat, Temp.Path).Trials);
        var mergedDir = Path.Combine(Temp.Combine("out-merged"), "merged", "trials", trial.Id);
        var flatDir = Path.Combine(Temp.Combine("out-flat"), "merged", "trials", trial.Id);
        var config = File.ReadAllText(Path.Combine(mergedDir, "config.yaml"));
        Assert.Equal(ConfigWriter.ToYaml(trial.Spec.Tree), config);
        Assert.DoesNotContain("extends", config, StringComparison.Ordinal);
        Assert.Contains("\n  activation: tanh\n", config, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(Path.Combine(flatDir, "config.yaml")), config);
        Assert.Equal(CsvTable.Read(Path.Combine(flatDir, "metrics.csv")).TextWithout("seconds"), CsvTable.Read(Path.Combine(mergedDir, "metrics.csv")).TextWithout("seconds"));
    }

    [Fact]
    public void Validate_checks_the_merged_file_and_reports_a_broken_chain_with_exit_2()
    {
        Temp.Write("bases/base.yaml", Base);
        var good = Temp.Write("exp/good.yaml", "extends: ../bases/base.yaml\nname: good\n");
        var cycle = Temp.Write("exp/cycle.yaml", "extends: cycle.yaml\nname: cycle\n");

        var ok = CliHarness.Run("validate", good);
        var bad = CliHarness.Run("validate", cycle);

        Assert.True(ok.ExitCode == 0, ok.Error);
        Assert.Equal($"ok {good} (1 trial)\n", ok.Out);
        Assert.Equal(2, bad.ExitCode);
        Assert.Equal($"{cycle}:1:10: error: extends: 'cycle.yaml' closes a cycle: {cycle} -> {cycle}; a file cannot extend itself, directly or through its bases\n", bad.Error);
    }

    [Fact]
    public void Schema_describes_extends_as_a_path_or_a_list_of_paths()
    {
        var result = CliHarness.Run("schema");

        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var extends = doc.RootElement.GetProperty("properties").GetProperty("extends");
        var forms = extends.GetProperty("oneOf").EnumerateArray().ToList();
        Assert.Equal("string", forms[0].GetProperty("type").GetString());
        Assert.Equal("array", forms[1].GetProperty("type").GetString());
        Assert.Equal("string", forms[1].GetProperty("items").GetProperty("type").GetString());
        Assert.StartsWith("base files this file builds on", extends.GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
