using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExperimentRunner.Core.IO;

/// <summary>Who holds an experiment folder: what a refused run prints, and how a stale lock is recognized.</summary>
public sealed record LockHolder(
    [property: JsonPropertyName("pid")] int Pid,
    [property: JsonPropertyName("host")] string Host,
    [property: JsonPropertyName("since")] DateTimeOffset Since,
    [property: JsonPropertyName("command")] string Command)
{
    public string Describe() =>
        $"pid {Pid} on host {Host} since {Since.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)} UTC ({Command})";

    /// <summary>
    /// Dead only when that is certain: a holder on this host whose process is gone (or whose pid a later process now has).
    /// A holder on another host (a shared
    /// file system) cannot be checked from here, so it counts as alive.
    /// </summary>
    // The holder writes its lock a moment after it starts; clocks of one host agree, so a few seconds cover it.
    private const int PidReuseSlackSeconds = 5;

    public bool IsAlive()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal)) return true;
        if (Pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(Pid);
            // A process that started after the lock was taken only reuses the dead holder's pid.
            return !process.HasExited && process.StartTime.ToUniversalTime() <= Since.UtcDateTime.AddSeconds(PidReuseSlackSeconds);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>
/// The lock a run takes on its experiment folder, so two runs never write one folder at once (their summaries would
/// race, and both would train the same trials). A whole run holds <c>.lock</c>; a <c>--shard I/N</c> run holds
/// <c>.lock.shard-I-of-N</c>, so the shards of one job array (on several hosts) share the folder, while a whole run and
/// the same shard twice are refused. The file holds who took it (pid, host, start, command); a lock whose holder is a
/// dead process on this host is stale and taken over. Worker processes work under their coordinator's lock.
/// </summary>
public sealed class ExperimentLock : IDisposable
{
    public const string WholeRunFile = ".lock";
    private const string ShardPrefix = ".lock.shard-";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, TypeInfoResolver = Results.ResultsJson.Default };

    private readonly string _path;
    private readonly LockHolder _holder;

    private ExperimentLock(string path, LockHolder holder) => (_path, _holder) = (path, holder);

    /// <summary>Notes for the user: a stale lock this run took over.</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>The lock file of a whole run (<paramref name="shard"/> null) or of shard I of N.</summary>
    public static string FileName((int Index, int Count)? shard) =>
        shard is { } s ? $"{ShardPrefix}{s.Index.ToString(CultureInfo.InvariantCulture)}-of-{s.Count.ToString(CultureInfo.InvariantCulture)}" : WholeRunFile;

    /// <summary>Whether a name in the folder is one of these lock files (they are not the folder's content).</summary>
    public static bool IsLockFile(string name) => name == WholeRunFile || name.StartsWith(ShardPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Takes the folder's lock, or returns null with <paramref name="refusal"/> naming the live holder in the way.
    /// </summary>
    public static ExperimentLock? TryAcquire(string experimentDir, (int Index, int Count)? shard, string command, DateTimeOffset now, out string? refusal)
    {
        Directory.CreateDirectory(experimentDir);
        var notes = new List<string>();
        refusal = null;
        // A whole run is in the way of everything; a shard run is in the way of a whole run and of the same shard only.
        var inTheWay = shard is null
            ? Directory.EnumerateFiles(experimentDir).Select(Path.GetFileName).OfType<string>().Where(IsLockFile).Order(StringComparer.Ordinal).ToList()
            : [WholeRunFile, FileName(shard)];
        foreach (var name in inTheWay)
        {
            var path = Path.Combine(experimentDir, name);
            if (!File.Exists(path)) continue;
            var holder = Read(path);
            if (holder is not null && holder.IsAlive())
            {
                refusal = $"{experimentDir}: error: another exprun run holds this folder ({name}): {holder.Describe()}; nothing was run. "
                    + "Wait for it to finish, or give another --output; if that process is gone (on another host, exprun cannot tell), delete "
                    + $"{path}";
                return null;
            }
            File.Delete(path);
            notes.Add(holder is null
                ? $"{experimentDir}: note: {name} was unreadable (cut short?); removed"
                : $"{experimentDir}: note: took over the stale lock {name} of {holder.Describe()}: that process is gone");
        }
        var mine = new LockHolder(Environment.ProcessId, Environment.MachineName, now, command);
        var lockPath = Path.Combine(experimentDir, FileName(shard));
        var tmp = Path.Combine(experimentDir, $".lock.{Environment.ProcessId}.{Guid.NewGuid():N}{AtomicFile.TempSuffix}");
        try
        {
            File.WriteAllText(tmp, JsonSerializer.Serialize(mine, Json) + "\n");
            // Without overwrite: a run that took the lock between our check and now wins, and we are refused.
            File.Move(tmp, lockPath, overwrite: false);
        }
        catch (IOException) when (File.Exists(lockPath))
        {
            File.Delete(tmp);
            var holder = Read(lockPath);
            refusal = $"{experimentDir}: error: another exprun run took this folder's lock just now: {holder?.Describe() ?? "holder unknown"}; nothing was run";
            return null;
        }
        var taken = new ExperimentLock(lockPath, mine) { Notes = notes };
        // A whole run and a shard run starting at the same moment each checked before the other wrote its file: look
        // again now that ours is there, and step back if a live holder in the way appeared (both may; neither writes).
        var appeared = (shard is null
                ? Directory.EnumerateFiles(experimentDir).Select(Path.GetFileName).OfType<string>().Where(n => IsLockFile(n) && n != WholeRunFile).ToList()
                : [WholeRunFile])
            .Select(n => (Name: n, Holder: Read(Path.Combine(experimentDir, n)))).FirstOrDefault(h => h.Holder is not null && h.Holder.IsAlive());
        if (appeared.Holder is { } rival)
        {
            taken.Dispose();
            refusal = $"{experimentDir}: error: another exprun run took this folder ({appeared.Name}) just now: {rival.Describe()}; nothing was run";
            return null;
        }
        return taken;
    }

    private static LockHolder? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<LockHolder>(File.ReadAllText(path), Json);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Releases the lock: the file goes, if it is still ours (not taken over meanwhile).</summary>
    public void Dispose()
    {
        try
        {
            if (Read(_path) == _holder) File.Delete(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The folder may be gone or read-only by now; a stale lock is recognized and taken over by the next run.
        }
    }
}
