using System.Text;
using ExperimentRunner.Core.Problems;

namespace ExperimentRunner.Core.Config;

/// <summary>A swept key and the value this trial has for it, as shown in summary.csv (a null is an empty cell).</summary>
public sealed record SweptValue(string Key, string Display)
{
    /// <summary>The value as a word for ids and labels: a null shows as "null" there, not as nothing.</summary>
    public string Name => Display.Length == 0 ? "null" : Display;
}

/// <summary>One trial to run: the resolved spec, its stable id, and what makes it differ from its siblings.</summary>
public sealed record TrialSpec(int Index, string Id, ExperimentSpec Spec, IReadOnlyList<SweptValue> Swept, IReadOnlyList<Problem> Warnings)
{
    /// <summary>Swept values without the seed: the cell a trial belongs to.</summary>
    public string CellKey => string.Join("|", Swept.Select(s => $"{s.Key}={s.Name}"));

    /// <summary>
    /// Readable slug plus a hash of the resolved config: the same config always maps to the same folder,
    /// so resumed and sharded sweeps find their trials again.
    /// </summary>
    public static string MakeId(ExperimentSpec spec, IReadOnlyList<SweptValue> swept)
    {
        IEnumerable<string> parts = swept.Count > 0
            // A null value shows as an empty cell but keeps its word in the id, so ids stay what they were.
            ? swept.Select(s => s.Name)
            : [spec.Loss.Name, spec.Model.Activation.Name];
        var slug = string.Join("-", parts.Select(Slug).Where(p => p.Length > 0));
        if (slug.Length > 60) slug = slug[..60].TrimEnd('-', '_');
        return $"{slug}-s{spec.Seed}-{ConfigWriter.Hash(spec.Tree)}";
    }

    /// <summary>
    /// Letters, digits, '.' and '_' of a value; a minus sign of a number becomes "neg" ('-' separates the slug's
    /// parts), so -3.0 and 3.0 never read alike.
    /// </summary>
    private static string Slug(string text)
    {
        var sb = new StringBuilder();
        var lower = text.ToLowerInvariant();
        for (var i = 0; i < lower.Length; i++)
        {
            var ch = lower[i];
            var startsNumber = i == 0 || !char.IsAsciiLetterOrDigit(lower[i - 1]);
            if (ch == '-' && startsNumber && i + 1 < lower.Length && (char.IsAsciiDigit(lower[i + 1]) || lower[i + 1] == '.'))
            {
                if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
                sb.Append("neg");
            }
            else if (char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_') sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '_') sb.Append('_');
        }
        return sb.ToString().Trim('_');
    }
}
