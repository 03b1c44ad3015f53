using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data;
using ExperimentRunner.Core.Data.Preparation;
using ExperimentRunner.Core.Metrics;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Tests.TestSupport;
using ExperimentRunner.Torch.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ExperimentRunner.Tests.Torch;

/// <summary>The weights files load back into a freshly built network of the same spec, and are what PyTorch expects.</summary>
[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : TorchTest
{
    private const string Experiment = """
        name: checkpoints
        seed: 8
        dataset: {name: spirals, samples: 200, classes: 3, noise: 0.1}
        model: {architecture: mlp, hidden: [16, 8], activation: relu}
        loss: cross_entropy
        optimizer: {name: adam, lr: 0.01}
        training: {epochs: 3, batch_size: 32}
        diagnostics: {layer_stats: false}
        """;

    private static readonly string[] StateKeys =
        ["linear_1.weight", "linear_1.bias", "linear_2.weight", "linear_2.bias", "linear_out.weight", "linear_out.bias"];

    private (TrialSpec Trial, RunManifest Manifest, string Checkpoints) Run()
    {
        var trial = Experiments.Single(Experiment, Temp.Path);
        var manifest = TrialHarness.Run(trial, ExperimentDir("checkpoints"));
        Assert.Equal("completed", manifest.Status);
        return (trial, manifest, Path.Combine(TrialHarness.TrialDir(ExperimentDir("checkpoints"), trial), "checkpoints"));
    }

    /// <summary>A network of the trial's spec with weights from its own seed (not the trained ones).</summary>
    private static BuiltModel Fresh(TrialSpec trial, long seed)
    {
        manual_seed(seed);
        var model = TestRuntime.Instance.Models.Build(trial.Spec.Model, [2], 3);
        model.Network.eval();
        return model;
    }

    private static Tensor Probe()
    {
        var generator = new Generator(99);
        return randn([64, 2], generator: generator);
    }

    private static Tensor Outputs(BuiltModel model, Tensor input)
    {
        using var _ = no_grad();
        return model.Network.forward(input);
    }

    [Fact]
    public void Checkpoint_files_are_the_expected_set()
    {
        var (_, _, checkpoints) = Run();
        Assert.Equal(["best.pt", "best.safetensors", "checksums.json", "last.pt", "last.safetensors"], Directory.GetFiles(checkpoints).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetDirectories(checkpoints)); // resume state is gone once the trial finished
    }

    [Theory]
    [InlineData("best.safetensors")]
    [InlineData("best.pt")]
    [InlineData("last.safetensors")]
    [InlineData("last.pt")]
    public void Weights_load_into_a_fresh_model_of_the_same_spec_with_identical_outputs(string file)
    {
        var (trial, _, checkpoints) = Run();
        using var scope = NewDisposeScope();
        var input = Probe();
        var a = Fresh(trial, 1);
        var b = Fresh(trial, 2);
        var beforeA = Outputs(a, input);
        Assert.False(beforeA.allclose(Outputs(b, input)), "two seeds built the same weights: the test could not tell a load from no load");

        Load(a, Path.Combine(checkpoints, file));
        Load(b, Path.Combine(checkpoints, file));

        var afterA = Outputs(a, input);
        Assert.True(afterA.eq(Outputs(b, input)).all().item<bool>(), "the same file gave different outputs");
        Assert.False(afterA.allclose(beforeA), "loading did not change the network");
        Assert.Equal(StateKeys, a.Network.state_dict().Keys);
    }

    [Fact]
    public void Last_pt_and_last_safetensors_hold_the_same_weights()
    {
        var (trial, _, checkpoints) = Run();
        using var scope = NewDisposeScope();
        var input = Probe();
        var fromPt = Fresh(trial, 1);
        var fromSafetensors = Fresh(trial, 2);
        fromPt.Network.load_py(Path.Combine(checkpoints, "last.pt"));
        fromSafetensors.Network.load_safetensors(Path.Combine(checkpoints, "last.safetensors"));
        Assert.True(Outputs(fromPt, input).eq(Outputs(fromSafetensors, input)).all().item<bool>());
        foreach (var (name, value) in fromPt.Network.state_dict())
            Assert.True(value.eq(fromSafetensors.Network.state_dict()[name]).all().item<bool>(), name);
    }

    [Fact]
    public void Best_weights_reproduce_the_test_metrics_in_run_json()
    {
        var (trial, manifest, checkpoints) = Run();
        using var scope = NewDisposeScope();
        var model = Fresh(trial, 1);
        model.Network.load_safetensors(Path.Combine(checkpoints, "best.safetensors"));
        var test = DataPreparation.Prepare(trial.Spec, ExperimentRunner.Core.Catalog.Catalogs.Default).Splits.Test;

        var predicted = Outputs(model, tensor(test.Features.ToArray(), [test.Rows, 2])).argmax(1).data<long>().ToArray();

        Assert.Equal(manifest.TestMetrics["accuracy"], MetricCalculator.Classification("accuracy", predicted, test.Labels!, 3));
        Assert.Equal(manifest.TestMetrics["f1_macro"], MetricCalculator.Classification("f1_macro", predicted, test.Labels!, 3));
    }

    [Fact]
    public void Safetensors_header_names_the_state_dict_keys_with_their_shapes()
    {
        var (_, _, checkpoints) = Run();
        foreach (var file in new[] { "best.safetensors", "last.safetensors" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(checkpoints, file));
            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
            var tensors = header.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__").ToDictionary(p => p.Name, p => p.Value);
            Assert.Equal(StateKeys.Order(StringComparer.Ordinal), tensors.Keys.Order(StringComparer.Ordinal));
            Assert.Equal("F32", tensors["linear_1.weight"].GetProperty("dtype").GetString());
            Assert.Equal([16, 2], tensors["linear_1.weight"].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([8, 16], tensors["linear_2.weight"].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([3, 8], tensors["linear_out.weight"].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.Equal([3], tensors["linear_out.bias"].GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        }
    }

    [Fact]
    public void Best_pt_holds_the_best_weights_as_best_safetensors_does()
    {
        var (trial, _, checkpoints) = Run();
        using var scope = NewDisposeScope();
        var fromPt = Fresh(trial, 1);
        var fromSafetensors = Fresh(trial, 2);
        fromPt.Network.load_py(Path.Combine(checkpoints, "best.pt"));
        fromSafetensors.Network.load_safetensors(Path.Combine(checkpoints, "best.safetensors"));
        foreach (var (name, value) in fromPt.Network.state_dict())
            Assert.True(value.eq(fromSafetensors.Network.state_dict()[name]).all().item<bool>(), name);
    }

    [Fact]
    public void Safetensors_metadata_carries_the_trial_and_its_fitted_preprocessing()
    {
        var (trial, manifest, checkpoints) = Run();
        foreach (var file in new[] { "best.safetensors", "last.safetensors" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(checkpoints, file));
            var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, headerLength % 8);
            using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
            var metadata = header.RootElement.GetProperty("__metadata__");
            Assert.Equal(trial.Id, metadata.GetProperty("exprun.trial").GetString());
            Assert.Equal(manifest.ConfigHash, metadata.GetProperty("exprun.config_hash").GetString());
            Assert.Equal("mlp", metadata.GetProperty("exprun.architecture").GetString());
            var preprocessing = JsonSerializer.Deserialize<FittedPreprocessing>(metadata.GetProperty("exprun.preprocessing").GetString()!)!;
            Assert.Equal(JsonSerializer.Serialize(manifest.Preprocessing), JsonSerializer.Serialize(preprocessing));
            Assert.Equal(["0", "1", "2"], preprocessing.ClassNames!);
        }
    }

    [Fact]
    public void Last_pt_is_a_pytorch_zip_archive_with_a_pickled_state_dict()
    {
        var (_, _, checkpoints) = Run();
        using var zip = ZipFile.OpenRead(Path.Combine(checkpoints, "last.pt"));
        var names = zip.Entries.Select(e => e.FullName).ToList();
        // torch.save's zip layout: <archive>/data.pkl, <archive>/data/<storage>, <archive>/version.
        var pickle = Assert.Single(zip.Entries, e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        var archive = pickle.FullName[..^"/data.pkl".Length];
        Assert.DoesNotContain('/', archive);
        Assert.Contains(names, n => n == $"{archive}/version" || n == $"{archive}/.format_version");
        Assert.Equal(StateKeys.Length, names.Count(n => n.StartsWith($"{archive}/data/", StringComparison.Ordinal)));

        using var stream = pickle.Open();
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        var pkl = memory.ToArray();
        Assert.Equal(0x80, pkl[0]); // pickle PROTO opcode
        Assert.Equal(0x2E, pkl[^1]); // pickle STOP opcode
        var text = Encoding.Latin1.GetString(pkl);
        Assert.All(StateKeys, key => Assert.Contains(key, text));
        Assert.Contains("collections\nOrderedDict", text);
        Assert.Contains("torch._utils\n_rebuild_tensor_v2", text);
    }

    private static void Load(BuiltModel model, string path)
    {
        if (path.EndsWith(".pt", StringComparison.Ordinal)) model.Network.load_py(path);
        else model.Network.load_safetensors(path);
    }
}
