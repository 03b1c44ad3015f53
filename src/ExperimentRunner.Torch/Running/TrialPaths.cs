namespace ExperimentRunner.Torch.Running;

/// <summary>The output layout of DESIGN.md: results/&lt;name&gt;/trials/&lt;trial-id&gt;/...</summary>
public static class TrialPaths
{
    public static string ExperimentDir(string outputRoot, string experimentName) => Path.Combine(outputRoot, experimentName);

    public static string TrialDir(string experimentDir, string trialId) => Path.Combine(experimentDir, "trials", trialId);

    public const string ConfigFile = Core.Results.ExperimentResults.ConfigFileName;
}
