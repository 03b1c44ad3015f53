using System.Globalization;

namespace ExperimentRunner.Cli.Commands;

/// <summary><c>--shard I/N</c>: trial k belongs to shard k mod N, so N machines split a sweep without talking.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec All = new(0, 1);

    public bool Contains(int trialIndex) => trialIndex % Count == Index;

    public static ShardSpec? Parse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrEmpty(text)) return All;
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            && n >= 1 && i < n)
            return new ShardSpec(i, n);
        error = $"--shard: '{text}' is not I/N with 0 <= I < N (e.g. --shard 0/4)";
        return null;
    }
}
