using System.Text.Json;
using ExperimentRunner.Core.IO;
using ExperimentRunner.Core.Results;
using ExperimentRunner.Torch.Training;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace ExperimentRunner.Torch.Checkpoints;

/// <summary>
/// The files under <c>checkpoints/</c>: best and last weights (safetensors with the trial's metadata, and best.pt and
/// last.pt for PyTorch, tensors saved without requires_grad so they load as plain weights), each recorded in
/// <c>checksums.json</c> (size and SHA-256) once written, and <c>state/</c> for resuming: weights, optimizer and RNG
/// state of the last finished epoch, tagged with the epoch and committed by writing <c>trainer.json</c> last, which
/// records their digests and the epochs' metrics. A kill at any moment leaves the previous commit intact, so a
/// resumed run continues from a consistent epoch; a file damaged afterwards is found before anything is loaded.
/// </summary>
/// <param name="metadata">What the safetensors files carry besides the tensors (fitted preprocessing, class names, ...).</param>
public sealed class CheckpointStore(string trialDir, IReadOnlyDictionary<string, string>? metadata = null)
{
    private readonly IReadOnlyDictionary<string, string> _metadata = metadata ?? new Dictionary<string, string>();

    public string Dir { get; } = CheckpointFiles.Dir(trialDir);
    private string StateDir => Path.Combine(Dir, CheckpointFiles.StateFolder);
    public string TrainerFile => Path.Combine(StateDir, CheckpointFiles.TrainerFile);

    public string BestWeights => Path.Combine(Dir, "best.safetensors");
    public string LastWeights => Path.Combine(Dir, "last.safetensors");
    public string LastPyTorch => Path.Combine(Dir, "last.pt");
    public string BestPyTorch => Path.Combine(Dir, "best.pt");

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals, TypeInfoResolver = CheckpointJson.Default };

    /// <summary>
    /// trainer.json, the commit: the trainer state and the state files of one epoch, their <see cref="Digests"/> (size
    /// and SHA-256) and every epoch's metrics (<see cref="History"/>, so a metrics.csv cut short is rewritten from here).
    /// Both are null in a commit of an exprun before them.
    /// </summary>
    public sealed record ResumePoint(TrainerState Trainer, string Weights, string Optimizer, string Rng,
        IReadOnlyDictionary<string, FileDigest>? Digests = null, IReadOnlyList<EpochRecord>? History = null);

    public void SaveBest(WeightsSnapshot best) => Save(BestWeights, tmp => SafetensorsWriter.Write(tmp, best.State, _metadata));

    public void SaveLast(nn.Module module, bool safetensors, bool pytorch)
    {
        if (safetensors) Save(LastWeights, tmp => SafetensorsWriter.Write(tmp, module, _metadata));
        if (pytorch) Save(LastPyTorch, tmp => SavePyTorch(tmp, module));
    }

    /// <summary>best.pt: the best weights (the module must hold them, see <see cref="LoadBest"/>).</summary>
    public void SaveBestPyTorch(nn.Module module) => Save(BestPyTorch, tmp => SavePyTorch(tmp, module));

    /// <summary>
    /// Writes a weights file and its checksum. Replacing one takes two records (CheckpointFiles.Replace before the
    /// rename, Record after it), so a kill anywhere in between leaves a folder a resume accepts: with one record after
    /// the rename, a kill between the two left best.safetensors "changed since it was written" (1 round in 30 of
    /// bench/kill-resume/run.sh) and the trial could not be resumed.
    /// </summary>
    private void Save(string path, Action<string> write)
    {
        var name = Path.GetFileName(path);
        FileDigest? digest = null;
        AtomicFile.Write(path, tmp =>
        {
            write(tmp);
            digest = FileDigest.Of(tmp);
            CheckpointFiles.Replace(Dir, name, digest);
        });
        CheckpointFiles.Record(Dir, name, digest!);
    }

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
        var digests = new[] { weights, optimizer, rng }.ToDictionary(f => f, f => FileDigest.Of(Path.Combine(StateDir, f)));
        AtomicFile.WriteAllText(TrainerFile, JsonSerializer.Serialize(new ResumePoint(session.State, weights, optimizer, rng, digests, [.. session.History]), Json));
        // Only after the commit may the previous epoch's files go.
        foreach (var old in Directory.EnumerateFiles(StateDir).Where(f => !f.EndsWith(".json", StringComparison.Ordinal) && !Path.GetFileName(f).Contains(tag, StringComparison.Ordinal)))
            File.Delete(old);
    }

    public bool HasState => File.Exists(TrainerFile);

    /// <summary>
    /// Reads the commit and checks, before anything is loaded, that it and every file a resume uses are whole: the
    /// state files against the digests of the commit, best.safetensors against checksums.json. Throws
    /// <see cref="DamagedFileException"/> naming the first damaged file.
    /// </summary>
    public ResumePoint ReadState()
    {
        ResumePoint commit;
        try
        {
            commit = JsonSerializer.Deserialize<ResumePoint>(File.ReadAllText(TrainerFile), Json)
                ?? throw new DamagedFileException(TrainerFile, "holds no commit (null)");
        }
        catch (JsonException ex)
        {
            throw new DamagedFileException(TrainerFile, JsonDamage.Describe(ex));
        }
        foreach (var file in new[] { commit.Weights, commit.Optimizer, commit.Rng })
        {
            var path = Path.Combine(StateDir, file);
            if (commit.Digests?.GetValueOrDefault(file) is { } digest)
            {
                if (digest.Mismatch(path) is { } why) throw new DamagedFileException(path, why);
            }
            else if (!File.Exists(path))
            {
                throw new DamagedFileException(path, "missing (trainer.json commits it)");
            }
        }
        if (File.Exists(BestWeights) && CheckpointFiles.ReadChecksums(Dir)?.GetValueOrDefault(Path.GetFileName(BestWeights)) is { } best
            && best.Mismatch(BestWeights) is { } bestProblem)
            throw new DamagedFileException(BestWeights, bestProblem);
        return commit;
    }

    /// <summary>Restores weights, optimizer, RNG, schedule and the epochs' metrics of a verified commit; returns the trainer state.</summary>
    public TrainerState LoadState(TrainingSession session, ResumePoint commit)
    {
        Load(commit.Weights, path => session.Network.load_safetensors(path));
        Load(commit.Optimizer, path => session.Optimizer.load_state_dict(path));
        Load(commit.Rng, path =>
        {
            var bytes = File.ReadAllBytes(path);
            using var state = tensor(bytes, dtype: ScalarType.Byte);
            set_rng_state(state);
        });
        session.Schedule.LoadState(commit.Trainer.Schedule);
        if (commit.History is { } history) session.History.AddRange(history.Where(e => e.Epoch <= commit.Trainer.EpochsDone));
        return commit.Trainer;
    }

    // A commit without digests (an older exprun) is checked only by loading it: say which file did not load.
    private void Load(string file, Action<string> load)
    {
        var path = Path.Combine(StateDir, file);
        try
        {
            load(path);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or DamagedFileException))
        {
            throw new InvalidDataException($"{path}: cannot be loaded to resume: {ex.Message}; run without --resume to train the trial from scratch", ex);
        }
    }

    public void LoadBest(nn.Module module) => module.load_safetensors(BestWeights);

    /// <summary>After a trial ends, resume state is no longer needed; weights the user did not ask to keep go too.</summary>
    public void Finish(bool keepBest, bool keepLast)
    {
        DropState();
        if (!keepBest && File.Exists(BestWeights)) Forget(BestWeights);
        if (!keepLast && File.Exists(LastWeights)) Forget(LastWeights);
    }

    /// <summary>
    /// Deletes the resume state, its commit (trainer.json) first. Deleting the folder as a whole removed files in
    /// directory order, so a kill part-way through (a sweep killed while a worker finished a trial) could leave a commit
    /// naming weights that were gone: the trial was then damaged and --resume refused it (1 run in 12 of a kill loop).
    /// Now such a kill leaves state files no commit names, and the trial starts again.
    /// </summary>
    public void DropState()
    {
        if (!Directory.Exists(StateDir)) return;
        File.Delete(TrainerFile);
        Directory.Delete(StateDir, recursive: true);
    }

    /// <summary>Deletes every checkpoint file of the trial (a fresh start), each record before the files it names (see <see cref="DropState"/>).</summary>
    public void Clear()
    {
        DropState();
        if (!Directory.Exists(Dir)) return;
        File.Delete(Path.Combine(Dir, CheckpointFiles.ChecksumsFile));
        Directory.Delete(Dir, recursive: true);
    }

    private void Forget(string path)
    {
        CheckpointFiles.Unrecord(Dir, Path.GetFileName(path));
        File.Delete(path);
    }
}
