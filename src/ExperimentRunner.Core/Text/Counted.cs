using System.Globalization;

namespace ExperimentRunner.Core.Text;

/// <summary>"1 trial", "2 trials": every count a user reads goes through here, so none says "1 trials".</summary>
public static class Counted
{
    public static string Of(long count, string singular, string? plural = null) =>
        $"{count.ToString(CultureInfo.InvariantCulture)} {Word(count, singular, plural)}";

    /// <summary>The word alone, for texts that place the number elsewhere ("3/4 trials").</summary>
    public static string Word(long count, string singular, string? plural = null) =>
        count == 1 ? singular : plural ?? singular + "s";
}
