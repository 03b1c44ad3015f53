namespace ExperimentRunner.Core.Results;

/// <summary>One setting on which two experiments (or the trials of one folder) disagree, with the values each has.</summary>
public sealed record SettingDifference(string Key, string Detail)
{
    public override string ToString() => $"{Key}: {Detail}";
}
