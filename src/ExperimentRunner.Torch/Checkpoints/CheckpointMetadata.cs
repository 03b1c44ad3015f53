using System.Text.Json;
using ExperimentRunner.Core.Config;
using ExperimentRunner.Core.Data.Preparation;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// What a trial's safetensors files carry besides the weights, so a file copied on its own can still be applied to
/// raw rows: the trial, its architecture and the preprocessing fitted on its training rows (also in run.json).
/// </summary>
public static class CheckpointMetadata
{
    public const string Trial = "exprun.trial";
    public const string ConfigHash = "exprun.config_hash";
    public const string Architecture = "exprun.architecture";
    public const string Preprocessing = "exprun.preprocessing";

    public static IReadOnlyDictionary<string, string> For(TrialSpec trial, FittedPreprocessing preprocessing) => new Dictionary<string, string>
    {
        // safetensors' own convention: the tensors follow PyTorch's layout.
        ["format"] = "pt",
        [Trial] = trial.Id,
        [ConfigHash] = ConfigWriter.Hash(trial.Spec.Tree),
        [Architecture] = trial.Spec.Model.Architecture,
        [Preprocessing] = JsonSerializer.Serialize(preprocessing),
    };
}
