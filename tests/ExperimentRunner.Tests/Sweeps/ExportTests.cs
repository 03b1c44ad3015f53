using System.Text.RegularExpressions;
using ExperimentRunner.Tests.TestSupport;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ExperimentRunner.Tests.Sweeps;

public sealed partial class ExportTests
{
    private static YamlMappingNode M(YamlNode node, string key) => (YamlMappingNode)((YamlMappingNode)node)[key];

    private static string S(YamlNode node, string key) => ((YamlScalarNode)((YamlMappingNode)node)[key]).Value!;

    [Fact]
    public void KubernetesManifestIsAnIndexedJobOverTheShardsWithASharedVolume()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var (code, output, error) = SweepHarness.Cli("export", "k8s", file, "--tasks", "4", "--parallel", "2", "--cpus-per-task", "2", "--image", "registry/exprun:1", "--set", "training.epochs=2", "-o", dir.Combine("job.yaml"));
        Assert.True(code == 0, error);
        Assert.Contains("8 trials in 4 tasks", output);

        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(dir.Combine("job.yaml"))));
        Assert.Equal(2, stream.Documents.Count);
        var configMap = stream.Documents[0].RootNode;
        Assert.Equal("ConfigMap", S(configMap, "kind"));
        Assert.Equal(SweepHarness.Sweep, S(M(configMap, "data"), "sweep.yaml").TrimEnd('\n'));

        var job = stream.Documents[1].RootNode;
        Assert.Equal(("batch/v1", "Job"), (S(job, "apiVersion"), S(job, "kind")));
        Assert.Equal("exprun-sweep-test", S(M(job, "metadata"), "name"));
        var spec = M(job, "spec");
        Assert.Equal(("Indexed", "4", "4"), (S(spec, "completionMode"), S(spec, "completions"), S(spec, "parallelism")));
        var pod = M(M(spec, "template"), "spec");
        Assert.Equal("Never", S(pod, "restartPolicy"));
        var container = (YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single();
        Assert.Equal("registry/exprun:1", S(container, "image"));
        var args = ((YamlSequenceNode)container["args"]).Select(a => ((YamlScalarNode)a).Value).ToList();
        Assert.Equal(["run", "/experiment/sweep.yaml", "--output", "/results", "--shard", "$(JOB_COMPLETION_INDEX)/4", "--resume", "--threads", "1", "--parallel", "2", "--set", "training.epochs=2"], args);
        Assert.Equal("2", S(M(M(container, "resources"), "requests"), "cpu"));
        var mounts = ((YamlSequenceNode)container["volumeMounts"]).Cast<YamlMappingNode>().ToDictionary(m => S(m, "name"), m => S(m, "mountPath"));
        Assert.Equal("/results", mounts["results"]);
        var volumes = ((YamlSequenceNode)pod["volumes"]).Cast<YamlMappingNode>().ToDictionary(v => S(v, "name"));
        Assert.Equal("exprun-results", S(M(volumes["results"], "persistentVolumeClaim"), "claimName"));
        Assert.Equal("exprun-sweep-test-experiment", S(M(volumes["experiment"], "configMap"), "name"));

        var collect = new YamlStream();
        collect.Load(new StringReader(File.ReadAllText(dir.Combine("job.yaml.collect.yaml"))));
        var collectContainer = (YamlMappingNode)((YamlSequenceNode)M(M(collect.Documents[0].RootNode, "spec"), "template")["spec"]["containers"]).Single();
        Assert.Equal(["collect", "/results/sweep-test"], ((YamlSequenceNode)collectContainer["args"]).Select(a => ((YamlScalarNode)a).Value));
    }

    [Fact]
    public void A_file_that_extends_bases_goes_into_the_config_map_merged_and_loads_to_the_same_trials()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("bases"));
        dir.Write(Path.Combine("bases", "base.yaml"), SweepHarness.Sweep.Replace("name: sweep-test", "name: from-base"));
        var file = dir.Write("child.yaml", "extends: bases/base.yaml\nname: merged-child\ntraining: {epochs: 2}\n");

        var (code, _, error) = SweepHarness.Cli("export", "k8s", file, "-o", dir.Combine("job.yaml"));

        Assert.True(code == 0, error);
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(dir.Combine("job.yaml"))));
        var text = S(M(stream.Documents[0].RootNode, "data"), "child.yaml");
        Assert.DoesNotContain("extends", text);
        var inPod = dir.Write("in-pod.yaml", text);
        var original = TestRuntime.Instance.Loader.Load(file).Trials.Select(t => t.Id);
        Assert.Equal(original, TestRuntime.Instance.Loader.Load(inPod).Trials.Select(t => t.Id));
    }

    /// <summary>
    /// Kubernetes types a container's command and args items and env values as strings. A YAML 1.2 parser (the core
    /// schema, YAML 1.2.2 section 10.3.2) reads a plain <c>1</c> as an int, <c>true</c> as a bool, <c>~</c> as null:
    /// such a manifest is rejected ("cannot unmarshal number into Go struct field Container.args of type string").
    /// </summary>
    [Fact]
    public void KubernetesCommandArgsAndEnvValuesAreStringsUnderTheYaml12CoreSchema()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var (code, _, error) = SweepHarness.Cli("export", "k8s", file, "--tasks", "4", "--parallel", "2", "--exprun", "dotnet /opt/exprun/exprun.dll", "--set", "training.epochs=2", "-o", dir.Combine("job.yaml"));
        Assert.True(code == 0, error);

        foreach (var path in new[] { dir.Combine("job.yaml"), dir.Combine("job.yaml.collect.yaml") })
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(path)));
            var containers = stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().Where(d => S(d, "kind") == "Job")
                .SelectMany(job => (YamlSequenceNode)M(M(M(job, "spec"), "template"), "spec")["containers"]).Cast<YamlMappingNode>().ToList();
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                var strings = new List<YamlNode>();
                strings.AddRange((YamlSequenceNode)container["command"]);
                strings.AddRange((YamlSequenceNode)container["args"]);
                if (container.Children.ContainsKey("env")) strings.AddRange(((YamlSequenceNode)container["env"]).Cast<YamlMappingNode>().Select(e => e["value"]));
                Assert.All(strings, node => Assert.True(IsString(node), $"{path}: '{node}' does not resolve to a string"));
            }
        }
        var args = Args(dir.Combine("job.yaml"));
        // The values that read as numbers when plain: what Kubernetes rejected before they were quoted.
        Assert.Equal(["1", "2"], new[] { args[args.IndexOf("--threads") + 1], args[args.IndexOf("--parallel") + 1] });
    }

    private static List<string> Args(string manifest)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(manifest)));
        var pod = M(M(M(stream.Documents[1].RootNode, "spec"), "template"), "spec");
        return ((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)pod["containers"]).Single())["args"]).Select(a => ((YamlScalarNode)a).Value!).ToList();
    }

    /// <summary>A scalar is a string when quoted, a block, or plain text that the core schema's null, bool, int and float patterns do not match.</summary>
    private static bool IsString(YamlNode node) =>
        node is YamlScalarNode scalar && (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any) || !CoreSchemaNonString().IsMatch(scalar.Value ?? ""));

    [GeneratedRegex(@"^(|null|Null|NULL|~|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?(\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)$")]
    private static partial Regex CoreSchemaNonString();

    [Fact]
    public void SlurmScriptRunsOneShardPerArrayTaskAndSubmitsCollect()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep);
        var (code, _, error) = SweepHarness.Cli("export", "slurm", file, "--results", dir.Combine("out"), "--max-concurrent", "3", "--time", "00:10:00", "--partition", "gpu", "-o", dir.Combine("job.sh"));
        Assert.True(code == 0, error);
        var script = File.ReadAllText(dir.Combine("job.sh"));
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.Contains("#SBATCH --array=0-7%3\n", script);
        Assert.Contains("#SBATCH --time=00:10:00\n", script);
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains($"#SBATCH --output={dir.Combine("out")}/sweep-test/slurm/%A_%a.out\n", script);
        Assert.Contains($"$EXPRUN run {file} --output {dir.Combine("out")} --shard \"${{SLURM_ARRAY_TASK_ID}}/8\" --resume --threads 1\n", script);
        Assert.Contains($"--wrap \"$EXPRUN collect {dir.Combine("out")}/sweep-test\"", script);
        if (!OperatingSystem.IsWindows()) Assert.True(File.GetUnixFileMode(dir.Combine("job.sh")).HasFlag(UnixFileMode.UserExecute));
    }

    /// <summary>The task's command line is the shared RunArguments one: the shell gives exprun exactly those words, the shard expanded.</summary>
    [SkippableFact]
    public void SlurmTaskCommandReachesExprunAsTheRunArguments()
    {
        Skip.IfNot(File.Exists("/bin/bash"), "needs bash");
        using var dir = new TempDir();
        var file = dir.Write("my sweep.yaml", SweepHarness.Sweep);
        var set = "loss={name: huber, delta: 0.5}";
        var (code, _, error) = SweepHarness.Cli("export", "slurm", file, "--results", dir.Combine("out"), "--parallel", "2", "--set", set, "--set", "model.hidden=[8, 8]", "-o", dir.Combine("job.sh"));
        Assert.True(code == 0, error);
        var command = File.ReadAllText(dir.Combine("job.sh")).Split('\n').Single(l => l.StartsWith("$EXPRUN run ", StringComparison.Ordinal));

        var info = new System.Diagnostics.ProcessStartInfo("/bin/bash", ["-c", command.Replace("$EXPRUN", "printf '%s\\n'", StringComparison.Ordinal)]) { RedirectStandardOutput = true };
        info.Environment["SLURM_ARRAY_TASK_ID"] = "3";
        using var bash = System.Diagnostics.Process.Start(info)!;
        var words = bash.StandardOutput.ReadToEnd().TrimEnd('\n').Split('\n');
        bash.WaitForExit();

        Assert.Equal(
            ["run", file, "--output", dir.Combine("out"), "--shard", "3/8", "--resume", "--threads", "1", "--parallel", "2", "--set", set, "--set", "model.hidden=[8, 8]"],
            words);
    }

    [Fact]
    public void ExportOfABrokenFileIsAConfigErrorAndWritesNothing()
    {
        using var dir = new TempDir();
        var file = dir.Write("sweep.yaml", SweepHarness.Sweep.Replace("moons", "moon"));
        var (code, _, error) = SweepHarness.Cli("export", "slurm", file, "-o", dir.Combine("job.sh"));
        Assert.Equal(2, code);
        Assert.Contains("unknown dataset 'moon' (did you mean 'moons'?)", error);
        Assert.False(File.Exists(dir.Combine("job.sh")));
    }
}
