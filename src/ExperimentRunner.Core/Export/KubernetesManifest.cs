using ExperimentRunner.Core.Text;
using YamlDotNet.RepresentationModel;
using static ExperimentRunner.Core.Export.YamlScalars;

namespace ExperimentRunner.Core.Export;

/// <summary>
/// A ConfigMap holding the experiment file and an Indexed Job whose completion index selects the shard
/// (<c>--shard $(JOB_COMPLETION_INDEX)/N</c>), writing to a shared volume; the collect step follows as a
/// second Job in its own manifest so it is applied only after the first completes. Kubernetes wants strings
/// in a container's command, args and env values, so every one of those is quoted.
/// </summary>
public static class KubernetesManifest
{
    private const string ExperimentMount = "/experiment";
    private const string ResultsMount = "/results";
    /// <summary>The Job controller sets it in every pod of an Indexed Job; the kubelet expands $(NAME) in args.</summary>
    private const string CompletionIndex = "$(JOB_COMPLETION_INDEX)";

    public static string Write(ExportSettings s)
    {
        var name = JobName(s.ExperimentName);
        var fileName = Path.GetFileName(s.Run.File);
        var run = s.TaskRun(CompletionIndex) with { File = $"{ExperimentMount}/{fileName}", Output = ResultsMount };

        var configMap = Map(
            ("apiVersion", Scalar("v1")), ("kind", Scalar("ConfigMap")),
            ("metadata", Map(("name", Scalar($"{name}-experiment")))),
            ("data", Map((fileName, Block(s.ExperimentText)))));
        var container = Map(
            ("name", Scalar("trial")),
            ("image", Scalar(s.Image)),
            ("command", Command(s)),
            ("args", Strings(run.ToArguments())),
            ("env", Seq(Map(("name", Scalar("OMP_NUM_THREADS")), ("value", Quoted("1"))))),
            ("resources", Map(("requests", Map(("cpu", Quoted(s.CpusPerTask.ToString(System.Globalization.CultureInfo.InvariantCulture))), ("memory", Scalar(K8sMemory(s.Memory))))))),
            ("volumeMounts", Seq(
                Map(("name", Scalar("experiment")), ("mountPath", Scalar(ExperimentMount)), ("readOnly", Boolean(true))),
                Map(("name", Scalar("results")), ("mountPath", Scalar(ResultsMount))))));
        var volumes = Seq(
            Map(("name", Scalar("experiment")), ("configMap", Map(("name", Scalar($"{name}-experiment"))))),
            Map(("name", Scalar("results")), ("persistentVolumeClaim", Map(("claimName", Scalar(s.VolumeClaim))))));
        var podSpec = Map(("restartPolicy", Scalar("Never")), ("containers", Seq(container)), ("volumes", volumes));
        var job = Map(
            ("apiVersion", Scalar("batch/v1")), ("kind", Scalar("Job")),
            ("metadata", Map(("name", Scalar(name)), ("labels", Map(("app", Scalar("exprun")), ("experiment", Scalar(s.ExperimentName)))))),
            ("spec", Map(
                ("completionMode", Scalar("Indexed")),
                ("completions", Integer(s.Tasks)),
                ("parallelism", Integer(s.MaxConcurrent > 0 ? Math.Min(s.MaxConcurrent, s.Tasks) : s.Tasks)),
                ("backoffLimitPerIndex", Integer(2)),
                ("maxFailedIndexes", Integer(s.Tasks)),
                ("template", Map(("spec", podSpec))))));
        var header = $"""
            # {Counted.Of(s.Trials, s.Unit)} of '{s.ExperimentName}' as an Indexed Job of {Counted.Of(s.Tasks, "completion")}.
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
            ("name", Scalar("collect")),
            ("image", Scalar(s.Image)),
            ("command", Command(s)),
            ("args", Strings(["collect", $"{ResultsMount}/{s.ExperimentName}"])),
            ("volumeMounts", Seq(Map(("name", Scalar("results")), ("mountPath", Scalar(ResultsMount))))));
        var podSpec = Map(
            ("restartPolicy", Scalar("Never")),
            ("containers", Seq(container)),
            ("volumes", Seq(Map(("name", Scalar("results")), ("persistentVolumeClaim", Map(("claimName", Scalar(s.VolumeClaim))))))));
        var job = Map(
            ("apiVersion", Scalar("batch/v1")), ("kind", Scalar("Job")),
            ("metadata", Map(("name", Scalar($"{name}-collect")))),
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

    private static YamlSequenceNode Command(ExportSettings s) => Strings(s.Exprun.Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private static YamlSequenceNode Strings(IEnumerable<string> words) => new(words.Select(w => (YamlNode)Quoted(w)));

    private static YamlMappingNode Map(params (string Key, YamlNode Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries) map.Add(Scalar(key), value);
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
