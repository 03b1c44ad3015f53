using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace ExperimentRunner.Core.Export;

/// <summary>
/// A ConfigMap holding the experiment file and an Indexed Job whose completion index selects the shard
/// (<c>--shard $JOB_COMPLETION_INDEX/N</c>), writing to a shared volume; the collect step follows as a
/// second Job in its own manifest so it is applied only after the first completes.
/// </summary>
public static class KubernetesManifest
{
    private const string ExperimentMount = "/experiment";
    private const string ResultsMount = "/results";

    public static string Write(ExportSettings s)
    {
        var inv = CultureInfo.InvariantCulture;
        var name = JobName(s.ExperimentName);
        var file = $"{ExperimentMount}/{Path.GetFileName(s.ExperimentFile)}";
        var args = new List<string> { "run", file, "--output", ResultsMount, "--shard", "$(JOB_COMPLETION_INDEX)/" + s.Tasks.ToString(inv), "--resume", "--threads", "1" };
        if (s.Parallel > 1) args.AddRange(["--parallel", s.Parallel.ToString(inv)]);
        foreach (var o in s.Overrides) args.AddRange(["--set", o]);

        var configMap = Map(
            ("apiVersion", "v1"), ("kind", "ConfigMap"),
            ("metadata", Map(("name", $"{name}-experiment"))),
            ("data", Map((Path.GetFileName(s.ExperimentFile), s.ExperimentText))));
        var container = Map(
            ("name", "trial"),
            ("image", s.Image),
            ("command", Seq(s.Exprun.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Scalar).ToArray())),
            ("args", Seq(args.Select(Scalar).ToArray())),
            ("env", Seq(Map(("name", "OMP_NUM_THREADS"), ("value", "1")))),
            ("resources", Map(("requests", Map(("cpu", s.CpusPerTask.ToString(inv)), ("memory", K8sMemory(s.Memory)))))),
            ("volumeMounts", Seq(
                Map(("name", "experiment"), ("mountPath", ExperimentMount), ("readOnly", "true")),
                Map(("name", "results"), ("mountPath", ResultsMount)))));
        var volumes = Seq(
            Map(("name", "experiment"), ("configMap", Map(("name", $"{name}-experiment")))),
            Map(("name", "results"), ("persistentVolumeClaim", Map(("claimName", s.VolumeClaim)))));
        var podSpec = Map(("restartPolicy", "Never"), ("containers", Seq(container)), ("volumes", volumes));
        var job = Map(
            ("apiVersion", "batch/v1"), ("kind", "Job"),
            ("metadata", Map(("name", name), ("labels", Map(("app", "exprun"), ("experiment", s.ExperimentName))))),
            ("spec", Map(
                ("completionMode", "Indexed"),
                ("completions", s.Tasks.ToString(inv)),
                ("parallelism", (s.MaxConcurrent > 0 ? Math.Min(s.MaxConcurrent, s.Tasks) : s.Tasks).ToString(inv)),
                ("backoffLimitPerIndex", "2"),
                ("maxFailedIndexes", s.Tasks.ToString(inv)),
                ("template", Map(("spec", podSpec))))));
        var header = $"""
            # {s.Trials} trials of '{s.ExperimentName}' as an Indexed Job of {s.Tasks} completions.
            # The results volume (PersistentVolumeClaim '{s.VolumeClaim}', ReadWriteMany) is shared by all pods;
            # data files a csv/idx dataset names must be reachable at the same paths inside the image or volume.
            #   kubectl apply -f THIS_FILE
            #   kubectl wait --for=condition=complete --timeout=24h job/{name}
            #   kubectl apply -f THIS_FILE.collect.yaml     # runs: exprun collect {ResultsMount}/{s.ExperimentName}
            # Re-applying after failures is safe: finished trials are skipped, unfinished ones resume.
            # backoffLimitPerIndex (retries per trial index) needs Kubernetes 1.29 or newer.

            """;
        return header + Dump(configMap) + "---\n" + Dump(job);
    }

    /// <summary>The Job that rebuilds summary.csv and aggregate.csv once every index has finished.</summary>
    public static string WriteCollect(ExportSettings s)
    {
        var name = JobName(s.ExperimentName);
        var container = Map(
            ("name", "collect"),
            ("image", s.Image),
            ("command", Seq(s.Exprun.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Scalar).ToArray())),
            ("args", Seq(Scalar("collect"), Scalar($"{ResultsMount}/{s.ExperimentName}"))),
            ("volumeMounts", Seq(Map(("name", "results"), ("mountPath", ResultsMount)))));
        var podSpec = Map(
            ("restartPolicy", "Never"),
            ("containers", Seq(container)),
            ("volumes", Seq(Map(("name", "results"), ("persistentVolumeClaim", Map(("claimName", s.VolumeClaim)))))));
        var job = Map(
            ("apiVersion", "batch/v1"), ("kind", "Job"),
            ("metadata", Map(("name", $"{name}-collect"))),
            ("spec", Map(("template", Map(("spec", podSpec))))));
        return $"# Apply after job/{name} has completed: rebuilds summary.csv and aggregate.csv.\n" + Dump(job);
    }

    /// <summary>Kubernetes names: lower-case letters, digits and '-', at most 63 characters.</summary>
    public static string JobName(string experiment)
    {
        var chars = ("exprun-" + experiment.ToLowerInvariant()).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var text = new string(chars).Trim('-');
        return text.Length > 52 ? text[..52].TrimEnd('-') : text;
    }

    private static string K8sMemory(string slurm) => slurm.EndsWith('G') ? slurm + "i" : slurm.EndsWith('M') ? slurm + "i" : slurm;

    private static YamlScalarNode Scalar(string s) => new(s);

    private static YamlMappingNode Map(params (string Key, object Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            YamlNode node = value switch
            {
                YamlNode n => n,
                string s => new YamlScalarNode(s),
                _ => throw new ArgumentException(value.GetType().Name),
            };
            if (node is YamlScalarNode sc && key == "data") sc.Style = YamlDotNet.Core.ScalarStyle.Literal;
            map.Add(key, node);
        }
        return map;
    }

    private static YamlSequenceNode Seq(params YamlNode[] items) => new(items);

    private static string Dump(YamlNode root)
    {
        var stream = new YamlStream(new YamlDocument(root));
        using var writer = new StringWriter { NewLine = "\n" };
        stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }
}
