using System.Text.Json;
using ExperimentRunner.Core.IO;

namespace ExperimentRunner.Core.Results;

/// <summary>
/// What a trial's checkpoint files should be: <c>checkpoints/checksums.json</c> records the size and SHA-256 of every
/// weights file when it is written (rewritten atomically after the file), and the resume state's commit,
/// <c>checkpoints/state/trainer.json</c>, those of the state files it names. Resume, predict, <c>exprun check</c> and a
/// re-run verify them, so a file cut short or changed later is named instead of loaded (or never noticed).
/// </summary>
public static class CheckpointFiles
{
    public const string Folder = "checkpoints";
    public const string ChecksumsFile = "checksums.json";
    public const string StateFolder = "state";
    public const string TrainerFile = "trainer.json";

    /// <summary>The property of trainer.json that holds the state files' digests.</summary>
    public const string StateDigests = "Digests";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, TypeInfoResolver = ResultsJson.Default };

    public static string Dir(string trialDir) => Path.Combine(trialDir, Folder);

    /// <summary>checksums.json of a checkpoints folder; null when there is none (nothing written yet, or an exprun before checksums).</summary>
    public static IReadOnlyDictionary<string, FileDigest>? ReadChecksums(string checkpointsDir)
    {
        var path = Path.Combine(checkpointsDir, ChecksumsFile);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, FileDigest>>(File.ReadAllText(path), Json)
                ?? throw new DamagedFileException(path, "holds no checksums (null)");
        }
        catch (JsonException ex)
        {
            throw new DamagedFileException(path, JsonDamage.Describe(ex));
        }
    }

    /// <summary>Records <paramref name="digest"/> of <paramref name="fileName"/> just written in checksums.json (the writer hashed it before the rename).</summary>
    public static void Record(string checkpointsDir, string fileName, FileDigest digest) => Write(checkpointsDir, fileName, digest, ReadChecksumsOrEmpty(checkpointsDir));

    /// <summary>
    /// Before a recorded file is replaced: records the new file's digest with the old one's as still valid, so a kill
    /// between the rename and the final <see cref="Record"/> leaves a folder that verifies either way (with the file
    /// renamed or not). A file written for the first time needs none: until it is recorded it is simply not checked.
    /// </summary>
    public static void Replace(string checkpointsDir, string fileName, FileDigest incoming)
    {
        var sums = ReadChecksumsOrEmpty(checkpointsDir);
        if (!sums.TryGetValue(fileName, out var current)) return;
        var inPlace = current;
        if (current.Replacing is { } older)
        {
            // An earlier replace was cut short and the record names two files: the one still in place is the valid one.
            var path = Path.Combine(checkpointsDir, fileName);
            var newer = current with { Replacing = null };
            inPlace = newer.Mismatch(path) is null ? newer : older.Mismatch(path) is null ? older : null;
        }
        Write(checkpointsDir, fileName, incoming with { Replacing = inPlace }, sums);
    }

    /// <summary>Before a recorded file is deleted: drops its record first, so a kill in between leaves an unrecorded file, not a record of a missing one.</summary>
    public static void Unrecord(string checkpointsDir, string fileName) => Write(checkpointsDir, fileName, null, ReadChecksumsOrEmpty(checkpointsDir));

    /// <summary>checksums.json as <paramref name="current"/> (read by the caller) with <paramref name="fileName"/>'s record set to <paramref name="digest"/>, or dropped.</summary>
    private static void Write(string checkpointsDir, string fileName, FileDigest? digest, IReadOnlyDictionary<string, FileDigest> current)
    {
        var sums = new SortedDictionary<string, FileDigest>(current.ToDictionary(), StringComparer.Ordinal);
        if (digest is not null) sums[fileName] = digest;
        else sums.Remove(fileName);
        AtomicFile.WriteAllText(Path.Combine(checkpointsDir, ChecksumsFile), JsonSerializer.Serialize(sums, Json) + "\n");
    }

    // A damaged record is rewritten from the files as they are now: the writer is the one who knows they are right.
    private static IReadOnlyDictionary<string, FileDigest> ReadChecksumsOrEmpty(string checkpointsDir)
    {
        try
        {
            return ReadChecksums(checkpointsDir) ?? new Dictionary<string, FileDigest>();
        }
        catch (DamagedFileException)
        {
            return new Dictionary<string, FileDigest>();
        }
    }

    /// <summary>
    /// The first checkpoint file of the trial that is not as recorded: a weights file against checksums.json (a finished
    /// trial's folder holds no unrecorded ones), and the resume state against its commit. Null when all are as written,
    /// or nothing is recorded (a trial written before exprun kept checksums).
    /// </summary>
    public static TrialDamage? Verify(string trialDir, bool finished)
    {
        var dir = Dir(trialDir);
        if (!Directory.Exists(dir)) return null;
        try
        {
            if (ReadChecksums(dir) is { } sums)
            {
                foreach (var (name, digest) in sums.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    if (digest.Mismatch(Path.Combine(dir, name)) is { } why) return new TrialDamage($"{Folder}/{name}", why);
                }
                var unrecorded = Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>()
                    .Where(f => f != ChecksumsFile && !f.StartsWith('.') && !sums.ContainsKey(f)).Order(StringComparer.Ordinal).FirstOrDefault();
                if (finished && unrecorded is not null) return new TrialDamage($"{Folder}/{unrecorded}", $"not in {ChecksumsFile}: exprun did not write it, or its record is lost");
            }
            return VerifyState(trialDir);
        }
        catch (DamagedFileException ex)
        {
            return new TrialDamage(Path.GetRelativePath(trialDir, ex.FilePath), ex.Reason);
        }
    }

    /// <summary>The resume state's files against the digests its commit (trainer.json) recorded; null when they match or there is no state.</summary>
    public static TrialDamage? VerifyState(string trialDir)
    {
        var stateDir = Path.Combine(Dir(trialDir), StateFolder);
        var trainer = Path.Combine(stateDir, TrainerFile);
        if (!File.Exists(trainer)) return null;
        var relative = $"{Folder}/{StateFolder}";
        IReadOnlyDictionary<string, FileDigest>? digests;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(trainer));
            digests = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(StateDigests, out var d)
                ? d.Deserialize<Dictionary<string, FileDigest>>(Json)
                : null;
        }
        catch (JsonException ex)
        {
            return new TrialDamage($"{relative}/{TrainerFile}", JsonDamage.Describe(ex));
        }
        foreach (var (name, digest) in (digests ?? new Dictionary<string, FileDigest>()).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (digest.Mismatch(Path.Combine(stateDir, name)) is { } why) return new TrialDamage($"{relative}/{name}", why);
        }
        return null;
    }
}
