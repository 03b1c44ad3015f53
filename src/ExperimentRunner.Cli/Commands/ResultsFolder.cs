using ExperimentRunner.Core.Results;

namespace ExperimentRunner.Cli.Commands;

/// <summary>What compare, collect and report say about a folder they cannot read as one experiment's results.</summary>
public static class ResultsFolder
{
    /// <summary>False (with the error lines written) when the folder's trials belong to different experiments.</summary>
    public static bool IsOneExperiment(CliContext context, string experimentDir, string nothingDone)
    {
        if (ExperimentFolder.CheckTrials(experimentDir) is not { } mixed) return true;
        foreach (var line in mixed.Lines(nothingDone)) context.Error.WriteLine(line);
        return false;
    }

    /// <summary>
    /// Why <paramref name="dir"/> is not an experiment's results folder, in terms of what it is, suggesting
    /// <c>exprun collect</c> only where it can help (trials/ present, summary.csv missing).
    /// </summary>
    public static string NotAnExperiment(string dir)
    {
        if (!Directory.Exists(dir)) return $"{dir}: error: no such folder; give an experiment's results folder, results/<experiment-name>";
        if (File.Exists(Path.Combine(dir, RunManifest.FileName)))
        {
            var experiment = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(dir)));
            return $"{dir}: error: this is one trial's folder; give its experiment's results folder ({experiment})";
        }
        if (Directory.Exists(ExperimentResults.TrialsDir(dir)))
            return $"{dir}: error: no {SummaryCsv.FileName} here; run 'exprun collect {dir}' to rebuild it from trials/";
        var experiments = Directory.EnumerateDirectories(dir).Where(d => Directory.Exists(ExperimentResults.TrialsDir(d))).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        return experiments.Count > 0
            ? $"{dir}: error: this folder holds experiments, not trials; give one of them: {string.Join(", ", experiments.Select(e => Path.Combine(dir, e!)))}"
            : $"{dir}: error: not an experiment's results folder (no {SummaryCsv.FileName}, no trials/); give results/<experiment-name> after 'exprun run'";
    }
}
