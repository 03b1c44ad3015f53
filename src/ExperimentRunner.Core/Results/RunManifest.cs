using System.Text.Json;
using System.Text.Json.Serialization;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>Versions of everything that can change a number, recorded with every trial.</summary>
public sealed record RuntimeVersions(
    [property: JsonPropertyName("exprun")] string Exprun,
    [property: JsonPropertyName("torchsharp")] string TorchSharp,
    [property: JsonPropertyName("libtorch")] string LibTorch,
    [property: JsonPropertyName("dotnet")] string DotNet,
    [property: JsonPropertyName("os")] string Os);

/// <summary>
/// run.json: a trial's status and outcome. summary.csv is rebuilt from these files, so everything a summary
/// row shows is here.
/// </summary>
public sealed record RunManifest
{
    [JsonPropertyName("trial")] public required string Trial { get; init; }
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("experiment")] public required string Experiment { get; init; }
    [JsonPropertyName("status")] public required string Status { get; init; }
    [JsonPropertyName("error")] public string? Error { get; init; }
    [JsonPropertyName("error_tail")] public string? ErrorTail { get; init; }
    [JsonPropertyName("swept")] public IReadOnlyDictionary<string, string> Swept { get; init; } = new Dictionary<string, string>();
    [JsonPropertyName("seed")] public long Seed { get; init; }
    [JsonPropertyName("config_hash")] public required string ConfigHash { get; init; }
    [JsonPropertyName("task")] public string? Task { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyList<string> Metrics { get; init; } = [];
    [JsonPropertyName("class_names")] public IReadOnlyList<string>? ClassNames { get; init; }
    /// <summary>What was fitted on the training rows (categories, fill means, standardization): how to prepare new rows for this trial's weights.</summary>
    [JsonPropertyName("preprocessing")] public Data.Preparation.FittedPreprocessing? Preprocessing { get; init; }
    [JsonPropertyName("epochs")] public int Epochs { get; init; }
    [JsonPropertyName("best_epoch")] public int? BestEpoch { get; init; }
    [JsonPropertyName("best_val_loss")] public double? BestValLoss { get; init; }
    [JsonPropertyName("diverged_epoch")] public int? DivergedEpoch { get; init; }
    /// <summary>The checkpoint epoch at which the tuner's stopping rule stopped this trial (status pruned).</summary>
    [JsonPropertyName("pruned_epoch")] public int? PrunedEpoch { get; init; }
    [JsonPropertyName("train_loss")] public double? TrainLoss { get; init; }
    [JsonPropertyName("val_loss")] public double? ValLoss { get; init; }
    [JsonPropertyName("test_loss")] public double? TestLoss { get; init; }
    [JsonPropertyName("test_metrics")] public IReadOnlyDictionary<string, double?> TestMetrics { get; init; } = new Dictionary<string, double?>();
    /// <summary>Per-trial diagnostics summary (e.g. max dead fraction), comparable across a sweep.</summary>
    [JsonPropertyName("diagnostics")] public IReadOnlyDictionary<string, double?> Diagnostics { get; init; } = new Dictionary<string, double?>();
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    [JsonPropertyName("started_at")] public DateTimeOffset? StartedAt { get; init; }
    [JsonPropertyName("finished_at")] public DateTimeOffset? FinishedAt { get; init; }
    [JsonPropertyName("resumed_from_epoch")] public int? ResumedFromEpoch { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }
    /// <summary>Whether denormal floats were flushed to zero while training (torch.set_flush_denormal; README: Performance).</summary>
    [JsonPropertyName("flush_denormal")] public bool? FlushDenormal { get; init; }
    /// <summary>
    /// What libtorch's CPU allocator put in new blocks: none (libtorch's and exprun's default), junk (a NaN pattern, to
    /// catch kernels that read memory nothing wrote) or zero, as EXPRUN_ALLOC_FILL chose; null where it could not be
    /// set (README: Convolutions run channels-last).
    /// </summary>
    [JsonPropertyName("alloc_fill")] public string? AllocFill { get; init; }
    [JsonPropertyName("versions")] public RuntimeVersions? Versions { get; init; }
    [JsonPropertyName("warnings")] public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>What this trial's last run found damaged in its folder and did about it (restarted, restored a file); also said on stderr.</summary>
    [JsonPropertyName("recovery")] public IReadOnlyList<string> Recovery { get; init; } = [];

    [JsonIgnore] public TrialStatus StatusValue => TrialStatusText.Parse(Status);

    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        TypeInfoResolver = ResultsJson.Default,
    };

    public const string FileName = "run.json";

    /// <summary>A manifest naming the trial (id, index, swept values, seed, config hash) with the given status.</summary>
    public static RunManifest For(Config.TrialSpec trial, TrialStatus status) => new()
    {
        Trial = trial.Id,
        Index = trial.Index,
        Experiment = trial.Spec.Name,
        Status = status.Text(),
        Swept = trial.Swept.ToDictionary(s => s.Key, s => s.Display),
        Seed = trial.Spec.Seed,
        ConfigHash = Config.ConfigWriter.Hash(trial.Spec.Tree),
    };

    /// <summary>The trial this manifest names (id, index, swept values, seed, metrics) with none of its results.</summary>
    public RunManifest WithoutResults() => new()
    {
        Trial = Trial, Index = Index, Experiment = Experiment, Status = Status, ConfigHash = ConfigHash,
        Swept = Swept, Seed = Seed, Metrics = Metrics, Task = Task, ClassNames = ClassNames,
    };

    public void Save(string trialDir) => AtomicFile.WriteAllText(Path.Combine(trialDir, FileName), JsonSerializer.Serialize(this, Options) + "\n");

    /// <summary>The trial's run.json when it is there and whole; null when it is missing or damaged (see <see cref="Read"/>).</summary>
    public static RunManifest? TryLoad(string trialDir) => Read(trialDir).Manifest;

    /// <summary>
    /// Reads and checks the trial's run.json: whole JSON, every required field and a known status. Returns the manifest, or why the file cannot be used (null both when there is no file).
    /// </summary>
    public static (RunManifest? Manifest, string? Damage) Read(string trialDir)
    {
        var path = Path.Combine(trialDir, FileName);
        if (!File.Exists(path)) return (null, null);
        RunManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Options);
        }
        catch (JsonException ex)
        {
            return (null, JsonDamage.Describe(ex));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, $"cannot be read: {IoCause.Of(ex)}");
        }
        if (manifest is null) return (null, "holds no trial record (null)");
        if (TrialStatusText.TryParse(manifest.Status) is null)
            return (null, $"status '{manifest.Status}' is not one of {string.Join(", ", Enum.GetValues<TrialStatus>().Where(s => s != TrialStatus.Damaged).Select(s => s.Text()))}");
        return (manifest, null);
    }
}
