namespace ExperimentRunner.Torch.Running;

/// <summary>The output layout of DESIGN.md: results/&lt;name&gt;/trials/&lt;trial-id&gt;/...</summary>
public static class TrialPaths
{
    public static string ExperimentDir(string outputRoot, string experimentName) => Path.Combine(outputRoot, experimentName);

    public static string TrialDir(string experimentDir, string trialId) => Path.Combine(experimentDir, "trials", trialId);

    /// <summary>The experiment folder a trial folder is in (the inverse of <see cref="TrialDir"/>).</summary>
    public static string ExperimentDirOf(string trialDir) =>
        Path.GetDirectoryName(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(trialDir)))!)!;

    /// <summary>The logdir to give <c>tensorboard --logdir</c>: one run (sub-folder) per trial, named by its id.</summary>
    public static string TensorBoardDir(string experimentDir) => Path.Combine(experimentDir, "tensorboard");

    public static string TensorBoardRunDir(string experimentDir, string trialId) => Path.Combine(TensorBoardDir(experimentDir), trialId);

    public const string ConfigFile = Core.Results.ExperimentResults.ConfigFileName;

    /// <summary>The full trace of a trial's last failure (run.json keeps the one-line message and the trace's end).</summary>
    public const string ErrorLog = "error.log";
}
