using System.Text.Json;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Torch.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// The files under <c>checkpoints/</c>: best and last weights (safetensors with the trial's metadata, and best.pt and
/// last.pt for PyTorch, tensors saved without requires_grad so they load as plain weights), and
/// <c>state/</c> for resuming: weights, optimizer and RNG state of the last finished epoch, tagged with the
/// epoch and committed by writing <c>trainer.json</c> last. A kill at any moment leaves the previous
/// commit intact, so a resumed run continues from a consistent epoch.
/// </summary>
/// <param name="metadata">What the safetensors files carry besides the tensors (fitted preprocessing, class names, ...).</param>
public sealed class CheckpointStore(string trialDir, IReadOnlyDictionary<string, string>? metadata = null)
{
    private readonly IReadOnlyDictionary<string, string> _metadata = metadata ?? new Dictionary<string, string>();

    public string Dir { get; } = Path.Combine(trialDir, "checkpoints");
    private string StateDir => Path.Combine(Dir, "state");
    private string TrainerFile => Path.Combine(StateDir, "trainer.json");

    public string BestWeights => Path.Combine(Dir, "best.safetensors");
    public string LastWeights => Path.Combine(Dir, "last.safetensors");
    public string LastPyTorch => Path.Combine(Dir, "last.pt");
    public string BestPyTorch => Path.Combine(Dir, "best.pt");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private sealed record Commit(TrainerState Trainer, string Weights, string Optimizer, string Rng);

    public void SaveBest(nn.Module module) => AtomicFile.Write(BestWeights, tmp => SafetensorsWriter.Write(tmp, module, _metadata));

    public void SaveLast(nn.Module module, bool safetensors, bool pytorch)
    {
        if (safetensors) AtomicFile.Write(LastWeights, tmp => SafetensorsWriter.Write(tmp, module, _metadata));
        if (pytorch) AtomicFile.Write(LastPyTorch, tmp => SavePyTorch(tmp, module));
    }

    /// <summary>best.pt: the best weights (the module must hold them, see <see cref="LoadBest"/>).</summary>
    public void SaveBestPyTorch(nn.Module module) => AtomicFile.Write(BestPyTorch, tmp => SavePyTorch(tmp, module));

    /// <summary>
    /// A PyTorch state dict (torch.load) of detached tensors: parameters pickled as they are would come back with
    /// requires_grad=True, where .numpy() fails and load_state_dict is all a user wants.
    /// </summary>
    private static void SavePyTorch(string path, nn.Module module)
    {
        using var scope = NewDisposeScope();
        var state = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in module.state_dict()) state[name] = tensor.detach();
        using var stream = File.Create(path);
        PyTorchPickler.PickleStateDict(stream, state);
    }

    /// <summary>Saves everything a resume needs for the epoch just finished, then commits it.</summary>
    public void SaveState(TrainingSession session)
    {
        Directory.CreateDirectory(StateDir);
        var tag = $"e{session.State.EpochsDone:D5}";
        var weights = $"model-{tag}.safetensors";
        var optimizer = $"optimizer-{tag}.bin";
        var rng = $"rng-{tag}.bin";
        AtomicFile.Write(Path.Combine(StateDir, weights), tmp => session.Network.save_safetensors(tmp));
        AtomicFile.Write(Path.Combine(StateDir, optimizer), tmp => session.Optimizer.save_state_dict(tmp));
        using (var state = get_rng_state())
        {
            var bytes = state.data<byte>().ToArray();
            AtomicFile.Write(Path.Combine(StateDir, rng), tmp => File.WriteAllBytes(tmp, bytes));
        }
        AtomicFile.WriteAllText(TrainerFile, JsonSerializer.Serialize(new Commit(session.State, weights, optimizer, rng), Json));
        // Only after the commit may the previous epoch's files go.
        foreach (var old in Directory.EnumerateFiles(StateDir).Where(f => !f.EndsWith(".json", StringComparison.Ordinal) && !Path.GetFileName(f).Contains(tag, StringComparison.Ordinal)))
            File.Delete(old);
    }

    public bool HasState => File.Exists(TrainerFile);

    /// <summary>Restores weights, optimizer, RNG and trainer state; returns the restored state.</summary>
    public TrainerState LoadState(TrainingSession session)
    {
        var commit = JsonSerializer.Deserialize<Commit>(File.ReadAllText(TrainerFile), Json)
            ?? throw new InvalidDataException($"{TrainerFile} is empty");
        session.Network.load_safetensors(Path.Combine(StateDir, commit.Weights));
        session.Optimizer.load_state_dict(Path.Combine(StateDir, commit.Optimizer));
        var bytes = File.ReadAllBytes(Path.Combine(StateDir, commit.Rng));
        using (var state = tensor(bytes, dtype: ScalarType.Byte)) set_rng_state(state);
        session.Schedule.LoadState(commit.Trainer.Schedule);
        return commit.Trainer;
    }

    public void LoadBest(nn.Module module) => module.load_safetensors(BestWeights);

    /// <summary>After a trial ends, resume state is no longer needed; weights the user did not ask to keep go too.</summary>
    public void Finish(bool keepBest, bool keepLast)
    {
        if (Directory.Exists(StateDir)) Directory.Delete(StateDir, recursive: true);
        if (!keepBest && File.Exists(BestWeights)) File.Delete(BestWeights);
        if (!keepLast && File.Exists(LastWeights)) File.Delete(LastWeights);
    }
}
