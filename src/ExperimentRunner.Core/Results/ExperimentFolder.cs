using System.Globalization;

namespace ExperimentRunner.Core.Results;

/// <summary>Why a results folder cannot take (or be read as) one experiment: what is wrong and the settings behind it.</summary>
public sealed record FolderMismatch(string ExperimentDir, string Problem, IReadOnlyList<SettingDifference> Differences)
{
    /// <summary>One error line per differing setting, then what was not done and the ways out (the same for run, collect, compare and report).</summary>
    public IEnumerable<string> Lines(string nothingDone)
    {
        foreach (var difference in Differences) yield return $"{ExperimentDir}: error: {Problem}: {difference}";
        yield return $"{ExperimentDir}: {nothingDone}. One folder holds one experiment: give a changed experiment a new name (name: in the file, or --set name=NEW) "
            + $"or another output folder (-o/--output DIR), or run it with --fresh to move the old trials to {ExperimentDir}.old-<UTC time> and start the folder afresh (nothing is deleted)";
    }
}

/// <summary>
/// One results folder, one experiment: the check a run makes before it trains anything, the record it leaves
/// (<see cref="ExperimentRecord.FileName"/>), the check <c>collect</c>, <c>compare</c> and <c>report</c> make on
/// the trials, and <c>--fresh</c>, which moves the old contents aside instead of deleting them.
/// </summary>
public static class ExperimentFolder
{
    /// <summary>What stops <paramref name="wanted"/> (loaded from <paramref name="source"/>) from running into the folder; null when it may.</summary>
    public static FolderMismatch? CheckRun(string experimentDir, ExperimentRecord wanted, string source)
    {
        var recorded = ExperimentRecord.TryLoad(experimentDir);
        if (recorded is null)
        {
            // A folder from before experiment records: what its trials say stands in for the record.
            var trials = FolderTrials.Read(experimentDir);
            if (CheckTrials(experimentDir, trials) is { } mixed) return mixed;
            recorded = FolderTrials.Record(wanted.Experiment, trials);
        }
        var differences = recorded?.DifferencesTo(wanted) ?? [];
        return differences.Count == 0 ? null : new FolderMismatch(experimentDir, $"the folder holds a different experiment (folder -> {source})", differences);
    }

    /// <summary>Trials of different experiments in one folder (what <c>collect</c>, <c>compare</c> and <c>report</c> refuse); null when they agree.</summary>
    public static FolderMismatch? CheckTrials(string experimentDir) => CheckTrials(experimentDir, FolderTrials.Read(experimentDir));

    private static FolderMismatch? CheckTrials(string experimentDir, IReadOnlyList<TrialSettingsOf> trials)
    {
        var differences = FolderTrials.Disagreements(trials);
        return differences.Count == 0 ? null : new FolderMismatch(experimentDir, "the folder holds trials of different experiments", differences);
    }

    /// <summary>Writes (atomically) the record of the folder once <paramref name="wanted"/> runs in it.</summary>
    public static void Record(string experimentDir, ExperimentRecord wanted)
    {
        var merged = ExperimentRecord.TryLoad(experimentDir)?.MergedWith(wanted) ?? wanted;
        Directory.CreateDirectory(experimentDir);
        merged.Save(experimentDir);
    }

    /// <summary>Whether the folder exists and holds anything (then <c>--fresh</c> has something to move).</summary>
    public static bool HasContent(string experimentDir) =>
        Directory.Exists(experimentDir) && Directory.EnumerateFileSystemEntries(experimentDir).Any(e => !IO.ExperimentLock.IsLockFile(Path.GetFileName(e)));

    /// <summary>
    /// Renames the folder to <c>&lt;folder&gt;.old-&lt;UTC time&gt;</c> (with <c>-2</c>, <c>-3</c>... if that exists), one
    /// rename, so nothing is deleted and nothing is half moved. Returns the new path.
    /// </summary>
    public static string MoveAside(string experimentDir, DateTimeOffset now)
    {
        var folder = Path.TrimEndingDirectorySeparator(experimentDir);
        var stem = $"{folder}.old-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}";
        var target = stem;
        for (var n = 2; Directory.Exists(target) || File.Exists(target); n++) target = $"{stem}-{n.ToString(CultureInfo.InvariantCulture)}";
        Directory.Move(folder, target);
        return target;
    }
}
